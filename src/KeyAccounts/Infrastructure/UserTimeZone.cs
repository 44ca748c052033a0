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

    public TimeZoneInfo Zone { get; private set; } = clock.LocalTimeZone;

    /// <summary>Takes the zone the browser named (an IANA id such as Asia/Shanghai); an unknown or empty name leaves it as it was.</summary>
    public void Use(string? ianaId)
    {
        if (string.IsNullOrWhiteSpace(ianaId) || ianaId.Length > 64) return;
        if (TimeZoneInfo.TryFindSystemTimeZoneById(Uri.UnescapeDataString(ianaId.Trim()), out var zone)) Zone = zone;
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
}
