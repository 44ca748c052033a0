using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Archives;

public sealed record SectionCompleteness(string Section, int Weight, double Filled, bool IsComplete);

public sealed record ArchiveCompletenessDto(long AccountId, int Score, IReadOnlyList<SectionCompleteness> Sections, IReadOnlyList<string> Missing)
{
    public static ArchiveCompletenessDto From(long accountId, ArchiveCompletenessResult r) => new(accountId, r.Score,
        r.Sections.Select(s => new SectionCompleteness(s.Section, s.Weight, Math.Round(s.Filled, 3), s.IsComplete)).ToList(), r.Missing.ToList());
}

/// <summary>How complete one account's archive is, section by section, computed now.</summary>
public static class GetArchiveCompleteness
{
    public static async Task<Results<Ok<ArchiveCompletenessDto>, NotFound>> HandleAsync(long id, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        var facts = await RefreshArchiveScore.FactsAsync(db, id, ct);
        return TypedResults.Ok(ArchiveCompletenessDto.From(id, ArchiveCompleteness.Score(facts)));
    }
}

public sealed record ThinArchiveDto(long AccountId, string Code, string Name, Tier Tier, string OwnerId, string? OwnerName, int ArchiveScore,
    IReadOnlyList<string> Missing);

/// <summary>The visible accounts with the thinnest archives first, so managers see which key accounts need documenting.</summary>
public static class ListArchiveCompleteness
{
    public sealed record Query(Tier? Tier = null, string? OwnerId = null, int? Page = null, int? PageSize = null);

    public static async Task<Ok<Paged<ThinArchiveDto>>> HandleAsync([AsParameters] Query q, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var accounts = db.Accounts.VisibleTo(db, user);
        if (q.Tier is { } tier) accounts = accounts.Where(a => a.Tier == tier);
        if (q.OwnerId.Trimmed() is { } owner) accounts = accounts.Where(a => a.OwnerId == owner);
        var page = await accounts.OrderBy(a => a.ArchiveScore).ThenBy(a => a.Name).ThenBy(a => a.Id)
            .Select(a => new { a.Id, a.Code, a.Name, a.Tier, a.OwnerId, OwnerName = a.Owner != null ? a.Owner.DisplayName : null, a.ArchiveScore })
            .ToPagedAsync(q.Page, q.PageSize, ct);
        // Missing sections are worked out for this page only, never for the whole book.
        var facts = await RefreshArchiveScore.FactsAsync(db, page.Items.Select(a => a.Id).ToList(), ct);
        var items = page.Items.Select(a => new ThinArchiveDto(a.Id, a.Code, a.Name, a.Tier, a.OwnerId, a.OwnerName, a.ArchiveScore,
            facts.TryGetValue(a.Id, out var f) ? ArchiveCompleteness.Score(f).Missing.ToList() : [])).ToList();
        return TypedResults.Ok(new Paged<ThinArchiveDto>(items, page.Total, page.Page, page.PageSize));
    }
}
