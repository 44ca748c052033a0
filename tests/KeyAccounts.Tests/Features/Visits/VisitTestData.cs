using System.Net;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Visits;

/// <summary>Accounts, contacts and planned visits for the tests of visits, tasks, follow-ups and the calendar.</summary>
internal static class VisitTestData
{
    public static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd");

    public static async Task<long> CreateAccountAsync(TestApp app, string owner, Tier tier = Tier.Ordinary, int ageDays = 0)
    {
        using var admin = await app.ClientAsync("admin");
        var code = TestApp.Unique("VS");
        var created = await (await admin.PostJsonAsync("/api/v1/accounts", new { code, name = $"拜访{code}有限公司", type = "Customer", ownerId = app.UserIds[owner] }))
            .ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        await using var db = app.Db();
        var createdAt = DateTime.UtcNow.AddDays(-ageDays);
        await db.Accounts.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Tier, tier).SetProperty(a => a.CreatedAt, createdAt));
        return id;
    }

    public static async Task<long> AddContactAsync(TestApp app, long accountId, string name = "张总")
    {
        using var admin = await app.ClientAsync("admin");
        return (await (await admin.PostJsonAsync($"/api/v1/accounts/{accountId}/contacts", new { name })).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
    }

    public static async Task<long> PlanAsync(HttpClient client, long accountId, long[] contactIds, string level = "Business", DateOnly? on = null) =>
        (await (await client.PostJsonAsync("/api/v1/visits", new { accountId, level, plannedOn = Day(on ?? Today.AddDays(2)), purpose = "季度业务回顾", contactIds }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
}
