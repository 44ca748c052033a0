using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Analytics;

public sealed class CompanyNameTests
{
    [Theory]
    [InlineData("浙江恒光机械有限公司", "浙江恒光机械")]
    [InlineData("浙江恒光机械股份有限公司", "浙江恒光机械")]
    [InlineData("浙江 恒光机械 有限责任公司", "浙江恒光机械")]
    [InlineData("（浙江）恒光机械有限公司", "浙江恒光机械")]
    [InlineData("ＡＢＣ精密有限公司", "ABC精密")]
    [InlineData("Acme Co., Ltd.", "ACME")]
    public void Normalize_Variants_ReduceToOneKey(string name, string expected) => Assert.Equal(expected, CompanyName.Normalize(name));

    [Fact]
    public void Normalize_GroupWithEitherSuffix_ReducesToTheSameKey() =>
        Assert.Equal(CompanyName.Normalize("浙江恒光集团股份有限公司"), CompanyName.Normalize("浙江恒光集团有限公司"));

    [Fact]
    public void Normalize_Branch_StaysDistinct() =>
        Assert.NotEqual(CompanyName.Normalize("浙江恒光机械有限公司"), CompanyName.Normalize("浙江恒光机械有限公司杭州分公司"));
}
