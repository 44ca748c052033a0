using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Audit;
using KeyAccounts.Features.Contacts;
using KeyAccounts.Features.Imports;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace KeyAccounts.Tests.Features.Imports;

[Collection(AppCollection.Name)]
public sealed class ImportsApiTests(TestApp app)
{
    private const string Header = ImportTestData.AccountHeader;

    private static byte[] Utf8(params string[] lines) => ImportTestData.Csv(lines, new UTF8Encoding(false), bom: false);

    private async Task<HttpResponseMessage> PostAsync(string user, string kind, byte[] file, string fileName = "import.csv", string query = "")
    {
        using var client = await app.ClientAsync(user);
        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".xlsx") ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
        content.Add(part, "file", fileName);
        return await client.PostAsync($"/api/v1/imports/{kind}{query}", content);
    }

    private async Task<ImportReport> ImportAsync(string user, string kind, byte[] file, string fileName = "import.csv", string query = "") =>
        await (await PostAsync(user, kind, file, fileName, query)).ExpectAsync<ImportReport>(HttpStatusCode.OK);

    private static void AssertNoErrors(ImportReport report) =>
        Assert.True(report.Errors.Count == 0, string.Join("\n", report.Errors.Select(e => $"{e.Line} {e.Column}: {e.Message}")));

    private async Task<int> CountAsync(string codePrefix)
    {
        await using var db = app.Db();
        return await db.Accounts.CountAsync(a => a.Code.StartsWith(codePrefix));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Accounts_Utf8Csv_ImportsWithOrWithoutBom(bool bom)
    {
        var p = TestApp.Unique("U");
        var file = ImportTestData.Csv([Header, .. ImportTestData.AccountLines(p, 3)], new UTF8Encoding(false), bom);

        var report = await ImportAsync("rep", "accounts", file);

        AssertNoErrors(report);
        Assert.Equal(3, report.Accepted);
        await using var db = app.Db();
        var first = await db.Accounts.SingleAsync(a => a.Code == $"{p}000000");
        Assert.Equal($"{p}0号精密机械有限公司", first.Name);
        Assert.Equal(app.UserIds["rep"], first.OwnerId);
        Assert.Equal(AccountType.Dealer, first.Type);
        var child = await db.Accounts.SingleAsync(a => a.Code == $"{p}000001");
        Assert.Equal(first.Id, child.ParentId);
    }

    [Fact]
    public async Task Accounts_GbkCsvFromChineseExcel_ReadsChineseText()
    {
        var p = TestApp.Unique("G");
        var file = ImportTestData.Csv(["编号,Code,NAME,Type,province", $"x,{p},宁波{p}轴承有限公司,经销商,浙江"], ImportFile.Gbk, bom: false);

        var report = await ImportAsync("rep", "accounts", file);

        AssertNoErrors(report);
        await using var db = app.Db();
        var stored = await db.Accounts.SingleAsync(a => a.Code == p);
        Assert.Equal($"宁波{p}轴承有限公司", stored.Name);
        Assert.Equal("浙江", stored.Province);
        Assert.Equal(AccountType.Dealer, stored.Type);
    }

    [Fact]
    public async Task Accounts_Xlsx_ImportsWithLineNumbersOfTheSheet()
    {
        var p = TestApp.Unique("X");
        var rows = new List<Dictionary<string, object?>>
        {
            new() { ["code"] = $"{p}1", ["name"] = $"苏州{p}电子有限公司", ["type"] = "Customer", ["creditCode"] = ImportTestData.NextCreditCode() },
            new() { ["code"] = $"{p}2", ["name"] = $"无锡{p}电子有限公司", ["type"] = "Customer", ["creditCode"] = "91320200MA1234567X" },
        };
        using var stream = new MemoryStream();
        stream.SaveAs(rows, excelType: ExcelType.XLSX);

        var body = await (await PostAsync("rep", "accounts", stream.ToArray(), "accounts.xlsx", "?dryRun=true")).ExpectAsync<ImportReport>(HttpStatusCode.OK);

        Assert.Equal(1, body.Accepted);
        var error = Assert.Single(body.Errors);
        Assert.Equal((3, "creditCode"), (error.Line, error.Column));

        Assert.Equal(1, (await ImportAsync("rep", "accounts", stream.ToArray(), "accounts.xlsx", "?skipInvalid=true")).Accepted);
        Assert.Equal(1, await CountAsync(p));
    }

    [Fact]
    public async Task Accounts_BadRows_ErrorsNameLineAndColumn()
    {
        var p = TestApp.Unique("E");
        var file = Utf8(Header,
            $"{p}1,好公司{p},Customer,,,,,,",
            "",
            $"{p}2,坏代码{p},Customer,,,,91350100M000100Y44,,",
            $"{p}3,\"多行\n名称{p}\",Partner,,,,,,",
            $"{p}4,父级不存在{p},Customer,,,,,NOPE{p},");

        var report = await ImportAsync("rep", "accounts", file, query: "?dryRun=true");

        Assert.Equal(1, report.Accepted);
        Assert.Equal(3, report.Rejected);
        Assert.Contains(report.Errors, e => e is { Line: 4, Column: "creditCode" } && e.Message.Contains("check character"));
        Assert.Contains(report.Errors, e => e is { Line: 5, Column: "type" });
        Assert.Contains(report.Errors, e => e is { Line: 7, Column: "parentCode" });
    }

    [Fact]
    public async Task Accounts_MissingRequiredColumn_ReportedOnceOnTheHeader()
    {
        var p = TestApp.Unique("M");
        var report = await ImportAsync("rep", "accounts", Utf8("code,name", $"{p}1,甲{p}", $"{p}2,乙{p}"), query: "?dryRun=true");

        var error = Assert.Single(report.Errors);
        Assert.Equal((1, "type"), (error.Line, error.Column));
        Assert.Equal((0, 2), (report.Accepted, report.Rejected));
    }

    [Fact]
    public async Task DryRun_ValidFile_WritesNothing()
    {
        var p = TestApp.Unique("D");
        var report = await ImportAsync("rep", "accounts", Utf8([Header, .. ImportTestData.AccountLines(p, 5)]), query: "?dryRun=true");

        Assert.Equal(5, report.Accepted);
        Assert.Equal(0, await CountAsync(p));
    }

    [Fact]
    public async Task Import_OneBadRow_WritesNothingAndAnswers422WithTheReport()
    {
        var p = TestApp.Unique("A");
        var file = Utf8([Header, .. ImportTestData.AccountLines(p, 4), $"{p}BAD,,Customer,,,,,,"]);

        var body = await (await PostAsync("rep", "accounts", file)).ExpectAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(4, body.GetProperty("accepted").GetInt32());
        Assert.Equal(1, body.GetProperty("rejected").GetInt32());
        var error = body.GetProperty("errors")[0];
        Assert.Equal(6, error.GetProperty("line").GetInt32());
        Assert.Equal("name", error.GetProperty("column").GetString());
        Assert.Equal(0, await CountAsync(p));
    }

    [Fact]
    public async Task Import_SkipInvalid_CommitsTheGoodRowsOnly()
    {
        var p = TestApp.Unique("S");
        var file = Utf8([Header, .. ImportTestData.AccountLines(p, 4), $"{p}BAD,,Customer,,,,,,", $"{p}CHILD,子公司{p},Customer,,,,,{p}BAD,"]);

        var report = await ImportAsync("rep", "accounts", file, query: "?skipInvalid=true");

        Assert.Equal((4, 2), (report.Accepted, report.Rejected));
        Assert.Contains(report.Errors, e => e is { Line: 7, Column: "parentCode" });
        Assert.Equal(4, await CountAsync(p));
    }

    [Fact]
    public async Task Reimport_SameCodes_UpdatesInsteadOfDuplicatingAndAudits()
    {
        var p = TestApp.Unique("R");
        AssertNoErrors(await ImportAsync("rep", "accounts", Utf8(Header, $"{p},旧名{p}有限公司,Customer,机械,浙江,杭州,,,")));

        // Without the industry column the stored industry stays; the province cell is empty, so it is cleared.
        var report = await ImportAsync("rep", "accounts", Utf8("code,name,type,province", $"{p},新名{p}有限公司,Dealer,"));

        AssertNoErrors(report);
        await using var db = app.Db();
        var stored = await db.Accounts.SingleAsync(a => a.Code == p);
        Assert.Equal($"新名{p}有限公司", stored.Name);
        Assert.Equal(AccountType.Dealer, stored.Type);
        Assert.Equal("机械", stored.Industry);
        Assert.Null(stored.Province);
        Assert.Equal(1, stored.Version);
        var audit = await db.AuditEntries.Where(e => e.AccountId == stored.Id && e.Entity == "Account").OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([AuditAction.Created, AuditAction.Updated], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal("rep", e.UserName));
        Assert.Contains("新名", audit[1].After);
        Assert.Contains("旧名", audit[1].Before);
        var owners = await db.OwnershipChanges.Where(o => o.AccountId == stored.Id).ToListAsync();
        Assert.Equal(app.UserIds["rep"], Assert.Single(owners).ToUserId);
    }

    [Fact]
    public async Task Import_DuplicatesWithinTheFile_RejectsTheLaterRows()
    {
        var p = TestApp.Unique("W");
        var cc = ImportTestData.NextCreditCode();
        var file = Utf8(Header,
            $"{p}1,杭州{p}传动有限公司,Customer,,,,{cc},,",
            $"{p}2,完全不同{p},Customer,,,,{cc},,",
            $"{p}3,杭州 {p} 传动股份有限公司,Customer,,,,,,",
            $"{p}1,又一个{p},Customer,,,,,,");

        var report = await ImportAsync("rep", "accounts", file, query: "?dryRun=true");

        Assert.Equal((1, 3), (report.Accepted, report.Rejected));
        Assert.Contains(report.Errors, e => e is { Line: 3, Column: "creditCode" } && e.Message.Contains("Line 2"));
        Assert.Contains(report.Errors, e => e is { Line: 4, Column: "name" } && e.Message.Contains("Line 2"));
        Assert.Contains(report.Errors, e => e is { Line: 5, Column: "code" });
    }

    [Fact]
    public async Task Import_DuplicateOfAnAccountTheImporterCannotSee_NamesOnlyTheOwner()
    {
        var p = TestApp.Unique("I");
        var cc = ImportTestData.NextCreditCode();
        AssertNoErrors(await ImportAsync("westrep", "accounts", Utf8(Header, $"{p}W,成都{p}机电有限公司,Dealer,,四川,,{cc},,")));

        var report = await ImportAsync("rep", "accounts", Utf8(Header, $"{p}E,另一个名字{p},Customer,,,,{cc},,", $"{p}F,成都{p}机电公司,Customer,,,,,,"),
            query: "?dryRun=true");

        var byCredit = Assert.Single(report.Errors, e => e.Line == 2);
        Assert.Equal("creditCode", byCredit.Column);
        Assert.Contains("WESTREP", byCredit.Message);
        Assert.DoesNotContain($"{p}W", byCredit.Message);
        Assert.DoesNotContain("成都", byCredit.Message);
        var byName = Assert.Single(report.Errors, e => e.Line == 3);
        Assert.Equal("name", byName.Column);
        Assert.Contains("WESTREP", byName.Message);
    }

    [Fact]
    public async Task Import_RepUpdatingAForeignAccount_RejectedAndUnchanged()
    {
        var p = TestApp.Unique("F");
        AssertNoErrors(await ImportAsync("westrep", "accounts", Utf8(Header, $"{p},西安{p}重工有限公司,Customer,,陕西,,,,")));

        var body = await (await PostAsync("rep", "accounts", Utf8(Header, $"{p},改名{p},Customer,,,,,,"))).ExpectAsync(HttpStatusCode.UnprocessableEntity);

        var error = body.GetProperty("errors")[0];
        Assert.Equal("code", error.GetProperty("column").GetString());
        Assert.Contains("WESTREP", error.GetProperty("message").GetString());
        Assert.DoesNotContain("西安", error.GetProperty("message").GetString());
        await using var db = app.Db();
        Assert.Equal($"西安{p}重工有限公司", (await db.Accounts.SingleAsync(a => a.Code == p)).Name);
    }

    [Fact]
    public async Task Import_OwnerUserName_RepMayNotAssignButManagerMay()
    {
        var p = TestApp.Unique("O");
        var file = Utf8(Header, $"{p},温州{p}阀门有限公司,Customer,,,,,,rep2");

        var rep = await ImportAsync("rep", "accounts", file, query: "?dryRun=true");
        Assert.Equal("ownerUserName", Assert.Single(rep.Errors).Column);

        AssertNoErrors(await ImportAsync("manager", "accounts", file));
        await using var db = app.Db();
        var stored = await db.Accounts.SingleAsync(a => a.Code == p);
        Assert.Equal(app.UserIds["rep2"], stored.OwnerId);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.AccountId == stored.Id && e.Action == AuditAction.Created && e.UserName == "manager"));

        var unknown = await ImportAsync("manager", "accounts", Utf8(Header, $"{p}X,台州{p}有限公司,Customer,,,,,,nobody"), query: "?dryRun=true");
        Assert.Contains("nobody", Assert.Single(unknown.Errors).Message);
    }

    [Fact]
    public async Task Import_ParentLoopInTheFile_Rejected()
    {
        var p = TestApp.Unique("L");
        var report = await ImportAsync("rep", "accounts", Utf8(Header, $"{p}1,甲{p},Customer,,,,,{p}2,", $"{p}2,乙{p},Customer,,,,,{p}1,"), query: "?dryRun=true");

        Assert.Equal(2, report.Rejected);
        Assert.All(report.Errors, e => Assert.Equal("parentCode", e.Column));
    }

    [Fact]
    public async Task Contacts_WithReportsToLaterInTheFile_ImportsUpdatesAndScores()
    {
        var p = TestApp.Unique("C");
        AssertNoErrors(await ImportAsync("rep", "accounts", Utf8(Header, $"{p},嘉兴{p}纺织有限公司,Customer,纺织,浙江,嘉兴,,,")));
        const string header = "accountCode,name,title,role,attitude,influence,reportsTo,birthday,email";
        var file = Utf8(header,
            $"{p},李工,采购经理,Influencer,Supporter,3,王总,1980-02-29,li@example.com",
            $"{p},王总,总经理,决策者,中立,5,,1970/5/6,",
            $"{p},赵工,工程师,User,Unknown,2,李工,,");

        var report = await ImportAsync("rep", "contacts", file);

        AssertNoErrors(report);
        await using var db = app.Db();
        var account = await db.Accounts.SingleAsync(a => a.Code == p);
        var people = await db.Contacts.Where(c => c.AccountId == account.Id).ToDictionaryAsync(c => c.Name);
        Assert.Equal(3, people.Count);
        Assert.Equal(people["王总"].Id, people["李工"].ReportsToId);
        Assert.Equal(people["李工"].Id, people["赵工"].ReportsToId);
        Assert.Equal(BuyingRole.DecisionMaker, people["王总"].Role);
        Assert.Equal(new DateOnly(1970, 5, 6), people["王总"].Birthday);
        Assert.True(account.ArchiveScore > 0);
        Assert.Equal(3, await db.AuditEntries.CountAsync(e => e.AccountId == account.Id && e.Entity == "Contact" && e.Action == AuditAction.Created));

        AssertNoErrors(await ImportAsync("rep", "contacts", Utf8("accountCode,name,attitude", $"{p},王总,Supporter")));
        await using var db2 = app.Db();
        var boss = await db2.Contacts.SingleAsync(c => c.AccountId == account.Id && c.Name == "王总");
        Assert.Equal(Attitude.Supporter, boss.Attitude);
        Assert.Equal("总经理", boss.Title);
        Assert.Equal(3, await db2.Contacts.CountAsync(c => c.AccountId == account.Id));
    }

    [Fact]
    public async Task Contacts_ForeignOrReadOnlyAccountOrUnknownBoss_Rejected()
    {
        var p = TestApp.Unique("K");
        AssertNoErrors(await ImportAsync("westrep", "accounts", Utf8(Header, $"{p}W,兰州{p}有限公司,Customer,,,,,,")));
        AssertNoErrors(await ImportAsync("rep", "accounts", Utf8(Header, $"{p}R,绍兴{p}有限公司,Customer,,,,,,")));
        await using (var db = app.Db())
        {
            var id = await db.Accounts.Where(a => a.Code == $"{p}R").Select(a => a.Id).SingleAsync();
            db.AccountShares.Add(new AccountShare { AccountId = id, UserId = app.UserIds["engineer"], Access = ShareAccess.Read });
            await db.SaveChangesAsync();
        }
        var file = Utf8("accountCode,name,reportsTo", $"{p}W,张三,", $"{p}R,李四,", $"NOPE{p},王五,");

        var engineer = await ImportAsync("engineer", "contacts", file, query: "?dryRun=true");
        Assert.Equal(3, engineer.Rejected);
        Assert.Contains(engineer.Errors, e => e is { Line: 2, Column: "accountCode" } && e.Message.StartsWith("There is no account"));
        Assert.Contains(engineer.Errors, e => e is { Line: 3, Column: "accountCode" } && e.Message.Contains("may not change"));

        var rep = await ImportAsync("rep", "contacts", Utf8("accountCode,name,reportsTo", $"{p}R,李四,没这个人"), query: "?dryRun=true");
        Assert.Equal("reportsTo", Assert.Single(rep.Errors).Column);
    }

    [Fact]
    public async Task Post_UnknownKindOrFileType_Answers400Problem()
    {
        await (await PostAsync("rep", "bananas", Utf8(Header))).ExpectAsync(HttpStatusCode.BadRequest);
        var body = await (await PostAsync("rep", "accounts", Utf8(Header), "accounts.txt")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("accounts.txt", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_WithoutSignIn_Answers401()
    {
        using var anonymous = app.CreateClient();
        using var content = new MultipartFormDataContent { { new ByteArrayContent(Utf8(Header)), "file", "a.csv" } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/v1/imports/accounts", content)).StatusCode);
    }

    [Theory]
    [InlineData("accounts", "csv")]
    [InlineData("contacts", "xlsx")]
    public async Task Template_Kind_HasTheHeaders(string kind, string format)
    {
        using var client = await app.ClientAsync("rep");
        var response = await client.GetAsync($"/api/v1/imports/{kind}/template?format={format}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var schema = kind == "accounts" ? KeyAccounts.Features.Accounts.ImportAccounts.Schema : ImportContacts.Schema;
        using var stream = new MemoryStream(bytes);
        var table = ImportFile.Read(stream, format == "csv" ? ImportFileType.Csv : ImportFileType.Xlsx, schema);
        Assert.Empty(table.HeaderErrors);
        Assert.Empty(table.Rows);
        Assert.All(schema.Columns, c => Assert.True(table.Has(c)));
    }

    [Fact]
    public async Task Template_UnknownKind_Answers400()
    {
        using var client = await app.ClientAsync("rep");
        await (await client.GetAsync("/api/v1/imports/bananas/template")).ExpectAsync(HttpStatusCode.BadRequest);
    }

    private static JsonElement Unused(JsonElement e) => e;
}
