using System.Collections.Concurrent;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace KeyAccounts.Tests.Features.Notifications;

[Collection(AppCollection.Name)]
public sealed class RobotLoggingTests(TestApp app)
{
    private sealed class Capture : ILogEventSink
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public void Emit(LogEvent e) =>
            Lines.Enqueue($"{e.RenderMessage()} {string.Join(" ", e.Properties.Select(p => $"{p.Key}={p.Value}"))} {e.Exception}");
    }

    [Fact]
    public async Task RobotNotification_EverythingLoggedAtTrace_NeverShowsTheToken()
    {
        var capture = new Capture();
        using var robots = new WebhookSink();
        await using var node = app.SecondNode(s => s.AddSerilog(log => log.MinimumLevel.Verbose().WriteTo.Sink(capture)));
        const string token = "f3c1b2a4-robot-token-7d9e";
        var secrets = node.Services.GetRequiredService<ChannelSecrets>();
        var setting = new NotificationChannelSetting
        {
            Event = NotificationEvent.EvaluationPublished,
            Channel = NotificationChannel.Feishu,
            Enabled = true,
            WebhookUrl = secrets.ProtectUrl($"{robots.BaseUrl}open-apis/bot/v2/hook/{token}"),
        };
        var message = new OutgoingMessage("评价结果已发布", "正文", "/accounts", "REP", null);

        await using (var scope = node.Services.CreateAsyncScope())
        {
            var sender = scope.ServiceProvider.GetRequiredService<NotificationSender>();
            await sender.SendAsync(NotificationChannel.Feishu, setting, message, default);
            robots.Script.Enqueue(500);
            await Assert.ThrowsAsync<HttpRequestException>(() => sender.SendAsync(NotificationChannel.Feishu, setting, message, default));
        }

        Assert.Equal(2, robots.Requests.Count(r => r.Url.Contains(token)));
        Assert.NotEmpty(capture.Lines);
        Assert.DoesNotContain(capture.Lines, line => line.Contains(token));
    }
}
