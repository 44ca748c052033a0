namespace KeyAccounts.Analytics;

/// <summary>统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character over the first 17.</summary>
public static class CreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public static string Normalize(string code) => code.Trim().ToUpperInvariant();

    /// <summary>Null when the code is valid, otherwise why it is not.</summary>
    public static FormattableString? Validate(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return $"The credit code is empty.";
        code = Normalize(code);
        if (code.Length != 18) return $"The credit code must have 18 characters, not {code.Length}.";
        for (var i = 0; i < 18; i++)
            if (Alphabet.IndexOf(code[i]) < 0)
                return $"Character {i + 1} ('{code[i]}') is not allowed in a credit code (I, O, S, V and Z are never used).";
        var expected = CheckCharacter(code.AsSpan(0, 17));
        return code[17] == expected ? null : (FormattableString)$"The check character should be '{expected}', not '{code[17]}'.";
    }

    public static bool IsValid(string? code) => Validate(code) is null;

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Alphabet.IndexOf(char.ToUpperInvariant(first17[i])) * Weights[i];
        return Alphabet[(31 - sum % 31) % 31];
    }
}
