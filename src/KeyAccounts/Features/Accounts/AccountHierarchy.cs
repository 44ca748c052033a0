using KeyAccounts.Data;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

public sealed record HierarchyNode(long Id, string Code, string Name, Tier Tier, long? ParentId, bool IsCurrent, IReadOnlyList<HierarchyNode> Children);

/// <summary>The group an account belongs to (集团 / 子公司), from its top parent down, as far as the user may see.</summary>
public static class AccountHierarchy
{
    private const int MaxDepth = 16;
    private const int MaxNodes = 500;

    public static async Task<Results<Ok<HierarchyNode>, NotFound>> HandleAsync(long id, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var visible = db.Accounts.VisibleTo(db, user);
        var current = await visible.Where(a => a.Id == id).Select(a => new { a.Id, a.ParentId }).FirstOrDefaultAsync(ct);
        if (current is null) return TypedResults.NotFound();

        var rootId = current.Id;
        var parentId = current.ParentId;
        for (var depth = 0; parentId is { } p && depth < MaxDepth; depth++)
        {
            var parent = await visible.Where(a => a.Id == p).Select(a => new { a.Id, a.ParentId }).FirstOrDefaultAsync(ct);
            if (parent is null) break;
            rootId = parent.Id;
            parentId = parent.ParentId;
        }

        // Breadth-first, one query per level: groups are a few levels deep.
        var rows = new List<(long Id, string Code, string Name, Tier Tier, long? ParentId)>();
        var root = await visible.Where(a => a.Id == rootId).Select(a => new { a.Id, a.Code, a.Name, a.Tier, a.ParentId }).FirstAsync(ct);
        rows.Add((root.Id, root.Code, root.Name, root.Tier, null));
        var level = new List<long> { root.Id };
        for (var depth = 0; level.Count > 0 && depth < MaxDepth && rows.Count < MaxNodes; depth++)
        {
            var children = await visible.Where(a => a.ParentId != null && level.Contains(a.ParentId.Value)).OrderBy(a => a.Name)
                .Take(MaxNodes - rows.Count).Select(a => new { a.Id, a.Code, a.Name, a.Tier, a.ParentId }).ToListAsync(ct);
            rows.AddRange(children.Select(c => (c.Id, c.Code, c.Name, c.Tier, c.ParentId)));
            level = children.Select(c => c.Id).ToList();
        }
        var byParent = rows.Where(r => r.ParentId is not null).ToLookup(r => r.ParentId!.Value);
        HierarchyNode Build((long Id, string Code, string Name, Tier Tier, long? ParentId) r) =>
            new(r.Id, r.Code, r.Name, r.Tier, r.ParentId, r.Id == id, byParent[r.Id].Select(Build).ToList());
        return TypedResults.Ok(Build(rows[0]));
    }
}
