using System.Security.Cryptography;
using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Notifications;

/// <summary>Which channels each event type goes out on (administrator). Robot addresses and secrets are write-only: only a hint comes back.</summary>
public static class ChannelSettings
{
    public sealed record SettingDto(NotificationEvent Event, NotificationChannel Channel, bool Enabled,
        bool HasWebhookUrl, string? WebhookUrlHint, bool HasSecret, string? SecretHint);

    /// <summary>
    /// A setting as saved. A blank address or secret keeps the stored one; <paramref name="ClearWebhookUrl"/> and
    /// <paramref name="ClearSecret"/> remove it.
    /// </summary>
    public sealed record SettingRequest(NotificationEvent Event, NotificationChannel Channel, bool Enabled, string? WebhookUrl, string? Secret,
        bool? ClearWebhookUrl = null, bool? ClearSecret = null);

    /// <summary>The robots that sign their messages (加签 / 签名校验); WeCom's has no signing.</summary>
    public static bool Signs(NotificationChannel channel) => channel is NotificationChannel.DingTalk or NotificationChannel.Feishu;

    public static async Task<Ok<List<SettingDto>>> ListAsync(AppDb db, ChannelSecrets protection, CancellationToken ct)
    {
        var stored = await db.NotificationChannelSettings.AsNoTracking().ToListAsync(ct);
        var all = Enum.GetValues<NotificationEvent>().SelectMany(e => Enum.GetValues<NotificationChannel>().Select(c =>
            stored.FirstOrDefault(s => s.Event == e && s.Channel == c) is { } s
                ? new SettingDto(e, c, s.Enabled, s.WebhookUrl is not null, Hint(() => protection.RevealUrl(s.WebhookUrl), ChannelSecrets.UrlHint),
                    s.Secret is not null, Hint(() => protection.RevealSecret(s.Secret), ChannelSecrets.SecretHint))
                : new SettingDto(e, c, false, false, null, false, null))).ToList();
        return TypedResults.Ok(all);
    }

    private static string? Hint(Func<string?> reveal, Func<string, string> hint)
    {
        try
        {
            return reveal() is { } plain ? hint(plain) : null;
        }
        catch (CryptographicException)
        {
            return "(unreadable: enter it again)";
        }
    }

    public static async Task<Results<NoContent, ValidationProblem>> SaveAsync(List<SettingRequest> request, AppDb db, ChannelSecrets protection, CancellationToken ct)
    {
        var stored = await db.NotificationChannelSettings.ToListAsync(ct);
        var v = new Validation();
        for (var i = 0; i < request.Count; i++)
        {
            var r = request[i];
            var url = r.WebhookUrl.Trimmed();
            var secret = r.Secret.Trimmed();
            if (url is not null && !Robots.IsWebUrl(url)) v.Add($"[{i}].webhookUrl", $"The webhook URL must be an http(s) address.");
            else if (url is not null && url.Length > 500) v.Add($"[{i}].webhookUrl", $"The webhook URL must be at most 500 characters.");
            var keeps = r.ClearWebhookUrl != true && stored.Any(s => s.Event == r.Event && s.Channel == r.Channel && s.WebhookUrl is not null);
            if (r.Enabled && r.Channel != NotificationChannel.Email && url is null && !keeps) v.Add($"[{i}].webhookUrl", $"A robot channel needs its webhook URL.");
            if (secret is not null && !Signs(r.Channel)) v.Add($"[{i}].secret", $"Only DingTalk and Feishu robots sign their messages.");
            else if (secret is not null && secret.Length > 200) v.Add($"[{i}].secret", $"The secret must be at most 200 characters.");
        }
        if (!v.IsValid) return v.Problem();
        foreach (var r in request)
        {
            var s = stored.FirstOrDefault(x => x.Event == r.Event && x.Channel == r.Channel);
            if (s is null) db.NotificationChannelSettings.Add(s = new NotificationChannelSetting { Event = r.Event, Channel = r.Channel });
            s.Enabled = r.Enabled;
            if (r.Channel == NotificationChannel.Email || r.ClearWebhookUrl == true) s.WebhookUrl = null;
            else if (r.WebhookUrl.Trimmed() is { } url) s.WebhookUrl = protection.ProtectUrl(url);
            if (!Signs(r.Channel) || r.ClearSecret == true) s.Secret = null;
            else if (r.Secret.Trimmed() is { } secret) s.Secret = protection.ProtectSecret(secret);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
