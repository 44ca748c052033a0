using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KeyAccounts.Features.Imports;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace KeyAccounts.Tests.Features.Imports;

/// <summary>
/// Hostile files (seeded, so a failure is reproduced by its number) posted to every import kind, as a dry run and for real: the
/// server never answers 5xx, a refused import leaves every table as it was, and every row error names its line (and its
/// column when it is about a field).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ImportFuzzTests(TestApp app)
{
    private const int Seed = 20_261_207;
    private const int Files = 150;

    private static readonly (string Kind, string[] Columns)[] Kinds =
    [
        ("accounts", ["code", "name", "type", "industry", "province", "city", "creditCode", "parentCode", "ownerUserName"]),
        ("contacts", ["accountCode", "name", "title", "department", "role", "attitude", "influence", "reportsTo", "birthday", "phone", "email", "wechat", "preferences"]),
        ("orders", ["orderNo", "accountCode", "orderDate", "productCode", "productName", "quantity", "unitPrice", "unitCost"]),
        ("invoices", ["invoiceNo", "accountCode", "issuedOn", "dueOn", "amount"]),
        ("payments", ["paymentNo", "accountCode", "paidOn", "amount", "invoiceNo"]),
        ("quality-incidents", ["incidentNo", "accountCode", "occurredOn", "lossAmount", "description"]),
    ];

    private static readonly string[] Hostile =
    [
        "\0", "a\0b", "\u0001", "x\u001Fy", "\u007F", "=1+2", "+SUM(A1:A9)", "-2+3", "@cmd|' /C calc'!A0", "\"unbalanced", "a\"b", "1e400", "NaN", "-0",
        "1,000.50", "--5", "79228162514264337593543950335", "0.000000000000000000000000001", "1e20", "2026-02-30", "99999-01-01", "0001-01-01",
        "2026-13-45", "20260230", "　全角空格", "😀", "\uD800", "\uDC00x", "null", "NULL", "  ", "\t", "'", "Robert'); DROP TABLE \"Accounts\";--",
        "客户", "经销商", "决策者", "-1", "0", "3.14159265358979", "9999999999999999999999", "<script>alert(1)</script>", "\r", "\n\n",
    ];

    [Fact]
    public async Task Post_HostileFilesToEveryKind_NoServerErrorNoHalfWriteAndEveryErrorHasItsLine()
    {
        var random = new Random(Seed);
        var p = TestApp.Unique("FZ");
        using var client = await app.ClientAsync("admin");
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        await (await client.PostJsonAsync("/api/v1/accounts", new { code = p, name = $"模糊测试{p}有限公司", type = "Customer" })).ExpectAsync(HttpStatusCode.Created);
        var failures = new List<string>();

        for (var i = 0; i < Files; i++)
        {
            var (kind, columns) = Kinds[i % Kinds.Length];
            var (fileName, bytes, mutation) = Generate(random, columns, p, i);
            // Each file goes to its own kind (dry run, then for real) and, as a dry run, to another kind whose columns it lacks.
            var other = Kinds[(i + 1 + random.Next(Kinds.Length - 1)) % Kinds.Length];
            foreach (var (k, cols, dryRun) in new[] { (kind, columns, true), (kind, columns, false), (other.Kind, other.Columns, true) })
            {
                var before = dryRun ? null : await CountsAsync();
                using var content = new MultipartFormDataContent();
                var part = new ByteArrayContent(bytes);
                part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Add(part, "file", fileName);
                using var response = await client.PostAsync($"/api/v1/imports/{k}?dryRun={dryRun.ToString().ToLowerInvariant()}", content);
                var text = await response.Content.ReadAsStringAsync();
                var what = $"file {i} ({mutation}, {fileName}) to {k}{(dryRun ? " dry run" : "")}";
                if ((int)response.StatusCode >= 500) failures.Add($"{what}: {(int)response.StatusCode} {Shorten(text)}");
                var after = dryRun || response.StatusCode == HttpStatusCode.OK ? null : await CountsAsync();
                if (after is not null && !before!.AsEnumerable().SequenceEqual(after))
                    failures.Add($"{what}: refused with {(int)response.StatusCode} but the tables changed");
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity)
                    foreach (var e in JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateArray())
                    {
                        var (line, column) = (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString());
                        if (line < 1) failures.Add($"{what}: an error without a line: {e}");
                        else if (line > 1 && !cols.Contains(column)) failures.Add($"{what}: a row error that names no column of the file: {e}");
                    }
                else if (response.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.Conflict))
                    failures.Add($"{what}: unexpected {(int)response.StatusCode} {Shorten(text)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
    }

    private static string Shorten(string text) => text.Length > 400 ? text[..400] : text;

    private async Task<long[]> CountsAsync()
    {
        await using var db = app.Db();
        return
        [
            await db.Accounts.LongCountAsync(), await db.Contacts.LongCountAsync(), await db.Orders.LongCountAsync(), await db.OrderLines.LongCountAsync(),
            await db.Products.LongCountAsync(), await db.Invoices.LongCountAsync(), await db.Payments.LongCountAsync(), await db.QualityIncidents.LongCountAsync(),
            await db.AuditEntries.LongCountAsync(), await db.OwnershipChanges.LongCountAsync(),
        ];
    }

    /// <summary>A plausible value for a column, so that some rows get as far as the database.</summary>
    private static string Plausible(Random r, string column, string account, int file) => column switch
    {
        "code" => $"{account}-{file}-{r.Next(20)}",
        "name" => $"模糊{file}号{r.Next(1000)}有限公司",
        "type" => r.Next(2) == 0 ? "Customer" : "经销商",
        "accountCode" or "parentCode" => account,
        "orderNo" or "invoiceNo" or "paymentNo" or "incidentNo" => $"{account}-{column[0]}{file}-{r.Next(4)}",
        "orderDate" or "issuedOn" or "dueOn" or "paidOn" or "occurredOn" => $"2026-0{r.Next(1, 10)}-1{r.Next(10)}",
        "birthday" => "1980-02-29",
        "quantity" or "unitPrice" or "unitCost" or "amount" or "lossAmount" => (r.Next(1, 10_000) / 100m).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "influence" => r.Next(1, 6).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "productCode" => $"FZP{r.Next(5)}",
        "email" => "fuzz@example.com",
        "role" => "决策者",
        "attitude" => "Supporter",
        "ownerUserName" => r.Next(2) == 0 ? "admin" : "",
        _ => r.Next(3) == 0 ? "" : $"文本{r.Next(100)}",
    };

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;

    private static (string FileName, byte[] Bytes, string Mutation) Generate(Random r, string[] columns, string account, int file)
    {
        var header = columns.ToList();
        var rows = Enumerable.Range(0, r.Next(0, 12)).Select(_ => columns.Select(c => Plausible(r, c, account, file)).ToList()).ToList();
        var mutation = (file / Kinds.Length % 12) switch
        {
            0 => "plain",
            1 => "hostile cells",
            2 => "headers",
            3 => "encoding",
            4 => "binary",
            5 => "quotes",
            6 => "empty",
            7 => "huge",
            8 => "xlsx",
            9 => "broken xlsx",
            10 => "ragged rows",
            _ => "hostile cells and headers",
        };
        if (mutation.Contains("hostile cells") || mutation == "xlsx")
            foreach (var row in rows)
                for (var n = r.Next(1, 4); n > 0; n--) row[r.Next(row.Count)] = Hostile[r.Next(Hostile.Length)];
        if (mutation.Contains("headers"))
        {
            switch (r.Next(5))
            {
                case 0: header.RemoveAt(r.Next(header.Count)); break;
                case 1: header[r.Next(header.Count)] = header[r.Next(header.Count)]; break;
                case 2: header.Add("extra"); header.Insert(0, "编号"); foreach (var row in rows) { row.Add("x"); row.Insert(0, "y"); } break;
                case 3: header = header.Select(h => r.Next(2) == 0 ? h.ToUpperInvariant() : " " + h + " ").ToList(); break;
                default: header[r.Next(header.Count)] = ""; break;
            }
        }
        if (mutation == "ragged rows")
            foreach (var row in rows)
                if (r.Next(2) == 0) row.RemoveRange(r.Next(row.Count), 1);
                else row.AddRange(Enumerable.Repeat("z", r.Next(1, 5)));

        if (mutation == "xlsx" || mutation == "broken xlsx")
        {
            byte[] xlsx;
            using (var stream = new MemoryStream())
            {
                var sheet = rows.Select(row => header.Distinct().Select((h, c) => (h, c)).ToDictionary(x => x.h.Length == 0 ? $"blank{x.c}" : x.h,
                    x => (object?)(x.c < row.Count ? row[x.c] : null))).ToList();
                try
                {
                    if (sheet.Count == 0) stream.SaveAs(new[] { header.Distinct().ToDictionary(h => h.Length == 0 ? "blank" : h, h => (object?)null) }, excelType: ExcelType.XLSX);
                    else stream.SaveAs(sheet, excelType: ExcelType.XLSX);
                }
                catch (Exception)
                {
                    // Text that XML cannot carry: the workbook is whatever was written.
                }
                xlsx = stream.ToArray();
            }
            if (mutation == "broken xlsx")
            {
                xlsx = r.Next(3) switch
                {
                    0 => xlsx[..r.Next(0, Math.Max(1, xlsx.Length))],
                    1 => xlsx.Select(b => r.Next(50) == 0 ? (byte)r.Next(256) : b).ToArray(),
                    _ => [.. "PK\u0003\u0004"u8.ToArray(), .. Garbage(r, r.Next(10, 5000))],
                };
            }
            return ("fuzz.xlsx", xlsx, mutation);
        }

        var lines = new List<string> { string.Join(",", header.Select(Quote)) };
        lines.AddRange(rows.Select(row => string.Join(",", row.Select(Quote))));
        if (mutation == "quotes")
            for (var n = r.Next(1, 4); n > 0 && lines.Count > 1; n--)
            {
                var at = r.Next(1, lines.Count);
                lines[at] = lines[at].Insert(r.Next(lines[at].Length + 1), "\"");
            }
        if (mutation == "huge")
        {
            if (r.Next(2) == 0) lines.Add(string.Join(",", Enumerable.Range(0, 20_000).Select(c => c % 7 == 0 ? "" : "v")));
            else if (lines.Count > 1) lines[1] += "," + new string('长', r.Next(100_000, 1_000_000));
            else lines.Add(string.Join(",", columns.Select(_ => new string('x', 300_000))));
        }
        var newline = r.Next(4) switch { 0 => "\n", 1 => "\r", _ => "\r\n" };
        var text = string.Join(newline, lines) + (r.Next(2) == 0 ? newline : "");

        var bytes = mutation switch
        {
            "empty" => r.Next(4) switch { 0 => [], 1 => Encoding.UTF8.GetPreamble(), 2 => Encoding.UTF8.GetBytes(lines[0]), _ => Encoding.UTF8.GetBytes("\r\n\r\n\n") },
            "binary" => r.Next(2) == 0 ? Garbage(r, r.Next(1, 20_000)) : [.. Encoding.UTF8.GetBytes(lines[0] + "\r\n"), .. Garbage(r, r.Next(1, 5000))],
            "encoding" => r.Next(5) switch
            {
                0 => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
                1 => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)],
                2 => ImportFile.Gbk.GetBytes(text),
                3 => Encoding.Latin1.GetBytes(text + "é¿ÿ"),
                _ => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
            },
            _ => Encoding.UTF8.GetBytes(text),
        };
        return (r.Next(10) == 0 ? "FUZZ.CSV" : "fuzz.csv", bytes, mutation);
    }

    private static byte[] Garbage(Random r, int length)
    {
        var bytes = new byte[length];
        r.NextBytes(bytes);
        return bytes;
    }
}
