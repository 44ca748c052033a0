using System.Text.RegularExpressions;
using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Contacts;

/// <summary>The fields of a key person as sent by the API and the contacts tab; the same record creates and updates.</summary>
public sealed record ContactRequest(
    string? Name,
    string? Title = null,
    string? Department = null,
    BuyingRole? Role = null,
    Attitude? Attitude = null,
    int? Influence = null,
    long? ReportsToId = null,
    DateOnly? Birthday = null,
    string? Phone = null,
    string? Email = null,
    string? WeChat = null,
    string? Preferences = null,
    bool? IsActive = null,
    int? Version = null);

public static partial class ContactRules
{
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailShape();

    public static async Task<Validation> ValidateAsync(ContactRequest r, AppDb db, long accountId, long? contactId, DateOnly today, CancellationToken ct)
    {
        var v = ValidateFields(r, today);
        if (r.ReportsToId is { } boss) await CheckReportsToAsync(db, accountId, contactId, boss, v, ct);
        return v;
    }

    /// <summary>The rules of each field on its own, shared by the API, the contacts tab and the import.</summary>
    public static Validation ValidateFields(ContactRequest r, DateOnly today, Validation? into = null)
    {
        var v = (into ?? new Validation()).Require("name", r.Name, 60)
            .MaxLength("title", r.Title, 60).MaxLength("department", r.Department, 60)
            .MaxLength("phone", r.Phone, 40).MaxLength("email", r.Email, 120).MaxLength("weChat", r.WeChat, 60)
            .MaxLength("preferences", r.Preferences, 1000);
        if (r.Influence is < 1 or > 5) v.Add("influence", $"influence is 1 (little) to 5 (decisive).");
        if (r.Role is { } role && !Enum.IsDefined(role)) v.Add("role", $"role must be one of {string.Join(", ", Enum.GetNames<BuyingRole>())}.");
        if (r.Attitude is { } attitude && !Enum.IsDefined(attitude)) v.Add("attitude", $"attitude must be one of {string.Join(", ", Enum.GetNames<Attitude>())}.");
        if (r.Email.Trimmed() is { } email && !EmailShape().IsMatch(email)) v.Add("email", $"email is not an e-mail address (name@example.com).");
        if (r.Birthday is { } birthday && birthday > today) v.Add("birthday", $"birthday cannot be in the future.");
        return v;
    }

    /// <summary>The manager must be a person of the same account, and following reports-to lines up from them must never come back.</summary>
    private static async Task CheckReportsToAsync(AppDb db, long accountId, long? contactId, long boss, Validation v, CancellationToken ct)
    {
        if (boss == contactId)
        {
            v.Add("reportsToId", $"A person cannot report to themselves.");
            return;
        }
        var lines = await db.Contacts.Where(c => c.AccountId == accountId).Select(c => new { c.Id, c.ReportsToId }).ToDictionaryAsync(c => c.Id, c => c.ReportsToId, ct);
        if (!lines.ContainsKey(boss))
        {
            v.Add("reportsToId", $"reportsToId must be a contact of the same account.");
            return;
        }
        if (contactId is null) return;
        var seen = new HashSet<long>();
        for (long? up = boss; up is { } at && seen.Add(at); up = lines.GetValueOrDefault(at))
            if (at == contactId)
            {
                v.Add("reportsToId", $"This reports-to line would make a cycle: the chosen manager already reports, directly or not, to this person.");
                return;
            }
    }

    public static void Apply(Contact c, ContactRequest r, DateTime now)
    {
        c.Name = r.Name!.Trim();
        c.Title = r.Title.Trimmed();
        c.Department = r.Department.Trimmed();
        c.Role = r.Role ?? BuyingRole.Other;
        c.Attitude = r.Attitude ?? Attitude.Unknown;
        c.Influence = r.Influence ?? 3;
        c.ReportsToId = r.ReportsToId;
        c.Birthday = r.Birthday;
        c.Phone = r.Phone.Trimmed();
        c.Email = r.Email.Trimmed();
        c.WeChat = r.WeChat.Trimmed();
        c.Preferences = r.Preferences.Trimmed();
        c.IsActive = r.IsActive ?? true;
        c.UpdatedAt = now;
    }

    public static ContactRequest ToRequest(this ContactDto c) => new(c.Name, c.Title, c.Department, c.Role, c.Attitude, c.Influence, c.ReportsToId,
        c.Birthday, c.Phone, c.Email, c.WeChat, c.Preferences, c.IsActive, c.Version);
}
