using System.Text;

namespace KeyAccounts.Analytics;

/// <summary>
/// Pinyin initials of a Chinese name ("浙江恒光" → "ZJHG"), so users can search the way they type.
/// GB2312's 3,755 level-1 characters, which cover nearly every company name, are ordered by pinyin,
/// so the initial is found from the character's GB2312 code; other Chinese characters are skipped.
/// </summary>
public static class PinyinInitials
{
    private static readonly Encoding Gb2312;
    private static readonly int[] Bounds =
        [0xB0A1, 0xB0C5, 0xB2C1, 0xB4EE, 0xB6EA, 0xB7A2, 0xB8C1, 0xB9FE, 0xBBF7, 0xBFA6, 0xC0AC, 0xC2E8,
         0xC4C3, 0xC5B6, 0xC5BE, 0xC6DA, 0xC8BB, 0xC8F6, 0xCBFA, 0xCDDA, 0xCEF4, 0xD1B9, 0xD4D1, 0xD7FA];
    private const string Letters = "ABCDEFGHJKLMNOPQRSTWXYZ";

    static PinyinInitials()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Gb2312 = Encoding.GetEncoding(936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    public static string Of(string text)
    {
        var sb = new StringBuilder(text.Length);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c)) { sb.Append(char.ToUpperInvariant(c)); continue; }
            if (c < 0x4E00 || c > 0x9FFF) continue;
            int written;
            try { written = Gb2312.GetBytes([c], bytes); }
            catch (EncoderFallbackException) { continue; }
            if (written != 2) continue;
            var code = bytes[0] << 8 | bytes[1];
            for (var i = 0; i < Letters.Length; i++)
            {
                if (code >= Bounds[i] && code < Bounds[i + 1]) { sb.Append(Letters[i]); break; }
            }
        }
        return sb.ToString();
    }
}
