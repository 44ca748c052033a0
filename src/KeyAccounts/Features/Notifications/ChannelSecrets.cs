using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KeyAccounts.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Notifications;

/// <summary>
/// Robot webhook addresses (their key or access token is the permission to post) and signing secrets are kept encrypted with
/// ASP.NET Core Data Protection, one purpose per use; the key ring lives in the database, so every node reads what another
/// wrote. A stored value carries <see cref="Prefix"/>: a value without it is plain text from before, which
/// <see cref="ProtectPlainTextAsync"/> encrypts at start-up and which is read as it is until then.
/// </summary>
public sealed class ChannelSecrets(IDataProtectionProvider provider)
{
    public const string Prefix = "dp1:";
    private const string Mask = "••••";

    private readonly IDataProtector urls = provider.CreateProtector("KeyAccounts.Notifications.WebhookUrl.v1");
    private readonly IDataProtector secrets = provider.CreateProtector("KeyAccounts.Notifications.RobotSecret.v1");

    public string? ProtectUrl(string? plain) => Protect(urls, plain);

    public string? RevealUrl(string? stored) => Reveal(urls, stored);

    public string? ProtectSecret(string? plain) => Protect(secrets, plain);

    public string? RevealSecret(string? stored) => Reveal(secrets, stored);

    public static bool IsProtected(string? stored) => stored?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>Enough to recognise a secret without revealing it: "••••" and its last four characters.</summary>
    public static string SecretHint(string plain) => Mask + (plain.Length > 8 ? plain[^4..] : "");

    /// <summary>The robot's host and the last four characters of the address, whose path or query holds the robot's key.</summary>
    public static string UrlHint(string plain) =>
        Uri.TryCreate(plain, UriKind.Absolute, out var u) ? $"{u.Scheme}://{u.Authority}/{Mask}{(plain.Length > 16 ? plain[^4..] : "")}" : Mask;

    private static string? Protect(IDataProtector protector, string? plain) =>
        string.IsNullOrEmpty(plain) ? null : Prefix + protector.Protect(plain);

    /// <exception cref="CryptographicException">The value was encrypted with a key this node does not have.</exception>
    private static string? Reveal(IDataProtector protector, string? stored) =>
        string.IsNullOrEmpty(stored) ? null : IsProtected(stored) ? protector.Unprotect(stored[Prefix.Length..]) : stored;

    /// <summary>Encrypts the plain-text addresses and secrets stored before they were protected; returns how many rows changed.</summary>
    public static async Task<int> ProtectPlainTextAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var protection = services.GetRequiredService<ChannelSecrets>();
        await using var db = services.GetRequiredService<Func<AppDb>>()();
        var rows = await db.NotificationChannelSettings
            .Where(s => (s.WebhookUrl != null && !s.WebhookUrl.StartsWith(Prefix)) || (s.Secret != null && !s.Secret.StartsWith(Prefix)))
            .ToListAsync(ct);
        if (rows.Count == 0) return 0;
        foreach (var s in rows)
        {
            if (s.WebhookUrl is { } url && !IsProtected(url)) s.WebhookUrl = protection.ProtectUrl(url);
            if (s.Secret is { } secret && !IsProtected(secret)) s.Secret = protection.ProtectSecret(secret);
        }
        // Only when plain text was found (the first start after the upgrade). The audit is scrubbed after the settings are
        // saved, because that save records their plain "before" values too; both in one transaction.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await ScrubAuditAsync(db, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    /// <summary>
    /// The audit log is append-only, with one exception: before the settings were encrypted it recorded addresses and secrets in
    /// plain text, and those values are replaced by their hints. Entries written since hold only encrypted values.
    /// </summary>
    private static async Task ScrubAuditAsync(AppDb db, CancellationToken ct)
    {
        var entries = await db.AuditEntries.Where(e => e.Entity == nameof(NotificationChannelSetting)).ToListAsync(ct);
        foreach (var e in entries)
        {
            e.Before = Scrub(e.Before);
            e.After = Scrub(e.After);
        }
    }

    private static string? Scrub(string? json)
    {
        if (json is null || JsonNode.Parse(json) is not JsonObject values) return json;
        var changed = false;
        foreach (var (name, hint) in new (string, Func<string, string>)[] { (nameof(NotificationChannelSetting.WebhookUrl), UrlHint), (nameof(NotificationChannelSetting.Secret), SecretHint) })
            if (values[name] is JsonValue v && v.TryGetValue<string>(out var plain) && !IsProtected(plain) && !plain.Contains(Mask, StringComparison.Ordinal))
            {
                values[name] = hint(plain);
                changed = true;
            }
        return changed ? values.ToJsonString(Json.Options) : json;
    }
}
