using KeyAccounts.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Organisation;

/// <summary>Who escalations go to: the head of the user's department, or of the nearest department above that has another head.</summary>
public static class LineManager
{
    public static async Task<string?> OfAsync(AppDb db, string userId, CancellationToken ct)
    {
        var path = await db.Users.Where(u => u.Id == userId).Select(u => u.Department!.Path).FirstOrDefaultAsync(ct);
        if (path is null) return null;
        var ids = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        var heads = await db.Departments.Where(d => ids.Contains(d.Id)).Select(d => new { d.Id, d.HeadUserId }).ToDictionaryAsync(d => d.Id, d => d.HeadUserId, ct);
        for (var i = ids.Count - 1; i >= 0; i--)
            if (heads.GetValueOrDefault(ids[i]) is { } head && head != userId)
                return head;
        return null;
    }
}
