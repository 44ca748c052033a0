using System.Net;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Tests.Analytics;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static KeyAccounts.Tests.Features.Evaluation.EvaluationFixture;

namespace KeyAccounts.Tests.Features.Evaluation;

[Collection(AppCollection.Name)]
public sealed class EvaluationApiTests(TestApp app)
{
    [Fact]
    public async Task CreateModel_DirectWeightsNotAddingToOne_Returns400()
    {
        using var admin = await app.ClientAsync("admin");
        var body = await (await admin.PostJsonAsync("/api/v1/evaluation/models", new
        {
            name = "Bad weights",
            weightMethod = "Direct",
            criteria = new[]
            {
                new { key = "SalesRevenue", name = "Revenue", source = "SalesRevenue", direction = "HigherIsBetter", normalization = "MinMax", weight = 0.5 },
                new { key = "Profit", name = "Profit", source = "Profit", direction = "HigherIsBetter", normalization = "MinMax", weight = 0.3 },
            },
        })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("add up to 0.8", body.GetProperty("errors").GetProperty("weights")[0].GetString());
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("rep")]
    public async Task CreateModel_NotAdministrator_Returns403(string user)
    {
        using var client = await app.ClientAsync(user);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostJsonAsync("/api/v1/evaluation/models", BandModel("x"))).StatusCode);
    }

    private static object AhpModel(double[][] matrix) => new
    {
        name = "AHP " + TestApp.Unique("M"),
        weightMethod = "Ahp",
        criteria = new[] { "coffee", "wine", "tea", "beer", "soda", "milk", "water" }
            .Select((c, i) => new { key = "C" + i, name = c, source = i == 0 ? "SalesRevenue" : "Judged", direction = "HigherIsBetter", normalization = "Points", weight = 0 }),
        ahpMatrix = matrix,
    };

    [Fact]
    public async Task CreateModel_Ahp_DerivesWeightsThatAddUpToOne()
    {
        using var admin = await app.ClientAsync("admin");
        var body = await (await admin.PostJsonAsync("/api/v1/evaluation/models", AhpModel(AhpTests.Drinks))).ExpectAsync(HttpStatusCode.Created);
        var weights = body.GetProperty("criteria").EnumerateArray().Select(c => c.GetProperty("weight").GetDecimal()).ToList();
        Assert.Equal(1m, weights.Sum());
        Assert.Equal(0.327m, Math.Round(weights[6], 3));
        Assert.Equal(0.022, Math.Round(body.GetProperty("consistencyRatio").GetDouble(), 3));
        var id = body.GetProperty("id").GetInt64();
        await (await admin.PostAsync($"/api/v1/evaluation/models/{id}/activate", null)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Activate_AhpConsistencyRatioAtLeastPointOne_Returns400NamingTheWorstJudgements()
    {
        var matrix = AhpTests.Drinks.Select(r => r.ToArray()).ToArray();
        matrix[1][6] = 9; // wine 9× water, though water is 9× every other drink
        matrix[6][1] = 1 / 9.0;
        using var admin = await app.ClientAsync("admin");
        var created = await (await admin.PostJsonAsync("/api/v1/evaluation/models", AhpModel(matrix))).ExpectAsync(HttpStatusCode.Created);
        Assert.True(created.GetProperty("consistencyRatio").GetDouble() >= 0.1);
        var body = await (await admin.PostAsync($"/api/v1/evaluation/models/{created.GetProperty("id").GetInt64()}/activate", null)).ExpectAsync(HttpStatusCode.BadRequest);
        var message = body.GetProperty("errors").GetProperty("ahpMatrix")[0].GetString()!;
        Assert.Contains("must be under 0.1", message);
        Assert.Contains("wine : water", message);
    }

    [Fact]
    public async Task CreateModel_AhpMatrixWithZero_Returns400NamingTheCell()
    {
        var matrix = AhpTests.Drinks.Select(r => r.ToArray()).ToArray();
        matrix[2][3] = 0;
        using var admin = await app.ClientAsync("admin");
        var body = await (await admin.PostJsonAsync("/api/v1/evaluation/models", AhpModel(matrix))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("tea vs beer", body.GetProperty("errors").GetProperty("ahpMatrix[2][3]")[0].GetString());
    }

    [Fact]
    public async Task UpdateModel_Active_CreatesNextVersionAndRunsRecordTheExactVersion()
    {
        var id = await ActiveModelAsync(app, BandModel("Versioned " + TestApp.Unique("M")));
        using var admin = await app.ClientAsync("admin");
        var next = await (await admin.PutJsonAsync($"/api/v1/evaluation/models/{id}", BandModel("Versioned v2", keyCap: 5))).ExpectAsync(HttpStatusCode.OK);
        var nextId = next.GetProperty("id").GetInt64();
        Assert.NotEqual(id, nextId);
        Assert.Equal(2, next.GetProperty("modelVersion").GetInt32());
        Assert.Equal("Draft", next.GetProperty("status").GetString());
        await (await admin.PostAsync($"/api/v1/evaluation/models/{nextId}/activate", null)).ExpectAsync(HttpStatusCode.OK);
        await using var db = app.Db();
        Assert.Equal(ModelStatus.Retired, (await db.EvaluationModels.SingleAsync(m => m.Id == id)).Status);

        var account = await AccountAsync(app, "rep");
        await TransactionsAsync(app, account, new DateOnly(2031, 3, 1), 500_000);
        var run = await RunAsync(app, nextId, new DateOnly(2031, 1, 1), new DateOnly(2031, 12, 31));
        Assert.Equal(2, run.GetProperty("modelVersion").GetInt32());
        Assert.Equal(nextId, run.GetProperty("modelId").GetInt64());
    }

    [Fact]
    public async Task Run_PeriodWithoutTransactions_Returns400WithAClearMessage()
    {
        var model = await ActiveModelAsync(app, BandModel("Empty " + TestApp.Unique("M")));
        using var leader = await app.ClientAsync("leader");
        var body = await (await leader.PostJsonAsync("/api/v1/evaluation/runs", new { modelId = model, periodStart = "1990-01-01", periodEnd = "1990-12-31" }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("no transactions between 1990-01-01 and 1990-12-31", body.GetProperty("errors").GetProperty("periodStart")[0].GetString());
        await using var db = app.Db();
        Assert.False(await db.EvaluationRuns.AnyAsync(r => r.PeriodStart == new DateOnly(1990, 1, 1)));
    }

    [Fact]
    public async Task Run_Rep_Returns403()
    {
        using var rep = await app.ClientAsync("rep");
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostJsonAsync("/api/v1/evaluation/runs", new { periodStart = "2032-01-01", periodEnd = "2032-12-31" })).StatusCode);
    }

    /// <summary>The whole cycle on one period: judge, list missing judgements, run, explain, override, approve, publish, run again.</summary>
    [Fact]
    public async Task RunOverrideApprove_PublishesTheListAndMovesAccountTiers()
    {
        var start = new DateOnly(2033, 1, 1);
        var end = new DateOnly(2033, 12, 31);
        var model = await ActiveModelAsync(app, BandModel("Cycle " + TestApp.Unique("M")));
        var big = await AccountAsync(app, "rep");
        var middle = await AccountAsync(app, "rep");
        var small = await AccountAsync(app, "westrep");
        await TransactionsAsync(app, big, new DateOnly(2033, 5, 1), 2_000_000);
        await TransactionsAsync(app, middle, new DateOnly(2033, 6, 1), 200_000);
        await TransactionsAsync(app, small, new DateOnly(2033, 7, 1), 50_000, loss: 60_000);

        using var manager = await app.ClientAsync("manager");
        await (await manager.PutJsonAsync("/api/v1/evaluation/judgements", new { accountId = big, criterion = "IndustryInfluence", periodStart = start, periodEnd = end, score = 90, reason = "行业龙头" }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.PutJsonAsync("/api/v1/evaluation/judgements",
            new { accountId = small, criterion = "IndustryInfluence", periodStart = start, periodEnd = end, score = 50, reason = "x" })).StatusCode);
        var missing = await (await manager.GetAsync($"/api/v1/evaluation/judgements/missing?modelId={model}&periodStart={start:yyyy-MM-dd}&periodEnd={end:yyyy-MM-dd}"))
            .ExpectAsync(HttpStatusCode.OK);
        var missingIds = missing.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("accountId").GetInt64()).ToList();
        Assert.Contains(middle, missingIds);
        Assert.DoesNotContain(big, missingIds);
        Assert.DoesNotContain(small, missingIds);
        Assert.Contains("median", missing.GetProperty("ruleText").GetString());

        var run = await RunAsync(app, model, start, end, "manager");
        var runId = run.GetProperty("id").GetInt64();
        Assert.Equal("Proposed", run.GetProperty("status").GetString());

        var results = await ResultsAsync(app, runId, "admin");
        foreach (var r in results)
            Assert.Equal(r.GetProperty("score").GetDecimal(), r.GetProperty("factors").EnumerateArray().Sum(f => f.GetProperty("contribution").GetDecimal()));
        var b = results.For(big);
        Assert.Equal(98m, b.GetProperty("score").GetDecimal());
        Assert.Equal("Key", b.GetProperty("tier").GetString());
        var factor = b.GetProperty("factors")[0];
        Assert.Equal("SalesRevenue", factor.GetProperty("criterion").GetString());
        Assert.Equal(2_000_000, factor.GetProperty("rawValue").GetDouble());
        Assert.Equal(100, factor.GetProperty("normalizedValue").GetDouble());
        Assert.Equal(0.6m, factor.GetProperty("weight").GetDecimal());
        Assert.Equal(60m, factor.GetProperty("contribution").GetDecimal());
        Assert.True(b.TryGetProperty("accountCode", out _));
        Assert.True(b.TryGetProperty("previousTier", out _));
        var m = results.For(middle);
        Assert.Equal(74m, m.GetProperty("score").GetDecimal());
        Assert.Equal("Major", m.GetProperty("tier").GetString());
        Assert.Contains("中位数 90", m.GetProperty("explanation").GetString());
        Assert.Equal("Small", results.For(small).GetProperty("tier").GetString());

        var keyOnly = await ResultsAsync(app, runId, "admin", "&tier=Key");
        Assert.All(keyOnly, r => Assert.Equal("Key", r.GetProperty("tier").GetString()));
        Assert.Contains(keyOnly, r => r.GetProperty("accountId").GetInt64() == big);

        var repSees = await ResultsAsync(app, runId, "rep");
        Assert.Contains(repSees, r => r.GetProperty("accountId").GetInt64() == big);
        Assert.DoesNotContain(repSees, r => r.GetProperty("accountId").GetInt64() == small);
        Assert.Empty(await ResultsAsync(app, runId, "westrep", $"&search={Uri.EscapeDataString("评价")}&tier=Key"));

        // Overrides: a manager in their book; not outside it; never a Rep.
        var overridden = await (await manager.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/results/{middle}/override", new { tier = "Key", reason = "战略客户,新签三年框架协议" }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Key", overridden.GetProperty("tier").GetString());
        Assert.Equal("Major", overridden.GetProperty("proposedTier").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await manager.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/results/{small}/override", new { tier = "Key", reason = "x" })).StatusCode);
        using var rep = await app.ClientAsync("rep");
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/results/{big}/override", new { tier = "Small", reason = "x" })).StatusCode);
        await (await manager.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/results/{big}/override", new { tier = "Major" }))
            .ExpectAsync(HttpStatusCode.BadRequest);

        // Only a Leader or an Administrator approves.
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync($"/api/v1/evaluation/runs/{runId}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsync($"/api/v1/evaluation/runs/{runId}/approve", null)).StatusCode);
        using var leader = await app.ClientAsync("leader");
        // The contract's bare POST publishes.
        var approved = await (await leader.PostAsync($"/api/v1/evaluation/runs/{runId}/approve", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Published", approved.GetProperty("status").GetString());

        await using (var db = app.Db())
        {
            Assert.Equal(Tier.Key, (await db.Accounts.SingleAsync(a => a.Id == big)).Tier);
            Assert.Equal(Tier.Key, (await db.Accounts.SingleAsync(a => a.Id == middle)).Tier);
            Assert.Equal(Tier.Small, (await db.Accounts.SingleAsync(a => a.Id == small)).Tier);
            var audit = await db.AuditEntries.SingleAsync(e => e.AccountId == small && e.Entity == "Account" && e.After!.Contains("EvaluationRun"));
            Assert.Equal("leader", audit.UserName);
            Assert.Contains("\"Tier\":\"Small\"", audit.After);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.AccountId == middle && e.Entity == "EvaluationResult" && e.UserName == "manager"));
        }

        // Published runs are immutable.
        Assert.Equal(HttpStatusCode.Conflict, (await leader.PostAsync($"/api/v1/evaluation/runs/{runId}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await manager.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/results/{big}/override", new { tier = "Small", reason = "late" })).StatusCode);

        // The published list, within each caller's book.
        var list = await (await rep.GetAsync("/api/v1/key-accounts?pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        var listed = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("accountId").GetInt64()).ToList();
        Assert.Contains(big, listed);
        Assert.Contains(middle, listed);
        using var westrep = await app.ClientAsync("westrep");
        var westList = await (await westrep.GetAsync("/api/v1/key-accounts")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(westList.GetProperty("items").EnumerateArray(), i => i.GetProperty("accountId").GetInt64() == big);
        var export = await rep.GetAsync("/api/v1/key-accounts/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.Content.Headers.ContentType!.MediaType);
        // Asked in Chinese, the file reads in Chinese: headers and the change (it said "Entered").
        using (var inChinese = new HttpRequestMessage(HttpMethod.Get, "/api/v1/key-accounts/export"))
        {
            inChinese.Headers.AcceptLanguage.ParseAdd("zh-CN");
            var chinese = await rep.SendAsync(inChinese);
            using var sheet = new MemoryStream(await chinese.Content.ReadAsByteArrayAsync());
            var first = (IDictionary<string, object?>)MiniExcelLibs.MiniExcel.Query(sheet, useHeaderRow: true).First();
            Assert.Equal(["排名", "客户编码", "客户名称", "负责人", "得分", "变化", "上期等级", "评价期间"], first.Keys);
            Assert.DoesNotContain(first.Values, v => v is string text && Enum.TryParse<KeyAccounts.Analytics.TierChange>(text, out _));
        }

        // The next period: the big account drops out of the list, with the factor that moved.
        var start2 = new DateOnly(2034, 1, 1);
        var end2 = new DateOnly(2034, 12, 31);
        await TransactionsAsync(app, big, new DateOnly(2034, 5, 1), 150_000);
        await TransactionsAsync(app, small, new DateOnly(2034, 5, 1), 3_000_000);
        var run2 = (await RunAsync(app, model, start2, end2)).GetProperty("id").GetInt64();
        var results2 = await ResultsAsync(app, run2, "admin");
        var big2 = results2.For(big);
        Assert.Equal("Left", big2.GetProperty("change").GetString());
        Assert.Equal("Key", big2.GetProperty("previousTier").GetString());
        Assert.Equal("SalesRevenue", big2.GetProperty("movedMost")[0].GetProperty("criterion").GetString());
        Assert.Equal("Entered", results2.For(small).GetProperty("change").GetString());
        var left = await ResultsAsync(app, run2, "admin", "&change=Left");
        Assert.All(left, r => Assert.Equal("Left", r.GetProperty("change").GetString()));
        await (await leader.PostJsonAsync($"/api/v1/evaluation/runs/{run2}/approve", new { confirm = true })).ExpectAsync(HttpStatusCode.OK);

        var history = await (await rep.GetAsync($"/api/v1/evaluation/accounts/{big}/tiers")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["Key", "Ordinary"], history.EnumerateArray().Select(h => h.GetProperty("tier").GetString()));
        Assert.Equal("Left", history[1].GetProperty("change").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await westrep.GetAsync($"/api/v1/evaluation/accounts/{big}/tiers")).StatusCode);
        await using (var db = app.Db())
            Assert.Equal(Tier.Ordinary, (await db.Accounts.SingleAsync(a => a.Id == big)).Tier);

        var pareto = await (await leader.GetAsync($"/api/v1/evaluation/pareto?periodStart={start:yyyy-MM-dd}&periodEnd={end:yyyy-MM-dd}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, pareto.GetProperty("accounts").GetInt32());
        Assert.Equal(2_000_000.0 / 2_250_000, pareto.GetProperty("revenue").GetProperty("topTwentyShare").GetDouble(), 6);
        var priority = await (await leader.GetAsync($"/api/v1/evaluation/runs/{run2}/priority")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(priority.GetProperty("points").EnumerateArray(), p => p.GetProperty("accountId").GetInt64() == small);
    }

    /// <summary>A run in the middle of its period: an invoice due after the run's date is not late, so it cannot lower the rate.</summary>
    [Fact]
    public async Task Run_PeriodNotOver_InvoiceDueAfterTheRunDateDoesNotLowerTheCollectionRate()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var model = await ActiveModelAsync(app, new
        {
            name = "Collection " + TestApp.Unique("M"),
            weightMethod = "Direct",
            criteria = new object[]
            {
                new { key = "CollectionRate", name = "Collection rate", source = "CollectionRate", direction = "HigherIsBetter", normalization = "Bands", weight = 1,
                    bands = new[] { new { min = 0.95, points = 100 }, new { min = 0.0, points = 0 } } },
            },
        });
        var account = await AccountAsync(app, "rep");
        // Invoiced 100,000 due ten days ago and paid; another 100,000 falls due in twenty days.
        await TransactionsAsync(app, account, today.AddDays(-10), 100_000);
        await using (var db = app.Db())
        {
            db.Invoices.Add(new KeyAccounts.Features.Transactions.Invoice
            {
                InvoiceNo = TestApp.Unique("INV"),
                AccountId = account,
                IssuedOn = today.AddDays(-10),
                DueOn = today.AddDays(20),
                Amount = 100_000,
            });
            await db.SaveChangesAsync();
        }

        var run = await RunAsync(app, model, today.AddDays(-60), today.AddDays(60));

        var factor = (await ResultsAsync(app, run.GetProperty("id").GetInt64(), "admin")).For(account).GetProperty("factors")[0];
        Assert.Equal("CollectionRate", factor.GetProperty("criterion").GetString());
        Assert.Equal(1, factor.GetProperty("rawValue").GetDouble());
        Assert.Equal(100, factor.GetProperty("normalizedValue").GetDouble());
    }

    [Fact]
    public async Task Results_ForeignRun_Returns404()
    {
        using var rep = await app.ClientAsync("rep");
        Assert.Equal(HttpStatusCode.NotFound, (await rep.GetAsync("/api/v1/evaluation/runs/999999/results")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rep.PostAsync("/api/v1/evaluation/runs/999999/approve", null)).StatusCode is HttpStatusCode.Forbidden
            ? HttpStatusCode.NotFound : HttpStatusCode.OK);
    }

    [Fact]
    public async Task ScheduledRun_TwoNodesOnTheSameDay_CreateItOnce()
    {
        var model = await ActiveModelAsync(app, BandModel("Yearly " + TestApp.Unique("M"), schedule: "Yearly"));
        var account = await AccountAsync(app, "rep2");
        await TransactionsAsync(app, account, new DateOnly(2039, 8, 1), 300_000);
        var clock = new FixedClock(new DateTimeOffset(2040, 1, 10, 3, 0, 0, TimeSpan.Zero));

        await using var node1 = app.Db();
        await using var node2 = app.Db();
        var first = await ScheduledEvaluation.RunDueAsync(node1, clock, null, CancellationToken.None);
        var second = await ScheduledEvaluation.RunDueAsync(node2, clock, null, CancellationToken.None);

        Assert.Single(first);
        Assert.Empty(second);
        await using var db = app.Db();
        var run = await db.EvaluationRuns.SingleAsync(r => r.ModelId == model);
        Assert.Equal((new DateOnly(2039, 1, 1), new DateOnly(2039, 12, 31), RunTrigger.Scheduled), (run.PeriodStart, run.PeriodEnd, run.Trigger));
    }

    [Theory]
    [InlineData("2040-01-09", null, null)]
    [InlineData("2040-01-10", "2039-01-01", "2039-12-31")]
    public void DuePeriod_Yearly_FromTheTenthOfJanuary(string today, string? start, string? end) =>
        Assert.Equal(start is null ? null : (DateOnly.Parse(start), DateOnly.Parse(end!)), ScheduledEvaluation.DuePeriod(EvaluationSchedule.Yearly, DateOnly.Parse(today)));

    [Fact]
    public void DuePeriod_Quarterly_IsThePreviousQuarter() =>
        Assert.Equal((new DateOnly(2040, 4, 1), new DateOnly(2040, 6, 30)), ScheduledEvaluation.DuePeriod(EvaluationSchedule.Quarterly, new DateOnly(2040, 7, 12)));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
