using System.Net;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Tests.Features.Visits;
using KeyAccounts.Tests.Infrastructure;
using static KeyAccounts.Tests.Features.Visits.VisitTestData;

namespace KeyAccounts.Tests.Features.FollowUps;

[Collection(AppCollection.Name)]
public sealed class FollowUpsApiTests(TestApp app)
{
    private Task<long> CreateAccountAsync(string owner, Tier tier = Tier.Ordinary, int ageDays = 0) => VisitTestData.CreateAccountAsync(app, owner, tier, ageDays);
    private Task<long> AddContactAsync(long accountId, string name = "张总") => VisitTestData.AddContactAsync(app, accountId, name);

    [Fact]
    public async Task ContactToday_NextContactDue_ListedUntilANewerFollowUp()
    {
        var accountId = await CreateAccountAsync("rep");
        var contactId = await AddContactAsync(accountId);
        using var rep = await app.ClientAsync("rep");
        await (await rep.PostJsonAsync("/api/v1/follow-ups", new
        {
            accountId,
            method = "WeChat",
            summary = "约下周见面",
            contactIds = new[] { contactId },
            occurredOn = Day(Today.AddDays(-3)),
            nextContactOn = Day(Today),
        })).ExpectAsync(HttpStatusCode.Created);
        var list = await (await rep.GetAsync("/api/v1/follow-ups/contact-today?mine=true&pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("accountId").GetInt64() == accountId);

        await (await rep.PostJsonAsync("/api/v1/follow-ups", new { accountId, method = "Call", summary = "已电话确认", nextContactOn = Day(Today.AddDays(10)) }))
            .ExpectAsync(HttpStatusCode.Created);
        list = await (await rep.GetAsync("/api/v1/follow-ups/contact-today?mine=true&pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("accountId").GetInt64() == accountId);

        var bad = await (await rep.PostJsonAsync("/api/v1/follow-ups", new { accountId, method = "Call", summary = "x", contactIds = new[] { await AddContactAsync(await CreateAccountAsync("rep")) } }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("contactIds", out _));
    }
}
