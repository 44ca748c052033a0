using System.Globalization;
using KeyAccounts.Data;
using KeyAccounts.Features.Audit;
using KeyAccounts.Features.Care;
using KeyAccounts.Features.Complaints;
using KeyAccounts.Features.Contacts;
using KeyAccounts.Features.FollowUps;
using KeyAccounts.Features.Tasks;
using KeyAccounts.Features.Visits;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace KeyAccounts.Features.Accounts;

/// <summary>One field of a change as a person reads it: the form's label, values in words.</summary>
public sealed record ChangeLine(string Field, string Label, string? Before, string? After);

/// <summary>One entry of an account's history as the history tab shows it.</summary>
public sealed record HistoryLine(long Id, DateTime At, string LocalTime, string Who, string What, AuditAction Action, IReadOnlyList<ChangeLine> Changes);

/// <summary>
/// Turns a page of the audit log into what a person changed, in words: each field under the label its form uses (in that
/// feature's resources), users, departments, accounts and contacts by name instead of id, enum values translated, times
/// in the user's zone. Names are read in one query per kind for the whole page.
/// </summary>
public sealed class AccountHistoryLines(IStringLocalizerFactory localizers, IStringLocalizer<AccountsText> accounts, UserTimeZone zone)
{
    private enum Ref { None, User, Department, Account, Contact, Time }

    /// <summary>How one field of one entity reads: the label key in its feature's resources, the key prefix of its values, what its id names.</summary>
    private sealed record FieldRule(string Label, string? ValuePrefix = null, Ref Ref = Ref.None);

    private static readonly Dictionary<string, (Type Text, Dictionary<string, FieldRule> Fields)> Entities = new()
    {
        ["Account"] = (typeof(AccountsText), new()
        {
            ["OwnerId"] = new("Field.OwnerId", Ref: Ref.User),
            ["ParentId"] = new("Field.ParentId", Ref: Ref.Account),
            ["DepartmentId"] = new("Field.DepartmentId", Ref: Ref.Department),
            ["Tier"] = new("Field.Tier", "Tier"),
            ["Type"] = new("Field.Type", "AccountType"),
            ["Status"] = new("Field.Status", "Status"),
        }),
        ["AccountShare"] = (typeof(AccountsText), new()
        {
            ["UserId"] = new("Field.UserId", Ref: Ref.User),
            ["Access"] = new("Field.Access", "Access"),
        }),
        ["Contact"] = (typeof(ContactsText), new()
        {
            ["Name"] = new("Name"),
            ["Title"] = new("Title"),
            ["Department"] = new("Department"),
            ["Role"] = new("Role in the decision", "Role"),
            ["Attitude"] = new("Attitude", "Attitude"),
            ["Influence"] = new("Influence"),
            ["ReportsToId"] = new("Reports to", Ref: Ref.Contact),
            ["BirthdayMonthDay"] = new("Birthday"),
            ["Phone"] = new("Phone"),
            ["Email"] = new("E-mail"),
            ["WeChat"] = new("WeChat"),
            ["Preferences"] = new("Preferences"),
        }),
        ["FollowUpTask"] = (typeof(TasksText), new()
        {
            ["Title"] = new("Task"),
            ["Notes"] = new("Notes"),
            ["OwnerId"] = new("Owner", Ref: Ref.User),
            ["DueOn"] = new("Due on"),
            ["Status"] = new("Field.Status", "TaskState"),
            ["CreatedById"] = new("Field.CreatedById", Ref: Ref.User),
            ["CompletedAt"] = new("Field.CompletedAt", Ref: Ref.Time),
        }),
        ["Complaint"] = (typeof(ComplaintsText), new()
        {
            ["ContactId"] = new("Field.ContactId", Ref: Ref.Contact),
            ["Category"] = new("Category", "Category"),
            ["Severity"] = new("Severity", "Severity"),
            ["Description"] = new("Description"),
            ["Status"] = new("Status", "Status"),
            ["AssigneeId"] = new("Assignee", Ref: Ref.User),
            ["DueAt"] = new("Due", Ref: Ref.Time),
            ["EscalatedAt"] = new("Field.EscalatedAt", Ref: Ref.Time),
            ["EscalatedToId"] = new("Field.EscalatedToId", Ref: Ref.User),
            ["RootCause"] = new("Root cause"),
            ["Resolution"] = new("Resolution"),
            ["ResolvedAt"] = new("Field.ResolvedAt", Ref: Ref.Time),
            ["CreatedById"] = new("Field.CreatedById", Ref: Ref.User),
        }),
        ["Visit"] = (typeof(VisitsText), new()
        {
            ["Level"] = new("Level", "Level"),
            ["Status"] = new("Field.Status", "Status"),
            ["PlannedOn"] = new("Planned on"),
            ["Purpose"] = new("Purpose"),
            ["OwnerId"] = new("Owner", Ref: Ref.User),
            ["VisitedOn"] = new("Visited on"),
            ["Findings"] = new("Findings"),
            ["Problems"] = new("Problems found"),
            ["UsageInformation"] = new("Usage information"),
            ["LatentNeeds"] = new("Latent needs"),
            ["RecordedAt"] = new("Field.RecordedAt", Ref: Ref.Time),
        }),
        ["FollowUp"] = (typeof(FollowUpsText), new()
        {
            ["Method"] = new("Method", "Method"),
            ["OccurredOn"] = new("Date"),
            ["Summary"] = new("Summary"),
            ["NextContactOn"] = new("Next contact on"),
            ["UserId"] = new("Field.UserId", Ref: Ref.User),
        }),
        ["CareAction"] = (typeof(CareText), new()
        {
            ["ContactId"] = new("Person", Ref: Ref.Contact),
            ["Occasion"] = new("Occasion", "Occasion"),
            ["Festival"] = new("Festival", "Festival"),
            ["What"] = new("What"),
            ["TakenOn"] = new("Date"),
            ["Cost"] = new("Cost"),
            ["ByUserId"] = new("By", Ref: Ref.User),
        }),
    };

    /// <summary>Fields no entity lists but every one means the same by (a user id is a user id wherever it is kept).</summary>
    private static readonly Dictionary<string, Ref> CommonRefs = new()
    {
        ["OwnerId"] = Ref.User,
        ["UserId"] = Ref.User,
        ["CreatedById"] = Ref.User,
        ["AssigneeId"] = Ref.User,
        ["ByUserId"] = Ref.User,
        ["DepartmentId"] = Ref.Department,
        ["ParentId"] = Ref.Account,
        ["ContactId"] = Ref.Contact,
    };

    /// <summary>The page of the history of one visible account (the caller checked that), in words.</summary>
    public async Task<List<HistoryLine>> DescribeAsync(long accountId, IReadOnlyList<AuditEntryDto> page, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var diffs = page.ToDictionary(e => e.Id, e => AuditDiff.Of(e.Before, e.After));
        var refs = page.SelectMany(e => diffs[e.Id].Select(c => (Kind: RuleOf(e.Entity, c.Field).Ref, c)))
            .Where(x => x.Kind is not Ref.None and not Ref.Time)
            .SelectMany(x => new[] { (x.Kind, Value: x.c.Before), (x.Kind, Value: x.c.After) })
            .Where(x => x.Value is not null)
            .ToLookup(x => x.Kind, x => x.Value!);

        var userIds = refs[Ref.User].Distinct().ToList();
        var userNames = page.Select(e => e.UserName).OfType<string>().Distinct().ToList();
        var people = userIds.Count + userNames.Count == 0 ? [] : await db.Users
            .Where(u => userIds.Contains(u.Id) || userNames.Contains(u.UserName!))
            .Select(u => new { u.Id, u.UserName, u.DisplayName }).ToListAsync(ct);
        var byId = people.ToDictionary(u => u.Id, u => u.DisplayName);
        var byUserName = people.Where(u => u.UserName is not null).ToDictionary(u => u.UserName!, u => u.DisplayName);

        var departmentIds = Numbers(refs[Ref.Department]).Select(i => (int)i).ToList();
        var departments = departmentIds.Count == 0 ? [] : await db.Departments.Where(d => departmentIds.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id.ToString(CultureInfo.InvariantCulture), d => d.Name, ct);

        // Another account is named only when the user may see it; otherwise it stays a number.
        var accountIds = Numbers(refs[Ref.Account]);
        var accountNames = accountIds.Count == 0 ? [] : await db.Accounts.VisibleTo(db, user).Where(a => accountIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id.ToString(CultureInfo.InvariantCulture), a => a.Code + " " + a.Name, ct);

        var contactIds = Numbers(refs[Ref.Contact]);
        var contactNames = contactIds.Count == 0 ? [] : await db.Contacts.Where(c => c.AccountId == accountId && contactIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id.ToString(CultureInfo.InvariantCulture), c => c.Name, ct);

        string? Named(Ref kind, string? value) => value is null ? null : kind switch
        {
            Ref.User => byId.GetValueOrDefault(value) ?? accounts["Former user"],
            Ref.Department => departments.GetValueOrDefault(value) ?? value,
            Ref.Account => accountNames.GetValueOrDefault(value) ?? value,
            Ref.Contact => contactNames.GetValueOrDefault(value) ?? value,
            _ => value,
        };

        return page.Select(e => new HistoryLine(
            e.Id, e.At, zone.Format(e.At, "yyyy-MM-dd HH:mm:ss"),
            e.UserName is null ? accounts["System"] : byUserName.GetValueOrDefault(e.UserName) ?? e.UserName,
            $"{accounts.Term($"Entity.{e.Entity}")} · {accounts.Term($"Action.{e.Action}")}",
            e.Action,
            diffs[e.Id].Select(c =>
            {
                var rule = RuleOf(e.Entity, c.Field);
                return new ChangeLine(c.Field, Label(e.Entity, c.Field, rule), Value(e.Entity, rule, c.Before, Named), Value(e.Entity, rule, c.After, Named));
            }).ToList())).ToList();
    }

    private static FieldRule RuleOf(string entity, string field) =>
        Entities.TryGetValue(entity, out var e) && e.Fields.TryGetValue(field, out var rule) ? rule
            : new FieldRule($"Field.{field}", Ref: CommonRefs.GetValueOrDefault(field));

    private static List<long> Numbers(IEnumerable<string> values) =>
        values.Select(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (long?)null).OfType<long>().Distinct().ToList();

    /// <summary>The label the entity's form uses; a field no form shows reads as the account area's term for it (nested archive paths per part).</summary>
    private string Label(string entity, string field, FieldRule rule)
    {
        if (Entities.TryGetValue(entity, out var e) && e.Fields.ContainsKey(field) && !rule.Label.StartsWith("Field.", StringComparison.Ordinal))
        {
            var label = localizers.Create(e.Text)[rule.Label];
            if (!label.ResourceNotFound || IsEnglish) return label.Value;
        }
        return string.Join(" · ", field.Split('.').Select(Term));
    }

    /// <summary>The account area's name for a field; in English, or with no name kept, the field's own name in words.</summary>
    private string Term(string field)
    {
        var term = accounts.Term($"Field.{field}");
        return term == field ? Words(field.EndsWith("Id", StringComparison.Ordinal) && field.Length > 2 ? field[..^2] : field) : term;
    }

    private string? Value(string entity, FieldRule rule, string? value, Func<Ref, string?, string?> named)
    {
        if (value is null) return null;
        if (rule.Ref == Ref.Time)
            return DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
                ? zone.Format(at) : value;
        if (rule.Ref != Ref.None) return named(rule.Ref, value);
        if (rule.ValuePrefix is null) return value;
        var key = $"{rule.ValuePrefix}.{value}";
        if (Entities.TryGetValue(entity, out var e))
        {
            var text = localizers.Create(e.Text)[key];
            if (!text.ResourceNotFound) return text.Value;
        }
        var term = accounts.Term(key);
        return term == value ? Words(value) : term;
    }

    private static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>"DecisionMaker" → "Decision maker": an enum value with no translation still reads as words.</summary>
    private static string Words(string value) =>
        value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + string.Concat(value.Skip(1).Select((ch, i) =>
            char.IsUpper(ch) && char.IsLower(value[i]) ? " " + char.ToLowerInvariant(ch) : ch.ToString()));
}
