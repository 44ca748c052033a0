using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Audit;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Home;

/// <summary>
/// The home page: the user's book by tier, its key accounts with the thinnest archives, and the accounts changed last.
/// A rep's book is what they own; a manager's or leader's is everything in their scope. Every query is bounded.
/// </summary>
public static class GetHomeSummary
{
    public const int ListSize = 10;

    /// <summary>How far back the audit log is read for "recently changed" when the whole book is visible.</summary>
    private const int RecentWindow = 200;

    public sealed record TierCount(Tier Tier, int Count);

    public sealed record ThinArchive(long Id, string Code, string Name, int ArchiveScore, string? OwnerName);

    public sealed record RecentChange(long AccountId, string Code, string Name, DateTime At, string? UserName, string Entity, AuditAction Action);

    public sealed record Response(DataScope Scope, IReadOnlyList<TierCount> Tiers, IReadOnlyList<ThinArchive> ThinnestKeyArchives,
        IReadOnlyList<RecentChange> RecentlyChanged)
    {
        public int Total => Tiers.Sum(t => t.Count);
    }

    public static async Task<Ok<Response>> HandleAsync(AppDb db, CurrentUser user, CancellationToken ct)
    {
        var book = user.Scope == DataScope.Own ? db.Accounts.Where(a => a.OwnerId == user.Id) : db.Accounts.VisibleTo(db, user);

        var counts = await book.GroupBy(a => a.Tier).Select(g => new { Tier = g.Key, Count = g.Count() }).ToListAsync(ct);
        var tiers = Enum.GetValues<Tier>().Select(t => new TierCount(t, counts.FirstOrDefault(c => c.Tier == t)?.Count ?? 0)).ToList();

        var thinnest = await book.Where(a => a.Tier == Tier.Key)
            .OrderBy(a => a.ArchiveScore).ThenBy(a => a.Name).ThenBy(a => a.Id)
            .Take(ListSize)
            .Select(a => new ThinArchive(a.Id, a.Code, a.Name, a.ArchiveScore, a.Owner != null ? a.Owner.DisplayName : null))
            .ToListAsync(ct);

        return TypedResults.Ok(new Response(user.Scope, tiers, thinnest, await RecentlyChangedAsync(db, user, ct)));
    }

    private static async Task<List<RecentChange>> RecentlyChangedAsync(AppDb db, CurrentUser user, CancellationToken ct)
    {
        List<long> entryIds;
        if (user.Scope == DataScope.All)
        {
            // Everything is visible: the newest rows of the log, read backwards along its key, are the answer.
            var newest = await db.AuditEntries.Where(e => e.AccountId != null)
                .OrderByDescending(e => e.Id).Take(RecentWindow)
                .Select(e => new { e.Id, e.AccountId })
                .ToListAsync(ct);
            entryIds = newest.DistinctBy(e => e.AccountId).Take(ListSize).Select(e => e.Id).ToList();
        }
        else
        {
            // A bounded book: the last entry of each visible account, found through the (AccountId, Id) index.
            entryIds = await db.Accounts.VisibleTo(db, user)
                .Select(a => db.AuditEntries.Where(e => e.AccountId == a.Id).Max(e => (long?)e.Id))
                .Where(id => id != null)
                .OrderByDescending(id => id)
                .Take(ListSize)
                .Select(id => id!.Value)
                .ToListAsync(ct);
        }
        if (entryIds.Count == 0) return [];

        var entries = await db.AuditEntries.Where(e => entryIds.Contains(e.Id))
            .Join(db.Accounts, e => e.AccountId, a => (long?)a.Id,
                (e, a) => new RecentChange(a.Id, a.Code, a.Name, e.At, e.UserName, e.Entity, e.Action))
            .ToListAsync(ct);
        return entries.OrderByDescending(e => e.At).ThenByDescending(e => e.AccountId).ToList();
    }
}
