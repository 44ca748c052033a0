using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Analytics;

public sealed class CreditCodeTests
{
    public static bool IsValid(string code) => CreditCode.IsValid(code);

    public static string MakeValid(string first17) => first17 + CreditCode.CheckCharacter(first17);

    [Theory]
    [InlineData("91350100M000100Y43")]
    public void Validate_PublishedCodes_AreValid(string code) => Assert.Null(CreditCode.Validate(code));

    [Fact]
    public void Validate_WrongCheckCharacter_SaysWhichItShouldBe()
    {
        var why = CreditCode.Validate("91350100M000100Y44");
        Assert.Contains("'3'", FormattableString.Invariant(why!));
    }

    [Theory]
    [InlineData("91350100M000100Y4", "18 characters")]
    [InlineData("91350100M0001O0Y43", "'O'")]
    [InlineData("", "empty")]
    public void Validate_Malformed_Explains(string code, string expected) => Assert.Contains(expected, FormattableString.Invariant(CreditCode.Validate(code)!));

    [Fact]
    public void Validate_LowerCase_IsAccepted() => Assert.Null(CreditCode.Validate("91350100m000100y43"));
}
