using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KeyAccounts.Features.Imports;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace KeyAccounts.Tests.Features.Imports;

/// <summary>What the pipeline does for every kind: the upload limit, the roles, unreadable workbooks and unreadable cells.</summary>
[Collection(AppCollection.Name)]
public sealed class ImportPipelineTests(TestApp app)
{
    private const string Header = ImportTestData.AccountHeader;

    private static byte[] Utf8(params string[] lines) => ImportTestData.Csv(lines, new UTF8Encoding(false), bom: false);

    private async Task<HttpResponseMessage> PostAsync(string user, string kind, byte[] file, string fileName = "import.csv", string query = "")
    {
        using var client = await app.ClientAsync(user);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", fileName);
        return await client.PostAsync($"/api/v1/imports/{kind}{query}", content);
    }

    private async Task<int> AccountsAsync(string codePrefix)
    {
        await using var db = app.Db();
        return await db.Accounts.CountAsync(a => a.Code.StartsWith(codePrefix));
    }

    /// <summary>A file of a valid header and row padded with spaces to a given length, made as it is read (never held in memory).</summary>
    private sealed class PaddedFile(byte[] start, long length) : Stream
    {
        private long position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => position;
            set => position = value;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            for (var i = 0; i < n; i++, position++) buffer[offset + i] = position < start.Length ? start[position] : (byte)' ';
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => length + offset,
        };

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private async Task<HttpResponseMessage> PostLargeAsync(string culture, string prefix, long length)
    {
        using var client = await app.ClientAsync("rep");
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        var start = Encoding.UTF8.GetBytes(Header + "\r\n" + ImportTestData.AccountLines(prefix, 1, withParents: false).Single());
        using var content = new MultipartFormDataContent { { new StreamContent(new PaddedFile(start, length)), "file", "big.csv" } };
        return await client.PostAsync("/api/v1/imports/accounts", content);
    }

    [Fact]
    public async Task Post_FileJustOverTheUploadLimit_Answers413ProblemAndWritesNothing()
    {
        var p = TestApp.Unique("B");

        var response = await PostLargeAsync("en", p, TestApp.ImportLimitBytes + 1);

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.ExpectAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains($"{TestApp.ImportLimitBytes / (1024 * 1024)} MB", body.GetProperty("detail").GetString());
        Assert.Equal(0, await AccountsAsync(p));
    }

    [Fact]
    public async Task Post_FileFarOverTheUploadLimitInChinese_ProblemSaysItInChinese()
    {
        var p = TestApp.Unique("B");

        var body = await (await PostLargeAsync("zh-CN", p, TestApp.ImportLimitBytes * 2)).ExpectAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains($"文件超过导入允许的 {TestApp.ImportLimitBytes / (1024 * 1024)} MB", body.GetProperty("detail").GetString());
        Assert.Equal(0, await AccountsAsync(p));
    }

    [Theory]
    [InlineData("finance", "accounts")]
    [InlineData("finance", "contacts")]
    [InlineData("engineer", "accounts")]
    [InlineData("engineer", "orders")]
    [InlineData("finance", "orders")]
    public async Task Post_RoleThatMayNotWriteTheKind_Answers403AndWritesNothing(string user, string kind)
    {
        var p = TestApp.Unique("R");
        var file = kind switch
        {
            "accounts" => Utf8([Header, .. ImportTestData.AccountLines(p, 2, withParents: false)]),
            "contacts" => Utf8("accountCode,name", $"{p},张三"),
            _ => Utf8("orderNo,accountCode,orderDate,productCode,productName,quantity,unitPrice,unitCost", $"{p}-1,{p},2026-03-01,P1,Gear,1,10,5"),
        };

        var dryRun = await (await PostAsync(user, kind, file, query: "?dryRun=true")).ExpectAsync(HttpStatusCode.Forbidden);
        await (await PostAsync(user, kind, file)).ExpectAsync(HttpStatusCode.Forbidden);

        Assert.Contains(kind, dryRun.GetProperty("detail").GetString());
        Assert.Equal(0, await AccountsAsync(p));
        await using var db = app.Db();
        Assert.False(await db.Orders.AnyAsync(o => o.OrderNo.StartsWith(p)));
    }

    [Fact]
    public async Task PostBatch_RoleThatMayNotWriteOrders_Answers403()
    {
        using var client = await app.ClientAsync("finance");
        var p = TestApp.Unique("Q");
        var response = await client.PostJsonAsync("/api/v1/transactions/orders", new
        {
            items = new[] { new { orderNo = $"{p}-1", accountCode = p, orderDate = "2026-03-01", productCode = "P1", quantity = 1, unitPrice = 10, unitCost = 5 } },
        });
        await response.ExpectAsync(HttpStatusCode.Forbidden);
    }

    private static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        return stream.ToArray();
    }

    public static TheoryData<string> BrokenWorkbooks => ["no-workbook", "no-sheets", "not-a-zip", "truncated"];

    [Theory]
    [MemberData(nameof(BrokenWorkbooks))]
    public async Task Post_XlsxThatIsNotAReadableWorkbook_Answers400Problem(string broken)
    {
        using var good = new MemoryStream();
        good.SaveAs(new[] { new Dictionary<string, object?> { ["code"] = "X", ["name"] = "Y", ["type"] = "Customer" } }, excelType: ExcelType.XLSX);
        var file = broken switch
        {
            "no-workbook" => Zip(("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"), ("docProps/app.xml", "<Properties/>")),
            "no-sheets" => Zip(("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
                ("xl/workbook.xml", "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheets/></workbook>")),
            "not-a-zip" => Encoding.UTF8.GetBytes("code,name,type\r\nX,Y,Customer\r\n"),
            _ => good.ToArray()[..(int)(good.Length / 2)],
        };

        foreach (var query in new[] { "?dryRun=true", "" })
        {
            var body = await (await PostAsync("rep", "accounts", file, "accounts.xlsx", query)).ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Contains("not a readable workbook", body.GetProperty("detail").GetString());
        }
    }

    [Theory]
    [InlineData('\0')]
    [InlineData('\u0001')]
    [InlineData('\u001B')]
    public async Task Import_ControlCharacterInACell_RowErrorWithLineAndColumnAndNothingWritten(char control)
    {
        var p = TestApp.Unique("N");
        var file = Utf8(Header, $"{p}1,好公司{p},Customer,,,,,,", $"{p}2,坏{control}公司{p},Customer,,,,,,", $"{p}3,又一个{p},Customer,,浙{control}江,,,,");

        var dryRun = await (await PostAsync("rep", "accounts", file, query: "?dryRun=true")).ExpectAsync<ImportReport>(HttpStatusCode.OK);
        var body = await (await PostAsync("rep", "accounts", file)).ExpectAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal((1, 2), (dryRun.Accepted, dryRun.Rejected));
        Assert.Equal([(3, "name"), (4, "province")], dryRun.Errors.Select(e => (e.Line, e.Column)));
        Assert.Contains($"U+{(int)control:X4}", dryRun.Errors[0].Message);
        Assert.Equal(2, body.GetProperty("rejected").GetInt32());
        Assert.Equal(0, await AccountsAsync(p));
    }

    [Fact]
    public async Task Import_ControlCharacterInAnOrderLine_RowErrorAndTheGoodRowsSkippedIn()
    {
        var code = TestApp.Unique("T");
        using (var client = await app.ClientAsync("rep"))
            await (await client.PostJsonAsync("/api/v1/accounts", new { code, name = $"常州{code}传动设备有限公司", type = "Customer" })).ExpectAsync(HttpStatusCode.Created);
        var file = Utf8("orderNo,accountCode,orderDate,productCode,productName,quantity,unitPrice,unitCost",
            $"{code}-1,{code},2026-03-01,P1,Gear,1,10,5",
            $"{code}-2,{code},2026-03-01,P1,Ge\0ar,1,10,5");

        var report = await (await PostAsync("rep", "orders", file, query: "?skipInvalid=true")).ExpectAsync<ImportReport>(HttpStatusCode.OK);

        Assert.Equal((1, 1), (report.Accepted, report.Rejected));
        var error = Assert.Single(report.Errors);
        Assert.Equal((3, "productName"), (error.Line, error.Column));
        await using var db = app.Db();
        Assert.Equal([$"{code}-1"], await db.Orders.Where(o => o.OrderNo.StartsWith(code)).Select(o => o.OrderNo).ToListAsync());
    }

    /// <summary>
    /// 12,000 accounts, more than two batches: a child before its parent across a batch boundary (and its own child waiting with
    /// it), a code repeated across a batch boundary, and a parent that never comes, deferred to the end of the file.
    /// </summary>
    [Fact]
    public async Task Accounts_FileOfSeveralBatches_ParentsLaterAndDuplicatesAcrossBatchesOnTheirLines()
    {
        var p = TestApp.Unique("H");
        var rows = ImportTestData.AccountLines(p, 12_000, withParents: false).Select(l => l.Split(',')).ToList();
        string Code(int i) => rows[i][0];
        rows[100][7] = Code(7000);            // line 102 waits for line 7002, in the second batch
        rows[200][7] = Code(100);             // line 202 waits for line 102
        rows[300][7] = $"{p}NOPE";            // line 302 waits for a parent that never comes
        rows[9000][0] = Code(50);             // line 9002 repeats line 52's code
        var file = Utf8([Header, .. rows.Select(r => string.Join(",", r))]);
        Assert.True(rows.Count > 2 * ImportBatches.Size);

        var dryRun = await (await PostAsync("rep", "accounts", file, query: "?dryRun=true")).ExpectAsync<ImportReport>(HttpStatusCode.OK);
        var refused = await (await PostAsync("rep", "accounts", file)).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await AccountsAsync(p));
        var report = await (await PostAsync("rep", "accounts", file, query: "?skipInvalid=true")).ExpectAsync<ImportReport>(HttpStatusCode.OK);

        foreach (var r in new[] { dryRun, report })
        {
            Assert.Equal((11_998, 2), (r.Accepted, r.Rejected));
            Assert.Equal([(302, "parentCode"), (9002, "code")], r.Errors.Select(e => (e.Line, e.Column)));
            Assert.Equal($"There is no account {p}NOPE.", r.Errors[0].Message);
            Assert.Equal($"The code {Code(50)} is already on line 52 of this file.", r.Errors[1].Message);
        }
        Assert.Equal(2, refused.GetProperty("rejected").GetInt32());
        await using var db = app.Db();
        Assert.Equal(11_998, await AccountsAsync(p));
        var ids = await db.Accounts.Where(a => a.Code.StartsWith(p)).ToDictionaryAsync(a => a.Code, a => (a.Id, a.ParentId, a.Name));
        Assert.Equal(ids[Code(7000)].Id, ids[Code(100)].ParentId);
        Assert.Equal(ids[Code(100)].Id, ids[Code(200)].ParentId);
        Assert.False(ids.ContainsKey(Code(300)));
        Assert.Equal(rows[50][1], ids[Code(50)].Name);
        Assert.Equal(11_998, await db.AuditEntries.CountAsync(e => e.Entity == "Account" && e.EntityKey.StartsWith(p)));
    }

    [Fact]
    public async Task Accounts_FileOf200001Rows_DryRunChecksEveryRowWithoutRefusingTheFile()
    {
        var p = TestApp.Unique("L");
        var file = Utf8([Header, .. ImportTestData.AccountLines(p, 200_001, withParents: false, withCreditCodes: false)]);

        var dryRun = await (await PostAsync("rep", "accounts", file, query: "?dryRun=true")).ExpectAsync<ImportReport>(HttpStatusCode.OK);

        Assert.Equal((200_001, 0), (dryRun.Accepted, dryRun.Rejected));
        Assert.Empty(dryRun.Errors);
    }

    [Fact]
    public async Task Import_NumberTooLargeForTheColumn_RowError()
    {
        var code = TestApp.Unique("V");
        var report = await (await PostAsync("admin", "invoices", Utf8("invoiceNo,accountCode,issuedOn,dueOn,amount", $"{code},{code},2026-01-10,2026-02-10,1e20"),
            query: "?dryRun=true")).ExpectAsync<ImportReport>(HttpStatusCode.OK);

        Assert.True(report.Errors.Any(e => e is { Line: 2, Column: "amount" } && e.Message.Contains("out of range")),
            string.Join("\n", report.Errors.Select(e => $"{e.Line} {e.Column}: {e.Message}")));
    }
}
