using System.Security.Cryptography;
using System.Text;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Evaluation;

/// <summary>
/// What publishing a run would change: the accounts whose current tier differs from the run's, counted by department, owner and
/// move (one grouped query), with a version that names exactly these changes so a leader confirms what they saw.
/// </summary>
public static class RunPublication
{
    /// <summary>Accounts of one department and owner moving from one tier to another.</summary>
    public sealed record Move(int? DepartmentId, string OwnerId, Tier From, Tier To, int Count)
    {
        public TierChange Change => TierScoring.Classify(From, To);
    }

    public sealed record Counts(int Entered, int Left, int Up, int Down)
    {
        public int Total => Entered + Left + Up + Down;

        public static Counts Of(IEnumerable<Move> moves)
        {
            int entered = 0, left = 0, up = 0, down = 0;
            foreach (var m in moves)
                switch (m.Change)
                {
                    case TierChange.Entered: entered += m.Count; break;
                    case TierChange.Left: left += m.Count; break;
                    case TierChange.Up: up += m.Count; break;
                    case TierChange.Down: down += m.Count; break;
                }
            return new Counts(entered, left, up, down);
        }
    }

    public sealed record TierFlow(Tier Tier, int Entering, int Leaving);

    public sealed record Group(string Id, string Name, Counts Changes);

    public sealed record Summary(
        long RunId, RunStatus Status, string Version, Counts Changes, IReadOnlyList<TierFlow> Tiers, IReadOnlyList<Group> Departments, Paged<Group> Owners);

    /// <summary>The moves publication would make, in a stable order.</summary>
    public static async Task<List<Move>> MovesAsync(AppDb db, long runId, CancellationToken ct)
    {
        var rows = await (from r in db.EvaluationResults.AsNoTracking()
                          join a in db.Accounts.AsNoTracking() on r.AccountId equals a.Id
                          where r.RunId == runId && r.Tier != a.Tier
                          group r by new { a.DepartmentId, a.OwnerId, From = a.Tier, To = r.Tier } into g
                          select new { g.Key.DepartmentId, g.Key.OwnerId, g.Key.From, g.Key.To, Count = g.Count() }).ToListAsync(ct);
        return [.. rows.Select(r => new Move(r.DepartmentId, r.OwnerId, r.From, r.To, r.Count))
            .OrderBy(m => m.DepartmentId ?? -1).ThenBy(m => m.OwnerId, StringComparer.Ordinal).ThenBy(m => m.From).ThenBy(m => m.To)];
    }

    /// <summary>Names these exact changes: any override or tier edit in between gives another version.</summary>
    public static string VersionOf(IEnumerable<Move> moves)
    {
        var text = new StringBuilder();
        foreach (var m in moves) text.Append($"{m.DepartmentId}|{m.OwnerId}|{m.From}|{m.To}|{m.Count};");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary><c>GET /api/v1/evaluation/runs/{id}/publication</c> (Leader or Admin): the summary a leader confirms.</summary>
    public static async Task<Results<Ok<Summary>, NotFound, ForbidHttpResult>> SummaryAsync(
        long id, int? page, int? pageSize, AppDb db, Infrastructure.Auth.CurrentUser user, CancellationToken ct)
    {
        if (!user.EditsEverything) return TypedResults.Forbid();
        var run = await db.EvaluationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null) return TypedResults.NotFound();
        var moves = await MovesAsync(db, id, ct);
        var tiers = Enum.GetValues<Tier>().Select(t => new TierFlow(t, moves.Where(m => m.To == t).Sum(m => m.Count), moves.Where(m => m.From == t).Sum(m => m.Count))).ToList();

        var departmentIds = moves.Where(m => m.DepartmentId is not null).Select(m => m.DepartmentId!.Value).Distinct().ToList();
        var departmentNames = await db.Departments.AsNoTracking().Where(d => departmentIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var departments = moves.GroupBy(m => m.DepartmentId)
            .Select(g => new Group(g.Key?.ToString() ?? "", g.Key is { } d ? departmentNames.GetValueOrDefault(d) ?? d.ToString() : "", Counts.Of(g)))
            .OrderByDescending(g => g.Changes.Total).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();

        var byOwner = moves.GroupBy(m => m.OwnerId).Select(g => (Id: g.Key, Changes: Counts.Of(g)))
            .OrderByDescending(o => o.Changes.Total).ThenBy(o => o.Id, StringComparer.Ordinal).ToList();
        var (p, size) = Paging.Normalize(page, pageSize);
        var pageOfOwners = byOwner.Skip((p - 1) * size).Take(size).ToList();
        var ownerIds = pageOfOwners.Select(o => o.Id).ToList();
        var ownerNames = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName != "" ? u.DisplayName : u.UserName ?? u.Id, ct);
        var owners = new Paged<Group>([.. pageOfOwners.Select(o => new Group(o.Id, ownerNames.GetValueOrDefault(o.Id) ?? o.Id, o.Changes))], byOwner.Count, p, size);
        return TypedResults.Ok(new Summary(id, run.Status, VersionOf(moves), Counts.Of(moves), tiers, departments, owners));
    }

    public sealed record AccountMove(
        long AccountId, string AccountCode, string AccountName, string OwnerId, string OwnerName, int? DepartmentId, string? DepartmentName, Tier From,
        Tier To, TierChange Change);

    public sealed record AccountsQuery(int? Page, int? PageSize, TierChange? Change, int? DepartmentId, string? OwnerId);

    /// <summary><c>GET /api/v1/evaluation/runs/{id}/publication/accounts</c> (Leader or Admin): the accounts that would move, paged.</summary>
    public static async Task<Results<Ok<Paged<AccountMove>>, NotFound, ForbidHttpResult>> AccountsAsync(
        long id, [AsParameters] AccountsQuery query, AppDb db, Infrastructure.Auth.CurrentUser user, CancellationToken ct)
    {
        if (!user.EditsEverything) return TypedResults.Forbid();
        if (!await db.EvaluationRuns.AnyAsync(r => r.Id == id, ct)) return TypedResults.NotFound();
        var rows = from r in db.EvaluationResults.AsNoTracking()
                   join a in db.Accounts.AsNoTracking() on r.AccountId equals a.Id
                   where r.RunId == id && r.Tier != a.Tier
                   select new { r.AccountId, a.Code, a.Name, a.OwnerId, a.DepartmentId, From = a.Tier, To = r.Tier, r.Rank };
        if (query.DepartmentId is { } department) rows = rows.Where(x => x.DepartmentId == department);
        if (query.OwnerId.Trimmed() is { } owner) rows = rows.Where(x => x.OwnerId == owner);
        // Tiers are stored by name, so "up" and "down" are the pairs of names rather than a comparison.
        rows = query.Change switch
        {
            TierChange.Entered => rows.Where(x => x.To == Tier.Key),
            TierChange.Left => rows.Where(x => x.From == Tier.Key),
            TierChange.Up => rows.Where(x => x.From != Tier.Key && x.To != Tier.Key
                && ((x.To == Tier.Major && (x.From == Tier.Ordinary || x.From == Tier.Small)) || (x.To == Tier.Ordinary && x.From == Tier.Small))),
            TierChange.Down => rows.Where(x => x.From != Tier.Key && x.To != Tier.Key
                && ((x.From == Tier.Major && (x.To == Tier.Ordinary || x.To == Tier.Small)) || (x.From == Tier.Ordinary && x.To == Tier.Small))),
            null => rows,
            _ => rows.Where(x => false),
        };
        var paged = await rows.OrderBy(x => x.Rank).ToPagedAsync(query.Page, query.PageSize, ct);
        var ownerIds = paged.Items.Select(x => x.OwnerId).Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName != "" ? u.DisplayName : u.UserName ?? u.Id, ct);
        var departmentIds = paged.Items.Where(x => x.DepartmentId != null).Select(x => x.DepartmentId!.Value).Distinct().ToList();
        var departments = await db.Departments.AsNoTracking().Where(d => departmentIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        return TypedResults.Ok(new Paged<AccountMove>([.. paged.Items.Select(x => new AccountMove(x.AccountId, x.Code, x.Name, x.OwnerId,
            owners.GetValueOrDefault(x.OwnerId) ?? x.OwnerId, x.DepartmentId, x.DepartmentId is { } d ? departments.GetValueOrDefault(d) : null, x.From, x.To,
            TierScoring.Classify(x.From, x.To)))], paged.Total, paged.Page, paged.PageSize));
    }
}
