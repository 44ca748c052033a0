using System.Text;

namespace KeyAccounts.Analytics;

/// <summary>
/// An amount in yuan written in Chinese capital numerals (人民币大写), as printed documents give it beside the figures:
/// 1336.18 → 壹仟叁佰叁拾陆元壹角捌分, 100.05 → 壹佰元零伍分, 10000 → 壹万元整. Rounded to the fen first, half away from zero.
/// </summary>
public static class ChineseAmount
{
    private const string Digits = "零壹贰叁肆伍陆柒捌玖";
    private static readonly string[] InGroup = ["", "拾", "佰", "仟"];
    private static readonly string[] Groups = ["", "万", "亿", "万亿"];

    public static string InWords(decimal amount)
    {
        amount = Math.Round(amount, 2, MidpointRounding.AwayFromZero);
        if (amount == 0) return "零元整";
        var negative = amount < 0;
        amount = Math.Abs(amount);
        var yuan = (long)decimal.Truncate(amount);
        var cents = (int)((amount - yuan) * 100);
        var (jiao, fen) = (cents / 10, cents % 10);
        var words = new StringBuilder(negative ? "负" : "");
        if (yuan > 0) words.Append(Integer(yuan)).Append('元');
        if (jiao > 0) words.Append(Digits[jiao]).Append('角');
        else if (yuan > 0 && fen > 0) words.Append('零');
        if (fen > 0) words.Append(Digits[fen]).Append('分');
        else words.Append('整');
        return words.ToString();
    }

    private static string Integer(long n)
    {
        var groups = new List<int>();
        for (; n > 0; n /= 10_000) groups.Add((int)(n % 10_000));
        var words = new StringBuilder();
        var zeroPending = false;
        for (var g = groups.Count - 1; g >= 0; g--)
        {
            var value = groups[g];
            if (value == 0)
            {
                zeroPending = words.Length > 0;
                continue;
            }
            if (words.Length > 0 && (value < 1000 || zeroPending)) words.Append('零');
            words.Append(Group(value)).Append(Groups[g]);
            zeroPending = false;
        }
        return words.ToString();
    }

    private static string Group(int value)
    {
        var words = new StringBuilder();
        var zero = false;
        for (var position = 3; position >= 0; position--)
        {
            var digit = value / (int)Math.Pow(10, position) % 10;
            if (digit == 0)
            {
                zero = words.Length > 0;
                continue;
            }
            if (zero) words.Append('零');
            words.Append(Digits[digit]).Append(InGroup[position]);
            zero = false;
        }
        return words.ToString();
    }
}
