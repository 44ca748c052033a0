using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Analytics;

public sealed class ChineseAmountTests
{
    [Theory]
    [InlineData("1336.18", "壹仟叁佰叁拾陆元壹角捌分")]
    [InlineData("100.05", "壹佰元零伍分")]
    [InlineData("10000", "壹万元整")]
    [InlineData("10010", "壹万零壹拾元整")]
    [InlineData("100000001", "壹亿零壹元整")]
    [InlineData("1010.5", "壹仟零壹拾元伍角整")]
    [InlineData("0.07", "柒分")]
    [InlineData("0", "零元整")]
    [InlineData("1.005", "壹元零壹分")]
    public void InWords_Amount_WrittenInCapitalNumerals(string amount, string expected) =>
        Assert.Equal(expected, ChineseAmount.InWords(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));
}
