using System.Text;
using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Features.Imports;

/// <summary>
/// Synthetic import files: accounts with unique codes, names and valid credit codes, for tests and the 100,000-row benchmark.
/// Also compiled into bench/KeyAccounts.Benchmarks (linked in its project file): it may use only the app and the base library, not xunit.
/// </summary>
public static class ImportTestData
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly string[] Provinces = ["浙江", "江苏", "广东", "山东", "四川", "湖北", "河南", "福建"];
    private static readonly string[] Industries = ["机械", "汽车零部件", "电子", "化工", "建材", "家电"];

    private static long issued = Random.Shared.Next(1, 1_000_000) * 1_000_000L;

    /// <summary>A valid unified social credit code, different at every call in this process.</summary>
    public static string NextCreditCode()
    {
        var n = Interlocked.Increment(ref issued);
        var body = new char[9];
        for (var i = 8; i >= 0; i--) { body[i] = Alphabet[(int)(n % 31)]; n /= 31; }
        var first17 = "91330100" + new string(body);
        return first17 + CreditCode.CheckCharacter(first17);
    }

    public const string AccountHeader = "code,name,type,industry,province,city,creditCode,parentCode,ownerUserName";

    /// <summary>Account rows; every tenth row belongs to the group of the row that starts its ten.</summary>
    public static IEnumerable<string> AccountLines(string prefix, int count, bool withParents = true, bool withCreditCodes = true)
    {
        for (var i = 0; i < count; i++)
        {
            var code = $"{prefix}{i:D6}";
            var parent = withParents && i % 10 != 0 ? $"{prefix}{i - i % 10:D6}" : "";
            var cc = withCreditCodes ? NextCreditCode() : "";
            yield return $"{code},{prefix}{i}号精密机械有限公司,{(i % 4 == 0 ? "Dealer" : "Customer")},{Industries[i % Industries.Length]},{Provinces[i % Provinces.Length]},市{i % 50},{cc},{parent},";
        }
    }

    public static byte[] Csv(IEnumerable<string> lines, Encoding encoding, bool bom)
    {
        var text = string.Join("\r\n", lines) + "\r\n";
        var body = encoding.GetBytes(text);
        return bom ? [.. encoding.GetPreamble(), .. body] : body;
    }

    public static void WriteAccountsCsv(string path, string prefix, int count)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(true));
        writer.Write(AccountHeader + "\r\n");
        foreach (var line in AccountLines(prefix, count)) writer.Write(line + "\r\n");
    }
}
