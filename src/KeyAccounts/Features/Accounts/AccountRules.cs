using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

/// <summary>The fields a person edits on an account, shared by create, update and import.</summary>
public sealed record AccountFields(
    string? Code,
    string? Name,
    AccountType? Type,
    string? Industry = null,
    string? Province = null,
    string? City = null,
    string? CreditCode = null,
    long? ParentId = null,
    Tier? Tier = null,
    AccountStatus? Status = null);

/// <summary>A match found by the duplicate check: which rule matched and whose account it is, nothing more.</summary>
public sealed record DuplicateMatch(string Rule, string OwnerName)
{
    public FormattableString Reason => Rule == "creditCode"
        ? (FormattableString)$"An account with this credit code already exists (owner: {OwnerName})."
        : $"An account with the same name already exists (owner: {OwnerName}).";
}

/// <summary>
/// An account whose name is the same once bracketed parts are left out (<see cref="CompanyName.Core"/>). One the user may not see
/// is told only by its owner, as the duplicate check tells a match.
/// </summary>
public sealed record NearDuplicate(long? Id, string? Code, string? Name, string OwnerName);

public static class AccountRules
{
    /// <summary>The near duplicates a warning lists at most.</summary>
    public const int NearDuplicatesListed = 5;

    /// <summary>
    /// Accounts whose name differs from <paramref name="name"/> only by bracketed parts, spacing, width or the legal suffix
    /// (恒力石化（大连）有限公司 beside 恒力石化有限公司): not refused as a duplicate, but shown so that the user confirms.
    /// </summary>
    public static async Task<List<NearDuplicate>> FindNearDuplicatesAsync(AppDb db, CurrentUser user, string name, long? exceptId, CancellationToken ct)
    {
        var core = CompanyName.Core(name);
        var matches = await db.Accounts.Where(a => a.NameCore == core && a.Id != (exceptId ?? 0)).OrderBy(a => a.Name).ThenBy(a => a.Id)
            .Select(a => new { a.Id, a.Code, a.Name, OwnerName = a.Owner!.DisplayName }).Take(NearDuplicatesListed).ToListAsync(ct);
        if (matches.Count == 0) return [];
        var ids = matches.Select(m => m.Id).ToArray();
        var visible = (await db.Accounts.VisibleTo(db, user).Where(a => ids.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct)).ToHashSet();
        return [.. matches.Select(m => visible.Contains(m.Id) ? new NearDuplicate(m.Id, m.Code, m.Name, m.OwnerName) : new NearDuplicate(null, null, null, m.OwnerName))];
    }

    /// <summary>The 409 that asks to confirm a new account beside its near duplicates, which it lists as <c>candidates</c>.</summary>
    public static Conflict<ProblemDetails> NearDuplicateConflict(IReadOnlyList<NearDuplicate> candidates)
    {
        var conflict = Problems.Conflict("Possible duplicate account",
            $"An account with a similar name already exists (the same name apart from bracketed parts, spacing or the legal suffix). Check the candidates, then send confirmDuplicate=true to create it anyway.");
        conflict.Value!.Extensions["candidates"] = candidates;
        return conflict;
    }

    public static Validation Validate(AccountFields f, Validation? into = null)
    {
        var v = into ?? new Validation();
        v.Require("code", f.Code, 40).Require("name", f.Name, 200);
        if (f.Type is null) v.Add("type", $"type is required: Customer or Dealer.");
        v.MaxLength("industry", f.Industry, 60).MaxLength("province", f.Province, 30).MaxLength("city", f.City, 30);
        if (f.CreditCode.Trimmed() is { } cc && CreditCode.Validate(cc) is { } why) v.Add("creditCode", why);
        if (f.Name.Trimmed() is { } name && CompanyName.Normalize(name).Length == 0) v.Add("name", $"name has no letters or characters left once legal suffixes are removed.");
        return v;
    }

    /// <summary>
    /// 查重 against every account, including those the user cannot see: a match is refused, and the
    /// message names only the rule and the owner.
    /// </summary>
    public static async Task<DuplicateMatch?> FindDuplicateAsync(AppDb db, string? creditCode, string name, long? exceptId, CancellationToken ct)
    {
        var others = db.Accounts.Where(a => a.Id != (exceptId ?? 0));
        if (creditCode.Trimmed() is { } cc)
        {
            var normalized = CreditCode.Normalize(cc);
            var owner = await others.Where(a => a.CreditCode == normalized).Select(a => a.Owner!.DisplayName).FirstOrDefaultAsync(ct);
            if (owner is not null) return new DuplicateMatch("creditCode", owner);
        }
        var key = CompanyName.Normalize(name);
        var nameOwner = await others.Where(a => a.NormalizedName == key).Select(a => a.Owner!.DisplayName).FirstOrDefaultAsync(ct);
        return nameOwner is null ? null : new DuplicateMatch("name", nameOwner);
    }

    public static void Apply(Account a, AccountFields f)
    {
        a.Code = f.Code!.Trim();
        a.Name = f.Name!.Trim();
        a.NormalizedName = CompanyName.Normalize(a.Name);
        a.NameInitials = PinyinInitials.Of(a.Name);
        AccountSpellings.Set(a);
        a.Type = f.Type!.Value;
        a.Industry = f.Industry.Trimmed();
        a.Province = f.Province.Trimmed();
        a.City = f.City.Trimmed();
        a.CreditCode = f.CreditCode.Trimmed() is { } cc ? CreditCode.Normalize(cc) : null;
        a.ParentId = f.ParentId;
        if (f.Tier is { } tier) a.Tier = tier;
        if (f.Status is { } status) a.Status = status;
    }

    /// <summary>Checks the parent exists, is visible, and would not make the group hierarchy a loop.</summary>
    public static async Task CheckParentAsync(AppDb db, CurrentUser user, long? parentId, long? selfId, Validation v, CancellationToken ct)
    {
        if (parentId is not { } id) return;
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct))
        {
            v.Add("parentId", $"There is no account {id}.");
            return;
        }
        if (selfId is null) return;
        long? current = id;
        for (var depth = 0; current is { } c && depth < 64; depth++)
        {
            if (c == selfId) { v.Add("parentId", $"An account cannot be inside its own group."); return; }
            current = await db.Accounts.Where(a => a.Id == c).Select(a => a.ParentId).FirstOrDefaultAsync(ct);
        }
    }
}
