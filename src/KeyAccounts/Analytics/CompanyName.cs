using System.Globalization;
using System.Text;

namespace KeyAccounts.Analytics;

/// <summary>Reduces a company name to the form the duplicate check (查重) compares.</summary>
public static class CompanyName
{
    // Longest first, so 股份有限公司 is not left as 股份.
    private static readonly string[] LegalSuffixes =
    [
        "股份有限公司", "有限责任公司", "有限公司", "股份公司", "总公司", "公司",
        "COMPANYLIMITED", "COLTD", "CORPORATION", "LIMITED", "CORP", "LTD", "INC", "CO",
    ];

    public static string Normalize(string name)
    {
        // NFKC folds full-width letters, digits and brackets to their half-width forms.
        var folded = name.Normalize(NormalizationForm.FormKC).ToUpperInvariant();
        var sb = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (char.IsWhiteSpace(c) || char.IsPunctuation(c) || category is UnicodeCategory.MathSymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol)
                continue;
            sb.Append(c);
        }
        var reduced = sb.ToString();
        foreach (var suffix in LegalSuffixes)
        {
            if (reduced.Length > suffix.Length && reduced.EndsWith(suffix, StringComparison.Ordinal))
            {
                reduced = reduced[..^suffix.Length];
                break;
            }
        }
        return reduced;
    }

    /// <summary>
    /// The name with its bracketed parts left out, then reduced as <see cref="Normalize"/> does, for the near-duplicate warning:
    /// 恒力石化（大连）有限公司 and 恒力石化有限公司 are both 恒力石化. Full- and half-width brackets alike; a name that is
    /// nothing but brackets keeps its normalised form.
    /// </summary>
    public static string Core(string name)
    {
        var folded = name.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(folded.Length);
        var depth = 0;
        foreach (var c in folded)
        {
            if (c is '(' or '[' or '{' or '【' or '〔' or '〖' or '「' or '『') { depth++; continue; }
            if (c is ')' or ']' or '}' or '】' or '〕' or '〗' or '」' or '』') { if (depth > 0) depth--; continue; }
            if (depth == 0) sb.Append(c);
        }
        var core = Normalize(sb.ToString());
        return core.Length > 0 ? core : Normalize(name);
    }
}
