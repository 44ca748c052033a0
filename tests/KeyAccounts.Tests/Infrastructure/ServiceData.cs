using System.Net;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Infrastructure;

/// <summary>Accounts and contacts for the service tests (care, complaints, surveys), made through the API like a user would.</summary>
public static class ServiceData
{
    public static async Task<long> AccountAsync(this TestApp app, string owner, Tier tier = Tier.Ordinary)
    {
        using var client = await app.ClientAsync(owner);
        var code = TestApp.Unique("S");
        var body = await (await client.PostJsonAsync("/api/v1/accounts", new { code, name = $"服务{code}有限公司", type = "Customer" })).ExpectAsync(HttpStatusCode.Created);
        var id = body.GetProperty("id").GetInt64();
        if (tier != Tier.Ordinary)
        {
            await using var db = app.Db();
            await db.Accounts.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Tier, tier));
        }
        return id;
    }

    public static async Task<long> ContactAsync(this TestApp app, string owner, long accountId, DateOnly? birthday = null, string? name = null)
    {
        using var client = await app.ClientAsync(owner);
        var body = await (await client.PostJsonAsync($"/api/v1/accounts/{accountId}/contacts", new { name = name ?? "张" + TestApp.Unique("")[..4], birthday }))
            .ExpectAsync(HttpStatusCode.Created);
        return body.GetProperty("id").GetInt64();
    }
}

/// <summary>A clock the test moves by hand (deadlines, expiry, retries).</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
