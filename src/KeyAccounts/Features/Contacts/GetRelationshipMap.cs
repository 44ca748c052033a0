using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Contacts;

public sealed record RelationshipNode(long Id, string Name, string? Title, BuyingRole Role, Attitude Attitude, int Influence, long? ReportsToId, bool IsActive);

/// <summary>A reports-to line: <c>contactId</c> reports to <c>reportsToId</c>.</summary>
public sealed record RelationshipEdge(long ContactId, long ReportsToId);

public sealed record RelationshipMapDto(long AccountId, IReadOnlyList<RelationshipNode> Nodes, IReadOnlyList<RelationshipEdge> Edges, bool Truncated);

/// <summary>The account's people and their reports-to lines, for the org-chart style relationship map.</summary>
public static class GetRelationshipMap
{
    public const int MaxNodes = 500;

    public sealed record Query(bool? IncludeLeft = null);

    public static async Task<Results<Ok<RelationshipMapDto>, NotFound>> HandleAsync(long id, [AsParameters] Query q, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var map = await FindAsync(id, q.IncludeLeft == true, db, user, ct);
        return map is null ? TypedResults.NotFound() : TypedResults.Ok(map);
    }

    public static async Task<RelationshipMapDto?> FindAsync(long id, bool includeLeft, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return null;
        var people = db.Contacts.Where(c => c.AccountId == id);
        if (!includeLeft) people = people.Where(c => c.IsActive);
        var nodes = await people.OrderByDescending(c => c.Influence).ThenBy(c => c.Name).ThenBy(c => c.Id).Take(MaxNodes + 1)
            .Select(c => new RelationshipNode(c.Id, c.Name, c.Title, c.Role, c.Attitude, c.Influence, c.ReportsToId, c.IsActive))
            .ToListAsync(ct);
        var truncated = nodes.Count > MaxNodes;
        if (truncated) nodes.RemoveAt(nodes.Count - 1);
        var shown = nodes.Select(n => n.Id).ToHashSet();
        var edges = nodes.Where(n => n.ReportsToId is { } boss && shown.Contains(boss)).Select(n => new RelationshipEdge(n.Id, n.ReportsToId!.Value)).ToList();
        return new RelationshipMapDto(id, nodes, edges, truncated);
    }
}
