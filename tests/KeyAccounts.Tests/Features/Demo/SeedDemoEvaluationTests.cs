using KeyAccounts.Features.Demo;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Demo;

/// <summary>Shares the demo-transactions database: seeding is idempotent, so whichever test comes first loads the company.</summary>
[Collection(DemoTransactionsCollection.Name)]
public sealed class SeedDemoEvaluationTests(TestApp app)
{
    private async Task SeedAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await SeedDemo.RunAsync(scope.ServiceProvider, new StringWriter(), CancellationToken.None);
    }

    [Fact]
    public async Task SeedDemo_PublishedRun_CountsTheComplaintsQualityLoss()
    {
        await SeedAsync();
        await using var db = app.Db();
        var run = await db.EvaluationRuns.SingleAsync(r => r.Status == RunStatus.Published);
        var incident = await db.QualityIncidents.SingleAsync(q => q.ComplaintId != null);
        Assert.InRange(incident.OccurredOn, run.PeriodStart, run.PeriodEnd);
        var losses = await db.QualityIncidents
            .Where(q => q.AccountId == incident.AccountId && q.OccurredOn >= run.PeriodStart && q.OccurredOn <= run.PeriodEnd)
            .SumAsync(q => q.LossAmount);

        var result = await db.EvaluationResults.SingleAsync(r => r.RunId == run.Id && r.AccountId == incident.AccountId);
        var factors = (await RunCriteria.OfRunAsync(db, run.Id, CancellationToken.None)).Factors(result.FactorValues);

        Assert.Equal((double)losses, factors.Single(f => f.Criterion == "QualityLoss").RawValue, 2);
    }

    [Fact]
    public async Task SeedDemo_AfterTheStandardModel_TheDemoStandardIsItsNextVersion()
    {
        await SeedAsync();
        await using var db = app.Db();
        var active = await db.EvaluationModels.SingleAsync(m => m.Status == ModelStatus.Active);
        var first = await db.EvaluationModels.SingleAsync(m => m.LineageId == active.LineageId && m.ModelVersion == 1);

        Assert.Equal(2, active.ModelVersion);
        Assert.Equal(StandardModel.Name, first.Name);
        Assert.Equal(ModelStatus.Retired, first.Status);
        Assert.Equal(WeightMethod.Ahp, active.WeightMethod);
        Assert.Equal(active.Id, (await db.EvaluationRuns.SingleAsync(r => r.Status == RunStatus.Published)).ModelId);
    }
}
