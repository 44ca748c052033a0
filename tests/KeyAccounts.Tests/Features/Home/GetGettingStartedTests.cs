using System.Net;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Features.Home;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Tests.Features.Evaluation;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using static KeyAccounts.Features.Home.GetGettingStarted;

namespace KeyAccounts.Tests.Features.Home;

/// <summary>A database of its own: the checklist reads the whole installation, so it needs one nobody else writes to.</summary>
[CollectionDefinition(Name)]
public sealed class GettingStartedCollection : ICollectionFixture<TestApp>
{
    public const string Name = "getting-started";
}

[Collection(GettingStartedCollection.Name)]
public sealed class GetGettingStartedTests(TestApp app)
{
    private async Task<Dictionary<StepKey, bool>> StepsAsync()
    {
        await using var db = app.Db();
        var result = await HandleAsync(db, TestApp.As(app.UserIds["admin"], "admin", Roles.Admin), CancellationToken.None);
        return Assert.IsType<Ok<Response>>(result.Result).Value!.Steps.ToDictionary(s => s.Key, s => s.Done);
    }

    [Fact]
    public async Task GettingStarted_FreshInstallToFirstPublishedRun_TicksEachStepFromTheData()
    {
        // The test company's departments and users are in; nothing else.
        var steps = await StepsAsync();
        Assert.True(steps[StepKey.People]);
        Assert.False(steps[StepKey.Accounts]);
        Assert.False(steps[StepKey.Transactions]);
        Assert.False(steps[StepKey.RatingStandard], "the standard installed by the system is not reviewed by a person");
        Assert.False(steps[StepKey.FirstRun]);
        Assert.False(steps[StepKey.FirstPublished]);

        var account = await EvaluationFixture.AccountAsync(app, "rep");
        Assert.True((await StepsAsync())[StepKey.Accounts]);
        Assert.False((await StepsAsync())[StepKey.Transactions]);

        var year = DateTime.UtcNow.Year - 1;
        await EvaluationFixture.TransactionsAsync(app, account, new DateOnly(year, 6, 1), 100_000);
        Assert.True((await StepsAsync())[StepKey.Transactions]);

        using var admin = await app.ClientAsync("admin");
        long modelId;
        await using (var db = app.Db())
            modelId = (await EvaluationModels.DefaultModelIdAsync(db, CancellationToken.None))!.Value;
        var saved = await (await admin.PutJsonAsync($"/api/v1/evaluation/models/{modelId}", StandardModel.Request() with { Name = "我们的评价标准" }))
            .ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostAsync($"/api/v1/evaluation/models/{saved.GetProperty("id").GetInt64()}/activate", null)).ExpectAsync(HttpStatusCode.OK);
        steps = await StepsAsync();
        Assert.True(steps[StepKey.RatingStandard]);
        Assert.False(steps[StepKey.FirstRun]);

        var run = await EvaluationFixture.RunAsync(app, saved.GetProperty("id").GetInt64(), new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        steps = await StepsAsync();
        Assert.True(steps[StepKey.FirstRun]);
        Assert.False(steps[StepKey.FirstPublished]);

        using var leader = await app.ClientAsync("leader");
        await (await leader.PostJsonAsync($"/api/v1/evaluation/runs/{run.GetProperty("id").GetInt64()}/approve", new { confirm = true })).ExpectAsync(HttpStatusCode.OK);
        await using (var db = app.Db())
        {
            var done = Assert.IsType<Ok<Response>>((await HandleAsync(db, TestApp.As(app.UserIds["admin"], "admin", Roles.Admin), CancellationToken.None)).Result).Value!;
            Assert.True(done.AllDone);
        }
    }

    [Theory]
    [InlineData("leader", Roles.Leader)]
    [InlineData("manager", Roles.Manager)]
    [InlineData("rep", Roles.Rep)]
    public async Task GettingStarted_NotAdministrator_Forbidden(string user, string role)
    {
        await using var db = app.Db();
        var result = await HandleAsync(db, TestApp.As(app.UserIds[user], user, role), CancellationToken.None);
        Assert.IsType<ForbidHttpResult>(result.Result);
    }
}
