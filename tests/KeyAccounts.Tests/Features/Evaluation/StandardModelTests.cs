using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KeyAccounts.Analytics;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Infrastructure;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Evaluation;

/// <summary>A database of its own: what a fresh installation holds before anyone has built a model.</summary>
[CollectionDefinition(Name)]
public sealed class FreshInstallCollection : ICollectionFixture<TestApp>
{
    public const string Name = "fresh-install";
}

[Collection(FreshInstallCollection.Name)]
public sealed class StandardModelTests(TestApp app)
{
    [Fact]
    public async Task FirstStart_NoModel_InstallsOneActiveStandardOfEightCriteria()
    {
        await using var db = app.Db();
        var model = await db.EvaluationModels.SingleAsync();

        Assert.Equal(ModelStatus.Active, model.Status);
        Assert.Equal(StandardModel.Name, model.Name);
        Assert.Equal(model.Id, await EvaluationModels.DefaultModelIdAsync(db, CancellationToken.None));
        Assert.Equal(8, model.Criteria.Count);
        Assert.Equal(1m, model.Criteria.Sum(c => c.Weight));
        Assert.All(model.Criteria, c => Assert.True(c.Weight > 0, c.Key));
        Assert.Equal(
            [CriterionSource.ContractCount, CriterionSource.AverageUnitPrice, CriterionSource.SalesRevenue, CriterionSource.CollectionRate,
                CriterionSource.Profit, CriterionSource.QualityLoss, CriterionSource.Judged, CriterionSource.Judged],
            model.Criteria.Select(c => c.Source));
        Assert.Equal(Direction.LowerIsBetter, model.Criteria.Single(c => c.Source == CriterionSource.QualityLoss).Direction);
        foreach (var c in model.Criteria.Where(c => c.Normalization == Normalization.Bands))
        {
            Assert.NotEmpty(c.Bands!);
            Assert.All(c.Bands!, b => Assert.InRange(b.Points, 0, 100));
            Assert.Equal(c.Bands!.Count, c.Bands!.Select(b => b.Min).Distinct().Count());
            // The lowest band starts at 0, so every value gets points.
            Assert.Equal(0, c.Bands!.Min(b => b.Min));
        }
        Assert.True(model.TierRules.KeyMin > model.TierRules.MajorMin && model.TierRules.MajorMin > model.TierRules.OrdinaryMin);
        // It passes the validation an administrator's model passes.
        Assert.NotNull(EvaluationModels.Validate(StandardModel.Request(), new Validation()));

        var audit = await db.AuditEntries.Where(e => e.Entity == nameof(EvaluationModel)).ToListAsync();
        Assert.NotEmpty(audit);
        Assert.All(audit, e => Assert.Equal(("system", null), (e.UserName, e.UserId)));
    }

    [Fact]
    public async Task InstallIfNoModel_ModelExists_ChangesNothing()
    {
        await using var db = app.Db();
        var before = await db.EvaluationModels.CountAsync();

        Assert.Null(await StandardModel.InstallIfNoModelAsync(db, TimeProvider.System));

        Assert.Equal(before, await db.EvaluationModels.CountAsync());
    }

    [Fact]
    public async Task FreshInstall_ImportAccountsAndOrdersThenRun_RatesWithTheStandard()
    {
        var p = TestApp.Unique("FI");
        var year = DateTime.UtcNow.Year - 1;
        using var admin = await app.ClientAsync("admin");
        var accounts = string.Join("\n", ["code,name,type", .. Enumerable.Range(1, 5).Select(i => $"{p}{i},{p}{i}号传动设备有限公司,Customer")]);
        var orders = string.Join("\n", ["orderNo,accountCode,orderDate,productCode,productName,quantity,unitPrice,unitCost",
            .. Enumerable.Range(1, 5).Select(i => $"{p}-SO{i},{p}{i},{year}-0{i}-15,{p}-P,减速机,{i * 10},{i * 1000},{i * 700}")]);
        foreach (var (kind, csv) in new[] { ("accounts", accounts), ("orders", orders) })
        {
            using var content = new MultipartFormDataContent();
            var part = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
            part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            content.Add(part, "file", $"{kind}.csv");
            var report = await (await admin.PostAsync($"/api/v1/imports/{kind}", content)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(5, report.GetProperty("accepted").GetInt32());
        }

        // No model is named: the run takes the active standard.
        var run = await (await admin.PostJsonAsync("/api/v1/evaluation/runs", new { periodStart = $"{year}-01-01", periodEnd = $"{year}-12-31" }))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(StandardModel.Name, run.GetProperty("modelName").GetString());
        var results = await (await admin.GetAsync($"/api/v1/evaluation/runs/{run.GetProperty("id").GetInt64()}/results?pageSize=50"))
            .ExpectAsync(HttpStatusCode.OK);
        var items = results.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        Assert.All(items, r => Assert.Equal(8, r.GetProperty("factors").GetArrayLength()));
        // The biggest buyer ranks first.
        Assert.Equal($"{p}5", items.OrderBy(r => r.GetProperty("rank").GetInt32()).First().GetProperty("accountCode").GetString());
    }
}
