using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

public sealed record UserOption(string Id, string UserName, string DisplayName)
{
    public override string ToString() => $"{DisplayName} ({UserName})";
}

public sealed record AccountOption(long Id, string Code, string Name)
{
    public override string ToString() => Code.Length == 0 ? Name : $"{Code} {Name}";
}

/// <summary>The small server-side searches behind the pickers of the account screens: a few matches, never a whole table.</summary>
public static class AccountLookups
{
    public const int Matches = 20;

    public static async Task<IEnumerable<UserOption>> UsersAsync(AppDb db, TimeProvider clock, string? text, CancellationToken ct)
    {
        var page = await ListUsers.HandleAsync(new ListUsers.Query(Search: text.Trimmed(), Active: true, PageSize: Matches), db, clock, ct);
        return page.Value!.Items.Select(u => new UserOption(u.Id, u.UserName, u.DisplayName)).ToList();
    }

    public static Task<UserOption?> UserAsync(AppDb db, string id, CancellationToken ct) =>
        db.Users.Where(u => u.Id == id).Select(u => new UserOption(u.Id, u.UserName!, u.DisplayName)).FirstOrDefaultAsync(ct);

    public static async Task<IEnumerable<AccountOption>> AccountsAsync(AppDb db, CurrentUser user, string? text, long? except, CancellationToken ct)
    {
        var query = new ListAccounts.Query { Search = text.Trimmed() };
        var accounts = ListAccounts.Ordered(await ListAccounts.FilterAsync(query, db, user, ct), query);
        if (except is { } id) accounts = accounts.Where(a => a.Id != id);
        return await accounts.Take(Matches).Select(a => new AccountOption(a.Id, a.Code, a.Name)).ToListAsync(ct);
    }

    /// <summary>Industries already used on visible accounts that start with what the user typed, for the filter's suggestions.</summary>
    public static async Task<IEnumerable<string>> IndustriesAsync(AppDb db, CurrentUser user, string? text, CancellationToken ct)
    {
        var accounts = db.Accounts.VisibleTo(db, user).Where(a => a.Industry != null);
        if (text.Trimmed() is { } t) accounts = accounts.Where(a => a.Industry!.StartsWith(t));
        return await accounts.Select(a => a.Industry!).Distinct().OrderBy(i => i).Take(Matches).ToListAsync(ct);
    }
}
