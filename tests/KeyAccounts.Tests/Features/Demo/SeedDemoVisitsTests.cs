using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Demo;
using KeyAccounts.Features.FollowUps;
using KeyAccounts.Features.Tasks;
using KeyAccounts.Features.Visits;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Demo;

/// <summary>A database of its own: the demo company's own test must be the first to seed the shared demo database.</summary>
[CollectionDefinition(Name)]
public sealed class DemoVisitsCollection : ICollectionFixture<TestApp>
{
    public const string Name = "demo-visits";
}

[Collection(DemoVisitsCollection.Name)]
public sealed class SeedDemoVisitsTests(TestApp app)
{
    [Fact]
    public async Task SeedDemo_KeyAccounts_HaveRecordedAndPlannedVisitsTasksAndFollowUps()
    {
        await using (var scope = app.Services.CreateAsyncScope())
            await SeedDemo.RunAsync(scope.ServiceProvider, new StringWriter(), CancellationToken.None);
        await using var db = app.Db();
        var demo = db.Accounts.Where(a => (a.Code.StartsWith("C0") || a.Code.StartsWith("D0")) && a.Tier == Tier.Key).Select(a => a.Id);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.True(await db.Visits.CountAsync(v => demo.Contains(v.AccountId) && v.Status == VisitStatus.Done) > 50, "too few recorded visits");
        Assert.True(await db.Visits.AnyAsync(v => demo.Contains(v.AccountId) && v.Status == VisitStatus.Planned && v.PlannedOn >= today), "no plans ahead");
        Assert.True(await db.Visits.AnyAsync(v => demo.Contains(v.AccountId) && v.Status == VisitStatus.Planned && v.PlannedOn < today), "no overdue plan");
        Assert.True(await db.FollowUpTasks.AnyAsync(t => demo.Contains(t.AccountId) && t.Status == TaskState.Open), "no open tasks");
        Assert.True(await db.FollowUps.AnyAsync(f => demo.Contains(f.AccountId) && f.Method != FollowUpMethod.Visit && f.NextContactOn != null), "no calls or WeChats");
        // Contacts met on visits belong to the visited account.
        Assert.False(await db.VisitContacts.AnyAsync(vc => db.Visits.Any(v => v.Id == vc.VisitId && demo.Contains(v.AccountId) && db.Contacts.Any(c => c.Id == vc.ContactId && c.AccountId != v.AccountId))));
    }
}
