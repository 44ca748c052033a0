using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace KeyAccounts.Features.Notifications;

/// <summary>The SMTP server e-mail goes through (configuration section <c>Smtp</c>).</summary>
public sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "keyaccounts@localhost";
    public bool UseTls { get; set; } = true;
}

/// <summary>What goes out: the text of a notification, to a person's mailbox or a group robot.</summary>
public sealed record OutgoingMessage(string Title, string? Body, string? Link, string RecipientName, string? RecipientEmail);

/// <summary>Sends one message on one channel; throws with a readable reason when the other side refuses it.</summary>
public sealed class NotificationSender(SmtpSettings smtp, HttpClient http, TimeProvider clock, ChannelSecrets protection)
{
    public async Task SendAsync(NotificationChannel channel, NotificationChannelSetting? setting, OutgoingMessage message, CancellationToken ct)
    {
        switch (channel)
        {
            case NotificationChannel.Email:
                await SendMailAsync(message, ct);
                break;
            default:
                if (string.IsNullOrWhiteSpace(setting?.WebhookUrl)) throw new InvalidOperationException($"No webhook URL is set for {channel}.");
                string url;
                string? secret;
                try
                {
                    url = protection.RevealUrl(setting.WebhookUrl)!;
                    secret = protection.RevealSecret(setting.Secret);
                }
                catch (CryptographicException)
                {
                    throw new InvalidOperationException($"The {channel} webhook URL or secret cannot be decrypted on this server; enter them again.");
                }
                await PostAsync(channel, url, secret, message, ct);
                break;
        }
    }

    private async Task SendMailAsync(OutgoingMessage message, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(smtp.Host)) throw new InvalidOperationException("No SMTP server is configured (Smtp:Host).");
        if (string.IsNullOrWhiteSpace(message.RecipientEmail)) throw new InvalidOperationException($"{message.RecipientName} has no e-mail address.");
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(smtp.From));
        mail.To.Add(new MailboxAddress(message.RecipientName, message.RecipientEmail));
        mail.Subject = message.Title;
        mail.Body = new TextPart("plain") { Text = Text(message) };
        using var client = new SmtpClient();
        var security = !smtp.UseTls ? SecureSocketOptions.None : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        await client.ConnectAsync(smtp.Host, smtp.Port, security, ct);
        if (!string.IsNullOrEmpty(smtp.UserName)) await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", ct);
        await client.SendAsync(mail, ct);
        await client.DisconnectAsync(true, ct);
    }

    private async Task PostAsync(NotificationChannel channel, string url, string? secret, OutgoingMessage message, CancellationToken ct)
    {
        var text = $"[{message.RecipientName}] {Text(message)}";
        object payload = channel switch
        {
            NotificationChannel.Feishu when !string.IsNullOrEmpty(secret) => Robots.FeishuSignedText(text, secret, clock.GetUtcNow().ToUnixTimeSeconds()),
            NotificationChannel.Feishu => Robots.FeishuText(text),
            _ => Robots.Text(text),
        };
        if (channel == NotificationChannel.DingTalk && !string.IsNullOrEmpty(secret))
            url = Robots.DingTalkSigned(url, secret, clock.GetUtcNow().ToUnixTimeMilliseconds());
        using var response = await http.PostAsJsonAsync(url, payload, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{channel} answered {(int)response.StatusCode}: {Short(body)}");
        if (Robots.Refusal(body) is { } refusal) throw new HttpRequestException($"{channel} refused the message: {refusal}");
    }

    private static string Text(OutgoingMessage m) => string.Join("\n", new[] { m.Title, m.Body, m.Link }.Where(s => !string.IsNullOrWhiteSpace(s)));

    private static string Short(string s) => s.Length <= 300 ? s : s[..300];
}

/// <summary>The group robots' message formats and the DingTalk and Feishu signatures.</summary>
public static class Robots
{
    /// <summary>WeCom (企业微信) and DingTalk (钉钉) text message.</summary>
    public static object Text(string content) => new { msgtype = "text", text = new { content } };

    /// <summary>Feishu (飞书) text message.</summary>
    public static object FeishuText(string text) => new { msg_type = "text", content = new { text } };

    /// <summary>DingTalk's signature (加签): Base64 of HMAC-SHA256 over "timestamp\nsecret" keyed with the secret.</summary>
    public static string DingTalkSign(long timestampMs, string secret)
    {
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestampMs}\n{secret}"));
        return Convert.ToBase64String(hash);
    }

    public static string DingTalkSigned(string url, string secret, long timestampMs) =>
        $"{url}{(url.Contains('?') ? '&' : '?')}timestamp={timestampMs}&sign={Uri.EscapeDataString(DingTalkSign(timestampMs, secret))}";

    /// <summary>
    /// Feishu's signature (签名校验): Base64 of HMAC-SHA256 keyed with "timestamp\nsecret" over an empty message, the timestamp in
    /// seconds; unlike DingTalk's, it travels in the body, and Feishu refuses it when the timestamp is more than an hour off.
    /// </summary>
    public static string FeishuSign(long timestampSeconds, string secret)
    {
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes($"{timestampSeconds}\n{secret}"), Array.Empty<byte>());
        return Convert.ToBase64String(hash);
    }

    /// <summary>Feishu text message with its signature: the timestamp as a string of seconds, as in Feishu's own example.</summary>
    public static object FeishuSignedText(string text, string secret, long timestampSeconds) => new
    {
        timestamp = timestampSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        sign = FeishuSign(timestampSeconds, secret),
        msg_type = "text",
        content = new { text },
    };

    /// <summary>The robots answer 200 with an error code in the body when they refuse (errcode for WeCom/DingTalk, code for Feishu).</summary>
    public static string? Refusal(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            foreach (var name in new[] { "errcode", "code", "StatusCode" })
                if (doc.RootElement.TryGetProperty(name, out var code) && code.ValueKind == JsonValueKind.Number && code.GetInt32() != 0)
                    return body.Length <= 300 ? body : body[..300];
        }
        catch (JsonException)
        {
        }
        return null;
    }

    public static bool IsWebUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);
}
