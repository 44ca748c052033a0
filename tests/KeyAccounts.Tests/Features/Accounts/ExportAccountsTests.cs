using System.Globalization;
using System.Net;
using System.Text.Json;
using CsvHelper;
using KeyAccounts.Tests.Infrastructure;
using MiniExcelLibs;

namespace KeyAccounts.Tests.Features.Accounts;

[Collection(AppCollection.Name)]
public sealed class ExportAccountsTests(TestApp app)
{
    private static readonly string[] Columns =
        ["code", "name", "type", "industry", "province", "city", "creditCode", "parentCode", "ownerUserName", "tier", "status", "archiveScore", "updatedAt"];

    /// <summary>Three accounts of the East rep (one a subsidiary of another) and one of the West rep, all in one made-up industry.</summary>
    private async Task<string> SeedIndustryAsync()
    {
        var industry = TestApp.Unique("行业");
        using var rep = await app.ClientAsync("rep");
        using var westrep = await app.ClientAsync("westrep");
        var parent = await CreateAsync(rep, industry, "A", "Customer");
        await CreateAsync(rep, industry, "B", "Customer", parent.GetProperty("id").GetInt64());
        await CreateAsync(rep, industry, "C", "Dealer");
        await CreateAsync(westrep, industry, "D", "Customer");
        return industry;
    }

    private static async Task<JsonElement> CreateAsync(HttpClient client, string industry, string suffix, string type, long? parentId = null)
    {
        var code = TestApp.Unique("EX") + suffix;
        return await (await client.PostJsonAsync("/api/v1/accounts", new { code, name = $"{industry}{code}有限公司", type, industry, province = "浙江", city = "宁波", parentId }))
            .ExpectAsync(HttpStatusCode.Created);
    }

    private static async Task<List<string>> ListedCodesAsync(HttpClient client, string query)
    {
        var page = await (await client.GetAsync($"/api/v1/accounts?{query}&pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()!).ToList();
    }

    private static List<Dictionary<string, string?>> ReadXlsx(byte[] file)
    {
        using var stream = new MemoryStream(file);
        return stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>()
            .Select(r => r.ToDictionary(c => c.Key, c => c.Value is null ? null : Convert.ToString(c.Value, CultureInfo.InvariantCulture)))
            .ToList();
    }

    private static List<Dictionary<string, string?>> ReadCsv(byte[] file)
    {
        using var reader = new StreamReader(new MemoryStream(file), detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        Assert.Equal(Columns, csv.HeaderRecord);
        var rows = new List<Dictionary<string, string?>>();
        while (csv.Read()) rows.Add(Columns.ToDictionary(c => c, c => csv.GetField(c) is { Length: > 0 } v ? v : null));
        return rows;
    }

    [Fact]
    public async Task ExportXlsx_FilteredSortedView_ParsesBackToExactlyTheListedRows()
    {
        var industry = await SeedIndustryAsync();
        using var admin = await app.ClientAsync("admin");
        var query = $"industry={Uri.EscapeDataString(industry)}&type=Customer&sort=Code&descending=true";

        var response = await admin.GetAsync($"/api/v1/accounts/export?format=xlsx&{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var rows = ReadXlsx(await response.Content.ReadAsByteArrayAsync());

        var listed = await ListedCodesAsync(admin, query);
        Assert.Equal(3, listed.Count);
        Assert.Equal(listed, rows.Select(r => r["code"]!).ToList());
        Assert.Equal(Columns, rows[0].Keys.ToArray());
        var child = rows.Single(r => r["code"]!.EndsWith('B'));
        Assert.Equal(rows.Single(r => r["code"]!.EndsWith('A'))["code"], child["parentCode"]);
        Assert.Equal("Customer", child["type"]);
        Assert.Equal("浙江", child["province"]);
        Assert.Equal("宁波", child["city"]);
        Assert.Equal("Ordinary", child["tier"]);
        Assert.Equal("Active", child["status"]);
        Assert.Equal("rep", child["ownerUserName"]);
        Assert.Equal("westrep", rows.Single(r => r["code"]!.EndsWith('D'))["ownerUserName"]);
        Assert.EndsWith("Z", child["updatedAt"]);
    }

    /// <summary>
    /// A person working in Chinese reads the file in Chinese (the export said "code", "Customer", "Major"); the import still takes
    /// the file back. A request that names no language (a script) keeps the import's column names, as the test above shows.
    /// </summary>
    [Theory]
    [InlineData("xlsx")]
    [InlineData("csv")]
    public async Task Export_RequestInChinese_ChineseHeadersAndValuesAndTheFileImportsBack(string format)
    {
        var industry = await SeedIndustryAsync();
        using var rep = await app.ClientAsync("rep");
        rep.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var response = await rep.GetAsync($"/api/v1/accounts/export?format={format}&industry={Uri.EscapeDataString(industry)}&sort=Code");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var file = await response.Content.ReadAsByteArrayAsync();

        string[] headers;
        List<Dictionary<string, string?>> rows;
        if (format == "xlsx")
        {
            rows = ReadXlsx(file);
            headers = [.. rows[0].Keys];
        }
        else
        {
            using var reader = new StreamReader(new MemoryStream(file), detectEncodingFromByteOrderMarks: true);
            using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
            csv.Read();
            csv.ReadHeader();
            headers = csv.HeaderRecord!;
            rows = [];
            while (csv.Read()) rows.Add(headers.ToDictionary(h => h, h => csv.GetField(h)));
        }
        Assert.Equal(["客户编码", "客户名称", "客户类型", "行业", "省份", "城市", "统一社会信用代码", "上级客户编码", "负责人用户名", "客户等级", "状态", "档案完整度", "更新时间（UTC）"], headers);
        var dealer = rows.Single(r => r["客户编码"]!.EndsWith('C'));
        Assert.Equal("经销商", dealer["客户类型"]);
        Assert.Equal("普通客户", dealer["客户等级"]);
        Assert.Equal("正常", dealer["状态"]);

        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(format == "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
        content.Add(part, "file", $"accounts.{format}");
        var imported = await (await rep.PostAsync("/api/v1/imports/accounts?dryRun=true", content)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, imported.GetProperty("accepted").GetInt32());
        Assert.Equal(0, imported.GetProperty("rejected").GetInt32());
    }

    [Fact]
    public async Task ExportCsv_AsRep_HasBomAndExcludesForeignAccounts()
    {
        var industry = await SeedIndustryAsync();
        using var rep = await app.ClientAsync("rep");
        var query = $"industry={Uri.EscapeDataString(industry)}&sort=Code";

        var response = await rep.GetAsync($"/api/v1/accounts/export?format=csv&{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var rows = ReadCsv(bytes);

        Assert.Equal(await ListedCodesAsync(rep, query), rows.Select(r => r["code"]!).ToList());
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal("rep", r["ownerUserName"]));
        Assert.DoesNotContain(rows, r => r["code"]!.EndsWith('D'));
        Assert.Contains(industry, rows[0]["name"]);
    }

    [Theory]
    [InlineData("rep", 3)]
    [InlineData("manager", 3)]
    [InlineData("westrep", 1)]
    [InlineData("westmanager", 1)]
    [InlineData("engineer", 0)]
    [InlineData("leader", 4)]
    [InlineData("finance", 4)]
    public async Task ExportXlsx_EachRole_ContainsOnlyTheAccountsInScope(string viewer, int expected)
    {
        var industry = await SeedIndustryAsync();
        using var client = await app.ClientAsync(viewer);

        var response = await client.GetAsync($"/api/v1/accounts/export?format=xlsx&industry={Uri.EscapeDataString(industry)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, ReadXlsx(await response.Content.ReadAsByteArrayAsync()).Count);
    }

    [Fact]
    public async Task Export_UnknownFormat_Returns400NamingTheField()
    {
        using var rep = await app.ClientAsync("rep");
        var body = await (await rep.GetAsync("/api/v1/accounts/export?format=pdf")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(body.GetProperty("errors").TryGetProperty("format", out _));
    }

    [Fact]
    public async Task Export_Anonymous_Returns401()
    {
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/accounts/export?format=csv")).StatusCode);
    }
}
