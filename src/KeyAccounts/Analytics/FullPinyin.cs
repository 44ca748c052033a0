using System.Text;

namespace KeyAccounts.Analytics;

/// <summary>
/// Full pinyin of a Chinese name without tones, lower case and unseparated ("恒力石化" → "henglishihua"), so "hengli" finds it.
/// The same source as <see cref="PinyinInitials"/>: GB2312's level-1 characters are ordered by pinyin, so a character's syllable
/// is the one whose range holds its GB2312 code, and each character always has the one reading GB2312 files it under (a polyphonic
/// character such as 行 or 长 reads the same in every name, and its first letter is its initial). Other Chinese characters are
/// skipped, as the initials skip them; ASCII letters and digits are kept, lower-cased.
/// </summary>
public static class FullPinyin
{
    /// <summary>
    /// Where each syllable starts in GB2312 (hex code, then the syllable), derived from the Unihan readings of the level-1
    /// characters in code order; ü is written v (lv, nv) and lüe, nüe as lue, nue, as pinyin keyboards take them.
    /// </summary>
    private const string Table = """
        B0A1a B0A3ai B0B0an B0B9ang B0BCao B0C5ba B0D7bai B0DFban B0EEbang B0FAbao B1ADbei B1BCben B1C0beng B1C6bi
        B1DEbian B1EAbiao B1EEbie B1F2bin B1F8bing B2A3bo B2B6bu B2C1ca B2C2cai B2CDcan B2D4cang B2D9cao B2DEce
        B2E3ceng B2E5cha B2F0chai B2F3chan B2FDchang B3ACchao B3B5che B3BBchen B3C5cheng B3D4chi B3E4chong B3E9chou
        B3F5chu B4A7chuai B4A8chuan B4AFchuang B4B5chui B4BAchun B4C1chuo B4C3ci B4CFcong B4D5cou B4D6cu B4DAcuan
        B4DDcui B4E5cun B4E8cuo B4EEda B4F4dai B5A2dan B5B1dang B5B6dao B5C2de B5C5deng B5CCdi B5DFdian B5EFdiao
        B5F8die B6A1ding B6AAdiu B6ABdong B6B5dou B6BCdu B6CBduan B6D1dui B6D5dun B6DEduo B6EAe B6F7en B6F8er B7A2fa
        B7AAfan B7BBfang B7C6fei B7D2fen B7E1feng B7F0fo B7F1fou B7F2fu B8C1ga B8C3gai B8C9gan B8D4gang B8DDgao B8E7ge
        B8F8gei B8F9gen B8FBgeng B9A4gong B9B3gou B9BCgu B9CEgua B9D4guai B9D7guan B9E2guang B9E5gui B9F5gun B9F8guo
        B9FEha BAA1hai BAA8han BABBhang BABEhao BAC7he BAD9hei BADBhen BADFheng BAE4hong BAEDhou BAF4hu BBA8hua
        BBB1huai BBB6huan BBC4huang BBD2hui BBE7hun BBEDhuo BBF7ji BCCEjia BCDFjian BDA9jiang BDB6jiao BDD2jie BDEDjin
        BEA3jing BEBCjiong BEBEjiu BECFju BEE8juan BEEFjue BEF9jun BFA6ka BFAAkai BFAFkan BFB5kang BFBCkao BFC0ke
        BFCFken BFD3keng BFD5kong BFD9kou BFDDku BFE4kua BFE9kuai BFEDkuan BFEFkuang BFF7kui C0A4kun C0A8kuo C0ACla
        C0B3lai C0B6lan C0C5lang C0CClao C0D5le C0D7lei C0E2leng C0E5li C1A9lia C1AAlian C1B8liang C1C3liao C1D0lie
        C1D5lin C1E1ling C1EFliu C1FAlong C2A5lou C2ABlu C2BFlv C2CDluan C2D3lue C2D5lun C2DCluo C2E8ma C2F1mai
        C2F7man C3A2mang C3A8mao C3B4me C3B5mei C3C5men C3C8meng C3D0mi C3DEmian C3E7miao C3EFmie C3F1min C3F7ming
        C3FDmiu C3FEmo C4B1mou C4B4mu C4C3na C4CAnai C4CFnan C4D2nang C4D3nao C4D8ne C4D9nei C4DBnen C4DCneng C4DDni
        C4E8nian C4EFniang C4F1niao C4F3nie C4FAnin C4FBning C5A3niu C5A7nong C5ABnu C5AEnv C5AFnuan C5B0nue C5B2nuo
        C5B6o C5B7ou C5BEpa C5C4pai C5CApan C5D2pang C5D7pao C5DEpei C5E7pen C5E9peng C5F7pi C6AApian C6AEpiao C6B2pie
        C6B4pin C6B9ping C6C2po C6CBpu C6DAqi C6FEqia C7A3qian C7B9qiang C7C1qiao C7D0qie C7D5qin C7E0qing C7EDqiong
        C7EFqiu C7F7qu C8A6quan C8B1que C8B9qun C8BBran C8BFrang C8C4rao C8C7re C8C9ren C8D3reng C8D5ri C8D6rong
        C8E0rou C8E3ru C8EDruan C8EFrui C8F2run C8F4ruo C8F6sa C8F9sai C8FDsan C9A3sang C9A6sao C9AAse C9ADsen
        C9AEseng C9AFsha C9B8shai C9BAshan C9CAshang C9D2shao C9DDshe C9E9shen C9F9sheng CAA6shi CAD5shou CADFshu
        CBA2shua CBA4shuai CBA8shuan CBAAshuang CBADshui CBB1shun CBB5shuo CBB9si CBC9song CBD1sou CBD5su CBE1suan
        CBE4sui CBEFsun CBF2suo CBFAta CCA5tai CCAEtan CCC0tang CCCDtao CCD8te CCD9teng CCDDti CCECtian CCF4tiao
        CCF9tie CCFCting CDA8tong CDB5tou CDB9tu CDC4tuan CDC6tui CDCCtun CDCFtuo CDDAwa CDE1wai CDE3wan CDF4wang
        CDFEwei CEC1wen CECBweng CECEwo CED7wu CEF4xi CFB9xia CFC6xian CFE0xiang CFF4xiao D0A8xie D0BDxin D0C7xing
        D0D6xiong D0DDxiu D0E6xu D0F9xuan D1A5xue D1ABxun D1B9ya D1C9yan D1EAyang D1FByao D2ACye D2BByi D2F0yin
        D3A2ying D3B4yo D3B5yong D3C4you D3D8yu D4A7yuan D4BByue D4C5yun D4D1za D4D4zai D4DBzan D4DFzang D4E2zao
        D4F0ze D4F4zei D4F5zen D4F6zeng D4FAzha D5AAzhai D5B0zhan D5C1zhang D5D0zhao D5DAzhe D5E4zhen D5F4zheng
        D6A5zhi D6D0zhong D6DBzhou D6E9zhu D7A5zhua D7A7zhuai D7A8zhuan D7AEzhuang D7B5zhui D7BBzhun D7BDzhuo D7C8zi
        D7D7zong D7DEzou D7E2zu D7EAzuan D7ECzui D7F0zun D7F2zuo
        """;

    private static readonly Encoding Gb2312;
    private static readonly int[] Starts;
    private static readonly string[] Syllables;

    static FullPinyin()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Gb2312 = Encoding.GetEncoding(936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        var entries = Table.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        Starts = [.. entries.Select(e => Convert.ToInt32(e[..4], 16))];
        Syllables = [.. entries.Select(e => e[4..])];
    }

    /// <summary>The end of GB2312's level-1 characters (the last syllable's range ends here).</summary>
    private const int LevelOneEnd = 0xD7FA;

    public static string Of(string text)
    {
        var sb = new StringBuilder(text.Length * 4);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c)) { sb.Append(char.ToLowerInvariant(c)); continue; }
            if (c < 0x4E00 || c > 0x9FFF) continue;
            int written;
            try { written = Gb2312.GetBytes([c], bytes); }
            catch (EncoderFallbackException) { continue; }
            if (written != 2) continue;
            var code = bytes[0] << 8 | bytes[1];
            if (code < Starts[0] || code >= LevelOneEnd) continue;
            var i = Array.BinarySearch(Starts, code);
            sb.Append(Syllables[i >= 0 ? i : ~i - 1]);
        }
        return sb.ToString();
    }

    /// <summary>
    /// A search term as full pinyin, or null when it is not one: letters (and digits) only once spaces and apostrophes
    /// (heng'li, heng li) are dropped, lower-cased, with at least one letter.
    /// </summary>
    public static string? OfTerm(string term)
    {
        var sb = new StringBuilder(term.Length);
        foreach (var c in term)
        {
            if (c is ' ' or '\'' or '\u3000') continue;
            if (!char.IsAsciiLetterOrDigit(c)) return null;
            sb.Append(char.ToLowerInvariant(c));
        }
        var spelled = sb.ToString();
        return spelled.Any(char.IsAsciiLetter) ? spelled : null;
    }
}
