using System.Globalization;
using KeyAccounts.Features.Organisation;
using Microsoft.AspNetCore.Identity;

namespace KeyAccounts.Infrastructure;

/// <summary>
/// The time zone of the person using the app, for everything a screen shows as a clock time. The browser names it
/// (app.js keeps it in a cookie from the first page on, the sign-in page included); App.razor hands it to the circuit
/// through <c>Routes</c>, so prerendering and the interactive circuit show the same times. Timestamps stay UTC in the
/// data; without the cookie (a browser with scripts off, an API client) the server's zone is used.
/// </summary>
public sealed class UserTimeZone(TimeProvider clock)
{
    public const string Cookie = "tz";

    /// <summary>The user claim (OpenID Connect's "zoneinfo") that keeps the zone of the browser a user last signed in with, for texts sent to them.</summary>
    public const string Claim = "zoneinfo";

    public TimeZoneInfo Zone { get; private set; } = clock.LocalTimeZone;

    /// <summary>Takes the zone the browser named (an IANA id such as Asia/Shanghai); an unknown or empty name leaves it as it was.</summary>
    public void Use(string? ianaId)
    {
        if (Find(ianaId) is { } zone) Zone = zone;
    }

    /// <summary>A UTC timestamp as the user's wall-clock time.</summary>
    public DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    public DateTimeOffset ToLocal(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    public string Format(DateTime utc, string format = "yyyy-MM-dd HH:mm") =>
        ToLocal(utc).ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    public string Format(DateTime? utc, string format = "yyyy-MM-dd HH:mm") => utc is { } at ? Format(at, format) : "—";

    public string Format(DateTimeOffset at, string format = "yyyy-MM-dd HH:mm") =>
        ToLocal(at).ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A zone by the IANA id a browser named; null for an unknown, empty or overlong name.</summary>
    public static TimeZoneInfo? Find(string? ianaId) =>
        !string.IsNullOrWhiteSpace(ianaId) && ianaId.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(Uri.UnescapeDataString(ianaId.Trim()), out var zone)
            ? zone
            : null;

    /// <summary>Keeps the zone of the browser a user signs in with as theirs (their "zoneinfo" claim), for notifications.</summary>
    public static async Task RememberAsync(UserManager<AppUser> users, AppUser user, string? ianaId)
    {
        if (Find(ianaId) is not { } zone) return;
        var current = (await users.GetClaimsAsync(user)).Where(c => c.Type == Claim).ToList();
        if (current.Count == 1 && current[0].Value == zone.Id) return;
        if (current.Count > 0) await users.RemoveClaimsAsync(user, current);
        await users.AddClaimAsync(user, new System.Security.Claims.Claim(Claim, zone.Id));
    }

    /// <summary>
    /// A moment for a text read outside the app (a notification, e-mail, a group robot): on the reader's clock with its UTC offset
    /// when their zone is known, else in UTC said so, never a bare time in an unnamed zone.
    /// </summary>
    public static string ForText(DateTime utc, TimeZoneInfo? zone)
    {
        var at = DateTime.SpecifyKind(utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : utc, DateTimeKind.Utc);
        if (zone is null) return at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (UTC)";
        var offset = zone.GetUtcOffset(at);
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var hours = offset.Duration();
        var name = hours.Minutes == 0 ? $"UTC{sign}{hours.Hours}" : $"UTC{sign}{hours.Hours}:{hours.Minutes:00}";
        return TimeZoneInfo.ConvertTimeFromUtc(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + $" ({name})";
    }
}
