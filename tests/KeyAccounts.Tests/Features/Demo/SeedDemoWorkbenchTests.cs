using KeyAccounts.Features.Demo;
using KeyAccounts.Features.Home;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Demo;

[Collection(DemoVisitsCollection.Name)]
public sealed class SeedDemoWorkbenchTests(TestApp app)
{
    private async Task<GetWorkbench.Response> BenchAsync(string userName, string role)
    {
        await using var db = app.Db();
        var id = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
        return (await GetWorkbench.HandleAsync(db, TestApp.As(id, userName, role), TimeProvider.System, CancellationToken.None)).Value!;
    }

    [Fact]
    public async Task SeedDemo_Workbench_LeaderHasARunToApproveAndARepHasWork()
    {
        await using (var scope = app.Services.CreateAsyncScope())
            await SeedDemo.RunAsync(scope.ServiceProvider, new StringWriter(), CancellationToken.None);

        var leader = await BenchAsync("wangjianguo", Roles.Leader);
        Assert.Equal("EvaluationRun", Assert.IsType<Block<Approval>>(leader.Approvals).Items.Single().Kind);
        Assert.True(leader.Team!.OverdueComplaints.Count > 0, "no overdue complaint in the company");

        var rep = await BenchAsync("zhangwei", Roles.Rep);
        Assert.True(rep.OverdueTasks.Count > 0, "the demo rep has no overdue task");
        Assert.True(rep.GoingCold.Count > 0, "the demo rep has no key person going cold");
    }
}
