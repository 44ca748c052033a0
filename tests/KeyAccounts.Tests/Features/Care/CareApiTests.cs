using System.Net;
using KeyAccounts.Analytics;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Care;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Care;

[Collection(AppCollection.Name)]
public sealed class CareApiTests(TestApp app)
{
    [Fact]
    public async Task Calendar_RepsRange_ListsFestivalsAndOwnPeopleOnly()
    {
        var mine = await app.AccountAsync("rep");
        var myContact = await app.ContactAsync("rep", mine, new DateOnly(1980, 6, 10), "王生日");
        var foreign = await app.AccountAsync("westrep");
        var foreignContact = await app.ContactAsync("westrep", foreign, new DateOnly(1975, 6, 10));
        using var rep = await app.ClientAsync("rep");
        await (await rep.PutJsonAsync($"/api/v1/accounts/{mine}/cooperation-since", new { cooperationSince = "2015-06-12" })).ExpectAsync(HttpStatusCode.NoContent);

        var body = await (await rep.GetAsync("/api/v1/care/calendar?from=2024-06-01&to=2024-06-30")).ExpectAsync(HttpStatusCode.OK);

        var items = body.GetProperty("items").EnumerateArray().ToList();
        var dragonBoat = Assert.Single(items, i => i.GetProperty("title").GetString() == "DragonBoat");
        Assert.Equal("2024-06-10", dragonBoat.GetProperty("date").GetString());
        Assert.Equal("Festival", dragonBoat.GetProperty("kind").GetString());
        var birthday = Assert.Single(items, i => i.GetProperty("kind").GetString() == "Birthday" && i.GetProperty("contactId").GetInt64() == myContact);
        Assert.Equal("2024-06-10", birthday.GetProperty("date").GetString());
        Assert.Equal(mine, birthday.GetProperty("accountId").GetInt64());
        Assert.Equal("王生日", birthday.GetProperty("title").GetString());
        Assert.DoesNotContain(items, i => i.GetProperty("kind").GetString() == "Birthday" && i.GetProperty("contactId").GetInt64() == foreignContact);
        var anniversary = Assert.Single(items, i => i.GetProperty("kind").GetString() == "Anniversary" && i.GetProperty("accountId").GetInt64() == mine);
        Assert.Equal("2024-06-12", anniversary.GetProperty("date").GetString());
    }

    [Fact]
    public async Task Calendar_ToBeforeFromOrOverAYear_Returns400()
    {
        using var rep = await app.ClientAsync("rep");
        await (await rep.GetAsync("/api/v1/care/calendar?from=2024-06-01&to=2024-05-01")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await rep.GetAsync("/api/v1/care/calendar?from=2024-01-01&to=2025-06-01")).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RecordCareAction_OwnAccount_StoredAndCountedAgainstTheTierBudget()
    {
        var account = await app.AccountAsync("rep", Tier.Major);
        var contact = await app.ContactAsync("rep", account);
        using var admin = await app.ClientAsync("admin");
        await (await admin.PutJsonAsync("/api/v1/care/budgets", new { year = 2024, items = new[] { new { tier = "Major", amount = 50000m } } })).ExpectAsync(HttpStatusCode.NoContent);
        var before = (await (await admin.GetAsync("/api/v1/care/budgets?year=2024")).ExpectAsync<CareBudgets.Report>(HttpStatusCode.OK)).Tiers.Single(t => t.Tier == Tier.Major).Spent;
        using var rep = await app.ClientAsync("rep");

        var created = await (await rep.PostJsonAsync($"/api/v1/accounts/{account}/care-actions",
            new { contactId = contact, occasion = "Festival", festival = "MidAutumn", what = "月饼礼盒", takenOn = "2024-09-15", cost = 388.5m })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("MidAutumn", created.GetProperty("festival").GetString());
        var report = await (await admin.GetAsync("/api/v1/care/budgets?year=2024")).ExpectAsync<CareBudgets.Report>(HttpStatusCode.OK);
        var major = report.Tiers.Single(t => t.Tier == Tier.Major);
        Assert.Equal(50000m, major.Budget);
        Assert.Equal(before + 388.5m, major.Spent);
        Assert.Contains(report.Owners, o => o.OwnerId == app.UserIds["rep"] && o.Spent >= 388.5m);
        var list = await (await rep.GetAsync($"/api/v1/accounts/{account}/care-actions")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task RecordCareAction_BadInputOrForeignAccount_RejectedAndNothingStored()
    {
        var account = await app.AccountAsync("rep");
        var otherContact = await app.ContactAsync("westrep", await app.AccountAsync("westrep"));
        using var rep = await app.ClientAsync("rep");

        var bad = await (await rep.PostJsonAsync($"/api/v1/accounts/{account}/care-actions",
            new { contactId = otherContact, occasion = "Festival", festival = "Christmas", what = "", takenOn = "2024-09-15", cost = -1m })).ExpectAsync(HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        foreach (var field in new[] { "contactId", "festival", "what", "cost" }) Assert.True(errors.TryGetProperty(field, out _), field);
        using var westrep = await app.ClientAsync("westrep");
        await (await westrep.PostJsonAsync($"/api/v1/accounts/{account}/care-actions", new { occasion = "Birthday", what = "花", takenOn = "2024-09-15", cost = 1m }))
            .ExpectAsync(HttpStatusCode.NotFound);
        await (await westrep.GetAsync($"/api/v1/accounts/{account}/care-actions")).ExpectAsync(HttpStatusCode.NotFound);
        await using var db = app.Db();
        Assert.False(await db.CareActions.AnyAsync(c => c.AccountId == account));
    }

    [Fact]
    public async Task SaveBudgets_Rep_Returns403()
    {
        using var rep = await app.ClientAsync("rep");
        await (await rep.PutJsonAsync("/api/v1/care/budgets", new { year = 2024, items = Array.Empty<object>() })).ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CareReminders_RunTwice_RemindTheOwnerOnceOfBirthdaysAnniversariesAndFestivals()
    {
        var today = new DateOnly(2031, 9, 28); // Mid-Autumn 2031 is 1 October, with National Day
        var key = await app.AccountAsync("rep2", Tier.Key);
        var person = await app.ContactAsync("rep2", key, new DateOnly(1979, 9, 30));
        var small = await app.AccountAsync("rep2", Tier.Small);
        var notCared = await app.ContactAsync("rep2", small, new DateOnly(1979, 9, 30));
        await using (var db = app.Db())
            await db.Accounts.Where(a => a.Id == key).ExecuteUpdateAsync(s => s.SetProperty(a => a.CooperationSince, new DateOnly(2011, 9, 29)).SetProperty(a => a.CooperationMonthDay, 929));

        await using (var db = app.Db())
        {
            var first = await GenerateCareReminders.RunAsync(db, today, default);
            Assert.True(first.Raised > 0);
            Assert.Contains(CareCalendar.FestivalsBetween(today, today.AddDays(3)), f => f.Key == Festivals.MidAutumn);
        }
        await using (var db = app.Db())
            Assert.Equal(0, (await GenerateCareReminders.RunAsync(db, today, default)).Raised);

        await using var check = app.Db();
        var mine = await check.Notifications.Where(n => n.RecipientId == app.UserIds["rep2"] && n.Event == NotificationEvent.CareReminder).ToListAsync();
        Assert.Single(mine, n => n.DedupKey == $"birthday:{person}:2031");
        Assert.DoesNotContain(mine, n => n.DedupKey == $"birthday:{notCared}:2031");
        Assert.Single(mine, n => n.DedupKey == $"anniversary:{key}:2031" && n.Title.Contains("合作满 20 年"));
        Assert.Single(mine, n => n.DedupKey == "festival:MidAutumn:2031");
        Assert.Single(mine, n => n.DedupKey == "festival:NationalDay:2031");
    }
}
