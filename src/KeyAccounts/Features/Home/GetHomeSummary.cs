using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Home;

/// <summary>
/// The user's book by tier and its key accounts with thin archives. A rep's book is what they own; a manager's or leader's is
/// everything in their scope. Every query is bounded.
/// </summary>
public static class GetHomeSummary
{
    public const int ListSize = 10;

    /// <summary>
    /// From this completeness on an archive is sound (the score bars show it green), so it is never listed as thin: a book whose
    /// key accounts are all documented shows an empty list rather than its best archives as its weakest.
    /// </summary>
    public const int ThinBelow = 70;

    public sealed record TierCount(Tier Tier, int Count);

    public sealed record ThinArchive(long Id, string Code, string Name, int ArchiveScore, string? OwnerName);

    public sealed record Response(DataScope Scope, IReadOnlyList<TierCount> Tiers, IReadOnlyList<ThinArchive> ThinnestKeyArchives)
    {
        public int Total => Tiers.Sum(t => t.Count);
    }

    public static async Task<Ok<Response>> HandleAsync(AppDb db, CurrentUser user, CancellationToken ct)
    {
        var book = user.Scope == DataScope.Own ? db.Accounts.Where(a => a.OwnerId == user.Id) : db.Accounts.VisibleTo(db, user);

        var counts = await book.GroupBy(a => a.Tier).Select(g => new { Tier = g.Key, Count = g.Count() }).ToListAsync(ct);
        var tiers = Enum.GetValues<Tier>().Select(t => new TierCount(t, counts.FirstOrDefault(c => c.Tier == t)?.Count ?? 0)).ToList();

        var thinnest = await book.Where(a => a.Tier == Tier.Key && a.ArchiveScore < ThinBelow)
            .OrderBy(a => a.ArchiveScore).ThenBy(a => a.Name).ThenBy(a => a.Id)
            .Take(ListSize)
            .Select(a => new ThinArchive(a.Id, a.Code, a.Name, a.ArchiveScore, a.Owner != null ? a.Owner.DisplayName : null))
            .ToListAsync(ct);

        return TypedResults.Ok(new Response(user.Scope, tiers, thinnest));
    }
}
