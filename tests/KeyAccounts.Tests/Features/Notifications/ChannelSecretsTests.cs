using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Notifications;

[Collection(AppCollection.Name)]
public sealed class ChannelSecretsTests(TestApp app)
{
    private const string Token = "a1b2c3d4e5f6TOKEN";
    private const string Secret = "SECfeishu0123456789";

    private async Task SaveAsync(params object[] settings)
    {
        using var admin = await app.ClientAsync("admin");
        await (await admin.PutJsonAsync("/api/v1/notifications/settings", settings)).ExpectAsync(HttpStatusCode.NoContent);
    }

    private async Task<NotificationChannelSetting> StoredAsync(NotificationEvent e, NotificationChannel c)
    {
        await using var db = app.Db();
        return await db.NotificationChannelSettings.AsNoTracking().SingleAsync(s => s.Event == e && s.Channel == c);
    }

    [Fact]
    public async Task Settings_WebhookKeyAndSecret_StoredEncryptedNeverReturnedAndBlankKeepsThem()
    {
        await SaveAsync(new { @event = "SurveyAnswered", channel = "Feishu", enabled = false, webhookUrl = $"https://open.feishu.cn/open-apis/bot/v2/hook/{Token}", secret = Secret });

        var stored = await StoredAsync(NotificationEvent.SurveyAnswered, NotificationChannel.Feishu);
        Assert.StartsWith(ChannelSecrets.Prefix, stored.WebhookUrl);
        Assert.StartsWith(ChannelSecrets.Prefix, stored.Secret);
        Assert.DoesNotContain(Token, stored.WebhookUrl);
        Assert.DoesNotContain(Secret, stored.Secret);
        using var admin = await app.ClientAsync("admin");
        var response = await admin.GetAsync("/api/v1/notifications/settings");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(Token, text);
        Assert.DoesNotContain(Secret, text);
        var row = JsonDocument.Parse(text).RootElement.EnumerateArray().Single(s => s.GetProperty("event").GetString() == "SurveyAnswered" && s.GetProperty("channel").GetString() == "Feishu");
        Assert.True(row.GetProperty("hasSecret").GetBoolean());
        Assert.Equal("••••6789", row.GetProperty("secretHint").GetString());
        Assert.Equal("https://open.feishu.cn/••••OKEN", row.GetProperty("webhookUrlHint").GetString());
        await using (var db = app.Db())
            Assert.False(await db.AuditEntries.AnyAsync(a => a.Entity == nameof(NotificationChannelSetting) && ((a.After ?? "").Contains(Secret) || (a.After ?? "").Contains(Token))));

        await SaveAsync(new { @event = "SurveyAnswered", channel = "Feishu", enabled = true, webhookUrl = "", secret = (string?)null });
        var kept = await StoredAsync(NotificationEvent.SurveyAnswered, NotificationChannel.Feishu);
        Assert.Equal(stored.WebhookUrl, kept.WebhookUrl);
        Assert.Equal(stored.Secret, kept.Secret);
        Assert.True(kept.Enabled);

        await SaveAsync(new { @event = "SurveyAnswered", channel = "Feishu", enabled = false, clearSecret = true });
        var cleared = await StoredAsync(NotificationEvent.SurveyAnswered, NotificationChannel.Feishu);
        Assert.Null(cleared.Secret);
        Assert.Equal(stored.WebhookUrl, cleared.WebhookUrl);
    }

    [Fact]
    public async Task Settings_SecretForWeComOrNoAddressToKeep_Returns400AndSavesNothing()
    {
        using var admin = await app.ClientAsync("admin");
        var body = await (await admin.PutJsonAsync("/api/v1/notifications/settings", new object[]
        {
            new { @event = "CareReminder", channel = "WeCom", enabled = false, webhookUrl = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", secret = "nope" },
            new { @event = "CareReminder", channel = "Feishu", enabled = true, clearWebhookUrl = true },
        })).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(body.GetProperty("errors").TryGetProperty("[0].secret", out _));
        Assert.True(body.GetProperty("errors").TryGetProperty("[1].webhookUrl", out _));
        await using var db = app.Db();
        Assert.False(await db.NotificationChannelSettings.AnyAsync(s => s.Event == NotificationEvent.CareReminder && s.Enabled));
    }

    [Fact]
    public async Task Delivery_SignedFeishuAndDingTalkRobots_SignaturesVerifyWithTheSecrets()
    {
        using var robots = new WebhookSink();
        await SaveAsync(
            new { @event = "FollowUpOverdue", channel = "Feishu", enabled = true, webhookUrl = robots.BaseUrl + "feishu/hook/" + Token, secret = Secret },
            new { @event = "FollowUpOverdue", channel = "DingTalk", enabled = true, webhookUrl = robots.BaseUrl + "dingtalk?access_token=" + Token, secret = "SECding0123456789" },
            new { @event = "FollowUpOverdue", channel = "WeCom", enabled = true, webhookUrl = robots.BaseUrl + "wecom?key=" + Token, secret = (string?)null });
        try
        {
            var key = TestApp.Unique("signed");
            await using (var db = app.Db())
                await Notify.SendAsync(db, [new Notify.Message(app.UserIds["rep"], NotificationEvent.FollowUpOverdue, key, "跟进逾期")], default);
            var clock = new ManualClock(DateTimeOffset.UtcNow);
            var sender = new NotificationSender(new SmtpSettings(), new HttpClient(), clock, app.Services.GetRequiredService<ChannelSecrets>());

            await using (var db = app.Db())
            {
                db.Clock = clock;
                Assert.True((await DeliverNotifications.RunAsync(db, sender, default)).Sent >= 3);
            }

            var requests = robots.Requests.ToList();
            var feishu = JsonDocument.Parse(requests.Single(r => r.Url == "/feishu/hook/" + Token).Body).RootElement;
            var seconds = clock.GetUtcNow().ToUnixTimeSeconds();
            Assert.Equal(seconds.ToString(), feishu.GetProperty("timestamp").GetString());
            var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes($"{seconds}\n{Secret}"), Array.Empty<byte>()));
            Assert.Equal(expected, feishu.GetProperty("sign").GetString());
            Assert.Contains("跟进逾期", feishu.GetProperty("content").GetProperty("text").GetString());
            var ding = requests.Single(r => r.Url.StartsWith("/dingtalk")).Url;
            var ms = clock.GetUtcNow().ToUnixTimeMilliseconds();
            Assert.Equal($"/dingtalk?access_token={Token}&timestamp={ms}&sign={Uri.EscapeDataString(Robots.DingTalkSign(ms, "SECding0123456789"))}", ding);
            var wecom = JsonDocument.Parse(requests.Single(r => r.Url.StartsWith("/wecom")).Body).RootElement;
            Assert.False(wecom.TryGetProperty("sign", out _));
        }
        finally
        {
            await SaveAsync(
                new { @event = "FollowUpOverdue", channel = "Feishu", enabled = false, clearWebhookUrl = true, clearSecret = true },
                new { @event = "FollowUpOverdue", channel = "DingTalk", enabled = false, clearWebhookUrl = true, clearSecret = true },
                new { @event = "FollowUpOverdue", channel = "WeCom", enabled = false, clearWebhookUrl = true });
            await using var db = app.Db();
            await db.NotificationDeliveries.Where(d => d.Status != DeliveryStatus.Sent).ExecuteDeleteAsync();
        }
    }

    [Fact]
    public async Task ProtectPlainText_RowsStoredBeforeEncryption_AreEncryptedOnceAndStillRead()
    {
        const string url = "https://oapi.dingtalk.com/robot/send?access_token=legacyTOKEN42";
        await using (var db = app.Db())
        {
            await db.NotificationChannelSettings.Where(s => s.Event == NotificationEvent.TaskOverdue && s.Channel == NotificationChannel.DingTalk).ExecuteDeleteAsync();
            db.NotificationChannelSettings.Add(new NotificationChannelSetting
            {
                Event = NotificationEvent.TaskOverdue,
                Channel = NotificationChannel.DingTalk,
                Enabled = false,
                WebhookUrl = url,
                Secret = "SEClegacy0042",
            });
            await db.SaveChangesAsync();
        }
        var protection = app.Services.GetRequiredService<ChannelSecrets>();
        Assert.Equal("SEClegacy0042", protection.RevealSecret("SEClegacy0042"));

        Assert.True(await ChannelSecrets.ProtectPlainTextAsync(app.Services) >= 1);
        Assert.Equal(0, await ChannelSecrets.ProtectPlainTextAsync(app.Services));

        var stored = await StoredAsync(NotificationEvent.TaskOverdue, NotificationChannel.DingTalk);
        Assert.StartsWith(ChannelSecrets.Prefix, stored.WebhookUrl);
        Assert.DoesNotContain("legacyTOKEN42", stored.WebhookUrl);
        Assert.Equal(url, protection.RevealUrl(stored.WebhookUrl));
        Assert.Equal("SEClegacy0042", protection.RevealSecret(stored.Secret));
        await using (var db = app.Db())
        {
            var audit = await db.AuditEntries.Where(a => a.Entity == nameof(NotificationChannelSetting)).Select(a => (a.Before ?? "") + (a.After ?? "")).ToListAsync();
            Assert.Contains(audit, a => a.Contains("••••0042"));
            Assert.DoesNotContain(audit, a => a.Contains("SEClegacy0042") || a.Contains("legacyTOKEN42"));
        }
        await using var cleanup = app.Db();
        await cleanup.NotificationChannelSettings.Where(s => s.Event == NotificationEvent.TaskOverdue && s.Channel == NotificationChannel.DingTalk).ExecuteDeleteAsync();
    }
}
