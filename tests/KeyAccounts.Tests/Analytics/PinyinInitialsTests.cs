using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Analytics;

public sealed class PinyinInitialsTests
{
    [Theory]
    [InlineData("浙江恒光", "ZJHG")]
    [InlineData("上海电气集团", "SHDQJT")]
    [InlineData("A1 北京", "A1BJ")]
    public void Of_CommonNames_GivesInitials(string name, string expected) => Assert.Equal(expected, PinyinInitials.Of(name));
}
