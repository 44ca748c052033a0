using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Notifications;

/// <summary>Which channels each event type goes out on (administrator).</summary>
public static class ChannelSettings
{
    public sealed record SettingDto(NotificationEvent Event, NotificationChannel Channel, bool Enabled, string? WebhookUrl, bool HasSecret);

    /// <summary>A setting as saved; a null secret keeps the stored one, an empty one clears it.</summary>
    public sealed record SettingRequest(NotificationEvent Event, NotificationChannel Channel, bool Enabled, string? WebhookUrl, string? Secret);

    public static async Task<Ok<List<SettingDto>>> ListAsync(AppDb db, CancellationToken ct)
    {
        var stored = await db.NotificationChannelSettings.AsNoTracking().ToListAsync(ct);
        var all = Enum.GetValues<NotificationEvent>().SelectMany(e => Enum.GetValues<NotificationChannel>().Select(c =>
            stored.FirstOrDefault(s => s.Event == e && s.Channel == c) is { } s
                ? new SettingDto(e, c, s.Enabled, s.WebhookUrl, !string.IsNullOrEmpty(s.Secret))
                : new SettingDto(e, c, false, null, false))).ToList();
        return TypedResults.Ok(all);
    }

    public static async Task<Results<NoContent, ValidationProblem>> SaveAsync(List<SettingRequest> request, AppDb db, CancellationToken ct)
    {
        var v = new Validation();
        for (var i = 0; i < request.Count; i++)
        {
            var r = request[i];
            var url = r.WebhookUrl.Trimmed();
            if (url is not null && !Robots.IsWebUrl(url)) v.Add($"[{i}].webhookUrl", "The webhook URL must be an http(s) address.");
            else if (url is not null && url.Length > 500) v.Add($"[{i}].webhookUrl", "The webhook URL must be at most 500 characters.");
            if (r.Enabled && r.Channel != NotificationChannel.Email && url is null) v.Add($"[{i}].webhookUrl", "A robot channel needs its webhook URL.");
        }
        if (!v.IsValid) return v.Problem();
        var stored = await db.NotificationChannelSettings.ToListAsync(ct);
        foreach (var r in request)
        {
            var s = stored.FirstOrDefault(x => x.Event == r.Event && x.Channel == r.Channel);
            if (s is null) db.NotificationChannelSettings.Add(s = new NotificationChannelSetting { Event = r.Event, Channel = r.Channel });
            s.Enabled = r.Enabled;
            s.WebhookUrl = r.Channel == NotificationChannel.Email ? null : r.WebhookUrl.Trimmed();
            if (r.Secret is not null) s.Secret = r.Secret.Trimmed();
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
