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

    [Theory]
    [InlineData("恒力石化（大连）有限公司", "恒力石化有限公司")]
    [InlineData("恒力石化(大连)有限公司", "恒力石化有限责任公司")]
    [InlineData("南京 长禾传动（集团）有限责任公司", "南京长禾传动有限公司")]
    [InlineData("【大连】恒力石化", "恒力石化股份有限公司")]
    public void Core_NamesApartFromBracketedParts_AreEqual(string a, string b) => Assert.Equal(CompanyName.Core(a), CompanyName.Core(b));

    [Fact]
    public void Core_OtherNames_StayDistinct() => Assert.NotEqual(CompanyName.Core("恒力石化（大连）有限公司"), CompanyName.Core("恒力化纤有限公司"));

    [Fact]
    public void Core_NameThatIsAllBrackets_KeepsItsNormalisedForm() => Assert.Equal(CompanyName.Normalize("（恒力）"), CompanyName.Core("（恒力）"));
}
