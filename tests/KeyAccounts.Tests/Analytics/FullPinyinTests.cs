using System.Text;
using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Analytics;

public sealed class FullPinyinTests
{
    [Theory]
    [InlineData("恒力石化有限公司", "henglishihuayouxiangongsi")]
    [InlineData("浙江恒光", "zhejianghengguang")]
    [InlineData("恒力ABC123石化", "hengliabc123shihua")]
    [InlineData("长沙重工（集团）", "changshazhonggongjituan")]
    [InlineData("绿略女虐", "lvluenvnue")]
    [InlineData("佛都谁捕", "fodushuibu")]
    public void Of_Name_SpellsItWithoutTonesInLowerCase(string name, string expected) => Assert.Equal(expected, FullPinyin.Of(name));

    /// <summary>
    /// Every GB2312 level-1 character is spelled, and each syllable starts with the character's pinyin initial: the full pinyin
    /// and the initials come from the same source, so a polyphonic character reads the same way in both.
    /// </summary>
    [Fact]
    public void Of_EveryLevelOneCharacter_StartsWithItsInitial()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gb2312 = Encoding.GetEncoding(936);
        var checkedCount = 0;
        for (var hi = 0xB0; hi <= 0xD7; hi++)
            for (var lo = 0xA1; lo <= 0xFE; lo++)
            {
                if ((hi << 8 | lo) >= 0xD7FA) continue;
                var c = gb2312.GetString([(byte)hi, (byte)lo]);
                var spelled = FullPinyin.Of(c);
                Assert.False(spelled.Length == 0, $"{c} is not spelled");
                Assert.Equal(PinyinInitials.Of(c).ToLowerInvariant(), spelled[..1]);
                checkedCount++;
            }
        Assert.Equal(3755, checkedCount);
    }

    [Theory]
    [InlineData("hengli", "hengli")]
    [InlineData("HengLi", "hengli")]
    [InlineData("heng li", "hengli")]
    [InlineData("heng'li", "hengli")]
    [InlineData("abc123", "abc123")]
    [InlineData("恒力", null)]
    [InlineData("123", null)]
    [InlineData("PRB-b8", null)]
    public void OfTerm_SearchTerm_ReadsAsPinyinOrNot(string term, string? expected) => Assert.Equal(expected, FullPinyin.OfTerm(term));
}
