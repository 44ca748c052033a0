using System.Net;
using KeyAccounts.Features.Complaints;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Complaints;

[Collection(AppCollection.Name)]
public sealed class ComplaintsApiTests(TestApp app)
{
    private async Task<(long Account, long Contact, long Complaint)> ComplaintAsync(string owner, string category = "Quality", string severity = "High")
    {
        var account = await app.AccountAsync(owner, KeyAccounts.Features.Accounts.Tier.Key);
        var contact = await app.ContactAsync(owner, account);
        using var client = await app.ClientAsync(owner);
        var body = await (await client.PostJsonAsync("/api/v1/complaints", new { accountId = account, contactId = contact, category, severity, description = "批次 2403 的轴承异响" }))
            .ExpectAsync(HttpStatusCode.Created);
        return (account, contact, body.GetProperty("id").GetInt64());
    }

    private static Task<HttpResponseMessage> MoveAsync(HttpClient client, long id, object body) => client.PostJsonAsync($"/api/v1/complaints/{id}/status", body);

    [Fact]
    public async Task Create_KeyAccountHighSeverity_DueByTheTableAndAssignedToTheOwner()
    {
        var (_, _, id) = await ComplaintAsync("rep");
        using var rep = await app.ClientAsync("rep");

        var body = await (await rep.GetAsync($"/api/v1/complaints/{id}")).ExpectAsync(HttpStatusCode.OK);

        var complaint = body.GetProperty("complaint");
        Assert.Equal("New", complaint.GetProperty("status").GetString());
        Assert.Equal(app.UserIds["rep"], complaint.GetProperty("assigneeId").GetString());
        var created = complaint.GetProperty("createdAt").GetDateTime();
        Assert.Equal(created.AddHours(12), complaint.GetProperty("dueAt").GetDateTime());
        Assert.Equal("Received", body.GetProperty("timeline")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Create_ContactOfAnotherAccountOrMissingFields_Returns400AndStoresNothing()
    {
        var account = await app.AccountAsync("rep");
        var foreignContact = await app.ContactAsync("rep", await app.AccountAsync("rep"));
        using var rep = await app.ClientAsync("rep");

        var body = await (await rep.PostJsonAsync("/api/v1/complaints", new { accountId = account, contactId = foreignContact, description = "" })).ExpectAsync(HttpStatusCode.BadRequest);

        foreach (var f in new[] { "contactId", "category", "severity", "description" }) Assert.True(body.GetProperty("errors").TryGetProperty(f, out _), f);
        await using var db = app.Db();
        Assert.False(await db.Complaints.AnyAsync(c => c.AccountId == account));
    }

    [Fact]
    public async Task Complaint_ForeignRep_Gets404Everywhere()
    {
        var (account, contact, id) = await ComplaintAsync("rep");
        using var west = await app.ClientAsync("westrep");

        await (await west.GetAsync($"/api/v1/complaints/{id}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await MoveAsync(west, id, new { status = "Acknowledged" })).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.PostJsonAsync("/api/v1/complaints", new { accountId = account, contactId = contact, category = "Price", severity = "Low", description = "x" })).ExpectAsync(HttpStatusCode.NotFound);
        var list = await (await west.GetAsync($"/api/v1/complaints?accountId={account}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task StatusFlow_InvalidJumpsAndResolvingWithoutRootCause_AreRefused()
    {
        var (_, _, id) = await ComplaintAsync("rep");
        using var rep = await app.ClientAsync("rep");

        var jump = await (await MoveAsync(rep, id, new { status = "Resolved", rootCause = "x", resolution = "y" })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("can become Acknowledged", jump.GetProperty("detail").GetString());
        await (await MoveAsync(rep, id, new { status = "Acknowledged" })).ExpectAsync(HttpStatusCode.OK);
        await (await MoveAsync(rep, id, new { status = "Investigating" })).ExpectAsync(HttpStatusCode.OK);
        var missing = await (await MoveAsync(rep, id, new { status = "Resolved" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("rootCause", out _));
        Assert.True(missing.GetProperty("errors").TryGetProperty("resolution", out _));
        await (await MoveAsync(rep, id, new { status = "Resolved", rootCause = "润滑脂批次不合格", resolution = "更换批次并补发 200 套" })).ExpectAsync(HttpStatusCode.OK);
        await (await MoveAsync(rep, id, new { status = "Reopened", note = "客户仍有异响" })).ExpectAsync(HttpStatusCode.OK);
        await (await MoveAsync(rep, id, new { status = "Investigating" })).ExpectAsync(HttpStatusCode.OK);
        await (await MoveAsync(rep, id, new { status = "Resolved" })).ExpectAsync(HttpStatusCode.OK);
        var done = await (await MoveAsync(rep, id, new { status = "Confirmed" })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Confirmed", done.GetProperty("status").GetString());
        await (await MoveAsync(rep, id, new { status = "Reopened" })).ExpectAsync(HttpStatusCode.Conflict);
        await using var db = app.Db();
        Assert.Equal(8, await db.ComplaintEvents.CountAsync(e => e.ComplaintId == id));
    }

    [Fact]
    public async Task Escalation_DeadlinePassed_NotifiesTheLineManagerOnceEvenWhenRunTwice()
    {
        await using (var db = app.Db())
        {
            var region = await db.Departments.FirstAsync(d => d.Id == app.EastRegionId);
            region.HeadUserId ??= app.UserIds["manager"];
            await db.SaveChangesAsync();
        }
        var (_, _, id) = await ComplaintAsync("rep", "Delivery", "Critical");
        var later = new ManualClock(DateTimeOffset.UtcNow.AddDays(2));

        await using (var db = app.Db())
        {
            db.Clock = later;
            Assert.True(await EscalateComplaints.RunAsync(db, default) >= 1);
        }
        await using (var db = app.Db())
        {
            db.Clock = later;
            await EscalateComplaints.RunAsync(db, default);
        }

        await using var check = app.Db();
        var sent = await check.Notifications.Where(n => n.Event == NotificationEvent.ComplaintEscalated && n.Link == $"/complaints/{id}").ToListAsync();
        Assert.Equal(app.UserIds["manager"], Assert.Single(sent).RecipientId);
        Assert.Single(await check.ComplaintEvents.Where(e => e.ComplaintId == id && e.Kind == ComplaintEventKind.Escalated).ToListAsync());
        using var manager = await app.ClientAsync("manager");
        var overdue = await (await manager.GetAsync("/api/v1/complaints?overdue=true&pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(overdue.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetInt64() == id); // not yet overdue by the real clock
        var body = await (await manager.GetAsync($"/api/v1/complaints/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, body.GetProperty("complaint").GetProperty("escalatedAt").ValueKind);
    }

    [Fact]
    public async Task Escalate_ByHand_NotifiesTheManagerOnceAndSecondTimeIs409()
    {
        await using (var db = app.Db())
        {
            var region = await db.Departments.FirstAsync(d => d.Id == app.EastRegionId);
            region.HeadUserId ??= app.UserIds["manager"];
            await db.SaveChangesAsync();
        }
        var (_, _, id) = await ComplaintAsync("rep", "Service", "Low");
        using var rep = await app.ClientAsync("rep");
        using var west = await app.ClientAsync("westrep");

        await (await west.PostAsync($"/api/v1/complaints/{id}/escalate", null)).ExpectAsync(HttpStatusCode.NotFound);
        var body = await (await rep.PostAsync($"/api/v1/complaints/{id}/escalate", null)).ExpectAsync(HttpStatusCode.OK);
        await (await rep.PostAsync($"/api/v1/complaints/{id}/escalate", null)).ExpectAsync(HttpStatusCode.Conflict);

        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, body.GetProperty("escalatedAt").ValueKind);
        await using var check = app.Db();
        Assert.Equal(app.UserIds["manager"], (await check.Notifications.SingleAsync(n => n.Event == NotificationEvent.ComplaintEscalated && n.Link == $"/complaints/{id}")).RecipientId);
    }

    [Fact]
    public async Task Escalate_ByHandWithNote_LoggedAsManualEscalationWithTheNote()
    {
        await using (var db = app.Db())
        {
            var region = await db.Departments.FirstAsync(d => d.Id == app.EastRegionId);
            region.HeadUserId ??= app.UserIds["manager"];
            await db.SaveChangesAsync();
        }
        var (_, _, id) = await ComplaintAsync("rep", "Service", "Low");
        using var rep = await app.ClientAsync("rep");

        await (await rep.PostJsonAsync($"/api/v1/complaints/{id}/escalate", new { note = new string('x', 1001) })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await rep.PostJsonAsync($"/api/v1/complaints/{id}/escalate", new { note = "客户总经理亲自来电" })).ExpectAsync(HttpStatusCode.OK);

        await using var check = app.Db();
        var escalation = await check.ComplaintEvents.SingleAsync(e => e.ComplaintId == id && (e.Kind == ComplaintEventKind.Escalated || e.Kind == ComplaintEventKind.EscalatedByHand));
        Assert.Equal(ComplaintEventKind.EscalatedByHand, escalation.Kind);
        Assert.Equal(app.UserIds["rep"], escalation.UserId);
        Assert.Contains("客户总经理亲自来电", escalation.Note);
        var sent = await check.Notifications.SingleAsync(n => n.Event == NotificationEvent.ComplaintEscalated && n.Link == $"/complaints/{id}");
        Assert.Contains("客户总经理亲自来电", sent.Body);
    }

    [Fact]
    public async Task QualityIncident_QualityComplaint_RecordedWithLossAndLinked()
    {
        var (account, _, id) = await ComplaintAsync("rep");
        using var rep = await app.ClientAsync("rep");

        await (await rep.PostJsonAsync($"/api/v1/complaints/{id}/quality-incident", new { lossAmount = 12800.5m, occurredOn = "2024-03-02" })).ExpectAsync(HttpStatusCode.Created);
        await (await rep.PostJsonAsync($"/api/v1/complaints/{id}/quality-incident", new { lossAmount = 1m })).ExpectAsync(HttpStatusCode.Conflict);

        await using var db = app.Db();
        var incident = await db.QualityIncidents.SingleAsync(q => q.ComplaintId == id);
        Assert.Equal(account, incident.AccountId);
        Assert.Equal(12800.5m, incident.LossAmount);
        var body = await (await rep.GetAsync($"/api/v1/complaints/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(12800.5m, body.GetProperty("complaint").GetProperty("qualityLoss").GetDecimal());
    }

    [Fact]
    public async Task QualityIncident_PriceComplaint_Returns409()
    {
        var (_, _, id) = await ComplaintAsync("rep", "Price", "Low");
        using var rep = await app.ClientAsync("rep");
        await (await rep.PostJsonAsync($"/api/v1/complaints/{id}/quality-incident", new { lossAmount = 5m })).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Deadlines_AdminChangesTable_NewComplaintsFollowIt()
    {
        using var admin = await app.ClientAsync("admin");
        using var rep = await app.ClientAsync("rep");
        await (await rep.PutJsonAsync("/api/v1/complaints/deadlines", new[] { new { severity = "Low", tier = "Small", hours = 5 } })).ExpectAsync(HttpStatusCode.Forbidden);
        await (await admin.PutJsonAsync("/api/v1/complaints/deadlines", new[] { new { severity = "Low", tier = "Small", hours = 0 } })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await admin.PutJsonAsync("/api/v1/complaints/deadlines", new[] { new { severity = "Low", tier = "Small", hours = 200 } })).ExpectAsync(HttpStatusCode.NoContent);

        var account = await app.AccountAsync("rep", KeyAccounts.Features.Accounts.Tier.Small);
        var contact = await app.ContactAsync("rep", account);
        var body = await (await rep.PostJsonAsync("/api/v1/complaints", new { accountId = account, contactId = contact, category = "Other", severity = "Low", description = "包装" })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(body.GetProperty("createdAt").GetDateTime().AddHours(200), body.GetProperty("dueAt").GetDateTime());
    }

    [Fact]
    public async Task Deadlines_OutOfOrderOrNotPositive_Returns400PerCellAndSavesNothing()
    {
        using var admin = await app.ClientAsync("admin");
        var before = await (await admin.GetAsync("/api/v1/complaints/deadlines")).ExpectAsync(HttpStatusCode.OK);

        var bad = await (await admin.PutJsonAsync("/api/v1/complaints/deadlines", new object[]
        {
            new { severity = "Critical", tier = "Ordinary", hours = 1000 },
            new { severity = "Medium", tier = "Key", hours = 60 },
            new { severity = "Low", tier = "Major", hours = -3 },
        })).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(bad.GetProperty("errors").TryGetProperty("Low.Major", out _));
        var order = await (await admin.PutJsonAsync("/api/v1/complaints/deadlines", new object[]
        {
            new { severity = "Critical", tier = "Ordinary", hours = 1000 },
            new { severity = "Medium", tier = "Key", hours = 60 },
        })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("more severe", order.GetProperty("errors").GetProperty("Critical.Ordinary")[0].GetString());
        Assert.Contains("more important tier", order.GetProperty("errors").GetProperty("Medium.Key")[0].GetString());
        var after = await (await admin.GetAsync("/api/v1/complaints/deadlines")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before.ToString(), after.ToString());
        using var engineer = await app.ClientAsync("engineer");
        await (await engineer.PutJsonAsync("/api/v1/complaints/deadlines", new[] { new { severity = "Low", tier = "Key", hours = 10 } })).ExpectAsync(HttpStatusCode.Forbidden);
    }
}
