using System.Net;
using System.Text.Json;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Notifications;

[Collection(AppCollection.Name)]
public sealed class NotificationsApiTests(TestApp app)
{
    private async Task<long> RaiseAsync(string user, NotificationEvent e, string title)
    {
        await using var db = app.Db();
        var key = TestApp.Unique("k");
        Assert.Equal(1, await Notify.SendAsync(db, [new Notify.Message(app.UserIds[user], e, key, title, "正文", "/accounts")], default));
        Assert.Equal(0, await Notify.SendAsync(db, [new Notify.Message(app.UserIds[user], e, key, title)], default));
        return await db.Notifications.Where(n => n.DedupKey == key).Select(n => n.Id).SingleAsync();
    }

    private async Task SetChannelsAsync(params object[] settings)
    {
        using var admin = await app.ClientAsync("admin");
        await (await admin.PutJsonAsync("/api/v1/notifications/settings", settings)).ExpectAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Inbox_UnreadCountAndMarkRead_OnlyTheirOwn()
    {
        using var engineer = await app.ClientAsync("engineer");
        var before = (await (await engineer.GetAsync("/api/v1/notifications/unread-count")).ExpectAsync(HttpStatusCode.OK)).GetProperty("count").GetInt32();
        var id = await RaiseAsync("engineer", NotificationEvent.TaskOverdue, "任务逾期");

        Assert.Equal(before + 1, (await (await engineer.GetAsync("/api/v1/notifications/unread-count")).ExpectAsync(HttpStatusCode.OK)).GetProperty("count").GetInt32());
        var list = await (await engineer.GetAsync("/api/v1/notifications?unread=true")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), n => n.GetProperty("id").GetInt64() == id);
        using var rep = await app.ClientAsync("rep");
        await (await rep.PostAsync($"/api/v1/notifications/{id}/read", null)).ExpectAsync(HttpStatusCode.NotFound);
        await (await engineer.PostAsync($"/api/v1/notifications/{id}/read", null)).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(before, (await (await engineer.GetAsync("/api/v1/notifications/unread-count")).ExpectAsync(HttpStatusCode.OK)).GetProperty("count").GetInt32());
        await (await engineer.PostAsync("/api/v1/notifications/read-all", null)).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(0, (await (await engineer.GetAsync("/api/v1/notifications/unread-count")).ExpectAsync(HttpStatusCode.OK)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Settings_WebhookNotHttpOrNotAdmin_Refused()
    {
        using var admin = await app.ClientAsync("admin");
        var bad = await (await admin.PutJsonAsync("/api/v1/notifications/settings", new[] { new { @event = "VisitDue", channel = "WeCom", enabled = true, webhookUrl = "ftp://robots.example/x" } }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("http(s)", bad.GetProperty("errors").GetProperty("[0].webhookUrl")[0].GetString());
        using var rep = await app.ClientAsync("rep");
        await (await rep.GetAsync("/api/v1/notifications/settings")).ExpectAsync(HttpStatusCode.Forbidden);
        await (await rep.GetAsync("/api/v1/notifications/deliveries")).ExpectAsync(HttpStatusCode.Forbidden);
        await using var db = app.Db();
        Assert.False(await db.NotificationChannelSettings.AnyAsync(s => s.WebhookUrl != null && s.WebhookUrl.StartsWith("ftp")));
    }

    [Fact]
    public async Task Delivery_EmailAndRobots_SentRetriedAfterFailureAndFailuresVisible()
    {
        await using var smtp = new SmtpSink();
        using var robots = new WebhookSink();
        await using (var db = app.Db())
        {
            var rep2 = await db.Users.FirstAsync(u => u.Id == app.UserIds["rep2"]);
            rep2.Email = "rep2@keyaccounts.test";
            await db.SaveChangesAsync();
        }
        await SetChannelsAsync(
            new { @event = "EvaluationPublished", channel = "Email", enabled = true, webhookUrl = (string?)null, secret = (string?)null },
            new { @event = "EvaluationPublished", channel = "WeCom", enabled = true, webhookUrl = (string?)(robots.BaseUrl + "wecom?key=k"), secret = (string?)null },
            new { @event = "EvaluationPublished", channel = "DingTalk", enabled = true, webhookUrl = (string?)(robots.BaseUrl + "dingtalk?access_token=t"), secret = (string?)"SECtest" },
            new { @event = "EvaluationPublished", channel = "Feishu", enabled = true, webhookUrl = (string?)(robots.BaseUrl + "feishu"), secret = (string?)null });
        try
        {
            robots.Script.Enqueue(500); // the first robot call fails
            var id = await RaiseAsync("rep2", NotificationEvent.EvaluationPublished, "评价结果已发布");
            var clock = new ManualClock(DateTimeOffset.UtcNow);
            var sender = new NotificationSender(new SmtpSettings { Host = "127.0.0.1", Port = smtp.Port, UseTls = false, From = "ka@keyaccounts.test" }, new HttpClient(), clock,
                app.Services.GetRequiredService<ChannelSecrets>());

            await using (var db = app.Db())
            {
                db.Clock = clock;
                var first = await DeliverNotifications.RunAsync(db, sender, default);
                Assert.Equal(1, first.Failed);
            }
            await using (var db = app.Db())
            {
                var rows = await db.NotificationDeliveries.Where(d => d.NotificationId == id).ToListAsync();
                Assert.Equal(4, rows.Count);
                var failed = Assert.Single(rows, r => r.Status == DeliveryStatus.Pending);
                Assert.Contains("500", failed.LastError);
                Assert.Equal(1, failed.Attempts);
            }
            Assert.Contains(smtp.Messages, m => m.Contains("rep2@keyaccounts.test") && m.Contains("Subject:"));
            var texts = robots.Requests.ToList();
            Assert.Contains(texts, r => r.Url.StartsWith("/dingtalk?access_token=t&timestamp=") && r.Url.Contains("&sign="));
            Assert.Contains(texts, r => r.Url.StartsWith("/feishu") && JsonDocument.Parse(r.Body).RootElement.GetProperty("msg_type").GetString() == "text");
            Assert.Contains(texts, r => r.Url.StartsWith("/wecom") && JsonDocument.Parse(r.Body).RootElement.GetProperty("text").GetProperty("content").GetString()!.Contains("评价结果已发布"));

            await using (var db = app.Db())
            {
                db.Clock = clock;
                Assert.Equal(0, (await DeliverNotifications.RunAsync(db, sender, default)).Sent); // backing off: not yet due
            }
            clock.Now += TimeSpan.FromMinutes(2);
            await using (var db = app.Db())
            {
                db.Clock = clock;
                Assert.True((await DeliverNotifications.RunAsync(db, sender, default)).Sent >= 1);
                Assert.True(await db.NotificationDeliveries.Where(d => d.NotificationId == id).AllAsync(d => d.Status == DeliveryStatus.Sent));
            }

            // A robot that stays down: after the last attempt the delivery is failed, listed with its error, and can be retried.
            var down = await RaiseAsync("rep2", NotificationEvent.EvaluationPublished, "第二条");
            for (var i = 0; i < DeliverNotifications.MaxAttempts * 4; i++) robots.Script.Enqueue(503);
            for (var attempt = 0; attempt < DeliverNotifications.MaxAttempts; attempt++)
            {
                await using var db = app.Db();
                db.Clock = clock;
                await DeliverNotifications.RunAsync(db, sender, default);
                clock.Now += TimeSpan.FromHours(1);
            }
            using var admin = await app.ClientAsync("admin");
            var list = await (await admin.GetAsync("/api/v1/notifications/deliveries?status=Failed&pageSize=500")).ExpectAsync(HttpStatusCode.OK);
            var failedRow = list.GetProperty("items").EnumerateArray().First(d => d.GetProperty("notificationId").GetInt64() == down);
            Assert.Contains("503", failedRow.GetProperty("lastError").GetString());
            await (await admin.PostAsync($"/api/v1/notifications/deliveries/{failedRow.GetProperty("id").GetInt64()}/retry", null)).ExpectAsync(HttpStatusCode.NoContent);
            await using var check = app.Db();
            Assert.Equal(DeliveryStatus.Pending, await check.NotificationDeliveries.Where(d => d.Id == failedRow.GetProperty("id").GetInt64()).Select(d => d.Status).FirstAsync());
        }
        finally
        {
            await SetChannelsAsync(
                new { @event = "EvaluationPublished", channel = "Email", enabled = false },
                new { @event = "EvaluationPublished", channel = "WeCom", enabled = false },
                new { @event = "EvaluationPublished", channel = "DingTalk", enabled = false },
                new { @event = "EvaluationPublished", channel = "Feishu", enabled = false });
            await using var db = app.Db();
            await db.NotificationDeliveries.Where(d => d.Status != DeliveryStatus.Sent).ExecuteDeleteAsync();
        }
    }
}
