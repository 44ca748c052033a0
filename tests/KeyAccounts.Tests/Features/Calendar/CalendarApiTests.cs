using System.Net;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Tests.Features.Visits;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static KeyAccounts.Tests.Features.Visits.VisitTestData;

namespace KeyAccounts.Tests.Features.Calendar;

[Collection(AppCollection.Name)]
public sealed class CalendarApiTests(TestApp app)
{
    private Task<long> CreateAccountAsync(string owner, Tier tier = Tier.Ordinary, int ageDays = 0) => VisitTestData.CreateAccountAsync(app, owner, tier, ageDays);

    [Fact]
    public async Task CalendarFeed_TokenUrl_ServesMyVisitsAndTasksUntilRevoked()
    {
        var accountId = await CreateAccountAsync("rep2");
        using var rep2 = await app.ClientAsync("rep2");
        var visitId = await PlanAsync(rep2, accountId, [], "Leadership", Today.AddDays(3));
        await (await rep2.PostJsonAsync("/api/v1/tasks", new { accountId, title = "准备高层会谈材料", dueOn = Day(Today.AddDays(2)) })).ExpectAsync(HttpStatusCode.Created);

        var feed = await (await rep2.PostAsync("/api/v1/calendar/feed", null)).ExpectAsync(HttpStatusCode.OK);
        var url = new Uri(feed.GetProperty("url").GetString()!).PathAndQuery;
        using var anonymous = app.CreateClient();
        var response = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        var ics = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("BEGIN:VCALENDAR", ics);
        Assert.Contains($"UID:visit-{visitId}@keyaccounts", ics);
        Assert.Contains("准备高层会谈材料", ics);
        Assert.Contains($"DTSTART;VALUE=DATE:{Today.AddDays(3):yyyyMMdd}", ics);

        await using (var db = app.Db())
            Assert.DoesNotContain(url.Split('/')[^1].Replace(".ics", ""), (await db.CalendarFeeds.SingleAsync(f => f.UserId == app.UserIds["rep2"])).TokenHash);

        var regenerated = await (await rep2.PostAsync("/api/v1/calendar/feed", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(url)).StatusCode);
        var newUrl = new Uri(regenerated.GetProperty("url").GetString()!).PathAndQuery;
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(newUrl)).StatusCode);

        await (await rep2.DeleteAsync("/api/v1/calendar/feed")).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(newUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/ical/not-a-token.ics")).StatusCode);

        var one = await rep2.GetAsync($"/api/v1/visits/{visitId}/calendar.ics");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Contains($"UID:visit-{visitId}@keyaccounts", await one.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Calendar_Month_ShowsMyVisitsAndTasks()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var visitId = await PlanAsync(rep, accountId, [], "Business", Today.AddDays(1));
        var taskId = (await (await rep.PostJsonAsync("/api/v1/tasks", new { accountId, title = "样品跟踪", dueOn = Day(Today.AddDays(1)) })).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var body = await (await rep.GetAsync($"/api/v1/calendar?from={Day(Today)}&to={Day(Today.AddDays(30))}")).ExpectAsync(HttpStatusCode.OK);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, i => i.GetProperty("kind").GetString() == "Visit" && i.GetProperty("id").GetInt64() == visitId);
        Assert.Contains(items, i => i.GetProperty("kind").GetString() == "Task" && i.GetProperty("id").GetInt64() == taskId);

        using var west = await app.ClientAsync("westrep");
        var theirs = await (await west.GetAsync($"/api/v1/calendar?from={Day(Today)}&to={Day(Today.AddDays(30))}")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(theirs.GetProperty("items").EnumerateArray(), i => i.GetProperty("accountId").GetInt64() == accountId);
        await (await rep.GetAsync($"/api/v1/calendar?from={Day(Today)}&to={Day(Today.AddDays(300))}")).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Calendar_VisitRecordedOnAnotherDay_MovesToThatDayForEveryAttendee()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var visitId = (await (await rep.PostJsonAsync("/api/v1/visits", new
        {
            accountId,
            level = "Technical",
            plannedOn = Day(Today.AddDays(5)),
            purpose = "设备点检",
            userIds = new[] { app.UserIds["manager"] },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        using var manager = await app.ClientAsync("manager");

        async Task<List<DateOnly>> DaysAsync(HttpClient client) =>
            [.. (await (await client.GetAsync($"/api/v1/calendar?from={Day(Today.AddDays(-3))}&to={Day(Today.AddDays(10))}")).ExpectAsync(HttpStatusCode.OK))
                .GetProperty("items").EnumerateArray()
                .Where(i => i.GetProperty("kind").GetString() == "Visit" && i.GetProperty("id").GetInt64() == visitId)
                .Select(i => DateOnly.Parse(i.GetProperty("date").GetString()!))];
        Assert.Equal([Today.AddDays(5)], await DaysAsync(rep));
        Assert.Equal([Today.AddDays(5)], await DaysAsync(manager));

        await (await rep.PostJsonAsync($"/api/v1/visits/{visitId}/record", new { visitedOn = Day(Today.AddDays(-1)), findings = "提前上门", actions = Array.Empty<object>() }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([Today.AddDays(-1)], await DaysAsync(rep));
        Assert.Equal([Today.AddDays(-1)], await DaysAsync(manager));
        await using var db = app.Db();
        Assert.All(await db.VisitAttendees.Where(a => a.VisitId == visitId).ToListAsync(), a => Assert.Equal(Today.AddDays(-1), a.Day));
    }
}
