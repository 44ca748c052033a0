using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Approvals;

/// <summary>Who approves a step, found when the step starts (the organisation may have changed since the submission).</summary>
public static class Approvers
{
    /// <summary>The active users who approve <paramref name="step"/> of <paramref name="request"/>, in a stable order, without repeats.</summary>
    public static async Task<List<string>> ResolveAsync(AppDb db, ApprovalRequest request, ApprovalStep step, CancellationToken ct)
    {
        var found = step.Kind switch
        {
            ApproverKind.OwnerManager => await ManagersUpAsync(db, await BaseUserAsync(db, request, ct), 1, ct),
            ApproverKind.ManagerLevelsUp => await ManagersUpAsync(db, await BaseUserAsync(db, request, ct), Math.Max(1, step.Levels ?? 1), ct),
            ApproverKind.DepartmentHead => step.DepartmentId is { } d
                ? await db.Departments.Where(x => x.Id == d && x.HeadUserId != null).Select(x => x.HeadUserId!).ToListAsync(ct)
                : [],
            ApproverKind.Role => step.Role is { } role ? await InRoleAsync(db, role, ct) : [],
            _ => [.. step.UserIds ?? []],
        };
        var ids = found.Distinct().ToList();
        var active = await db.Users.Where(u => ids.Contains(u.Id) && u.IsActive).Select(u => u.Id).ToListAsync(ct);
        return [.. ids.Where(active.Contains)];
    }

    public static Task<List<string>> InRoleAsync(AppDb db, string role, CancellationToken ct) =>
        (from ur in db.UserRoles
         join r in db.Roles on ur.RoleId equals r.Id
         join u in db.Users on ur.UserId equals u.Id
         where r.Name == role && u.IsActive
         orderby u.UserName
         select u.Id).Distinct().ToListAsync(ct);

    /// <summary>Whose managers approve: the account's owner, else the submitter.</summary>
    private static async Task<string?> BaseUserAsync(AppDb db, ApprovalRequest request, CancellationToken ct) =>
        request.AccountId is { } accountId
            ? await db.Accounts.Where(a => a.Id == accountId).Select(a => a.OwnerId).FirstOrDefaultAsync(ct) ?? request.SubmitterId
            : request.SubmitterId;

    /// <summary>
    /// The manager <paramref name="levels"/> up the department tree from <paramref name="userId"/>: 1 is the line manager as
    /// <see cref="LineManager"/> says (the head of their department, or of the nearest one above with another head), 2 the next
    /// different head above that one, and so on. Past the top, the topmost head found.
    /// </summary>
    public static async Task<List<string>> ManagersUpAsync(AppDb db, string? userId, int levels, CancellationToken ct)
    {
        if (userId is null) return [];
        var path = await db.Users.Where(u => u.Id == userId).Select(u => u.Department!.Path).FirstOrDefaultAsync(ct);
        if (path is null) return [];
        var ids = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        var heads = await db.Departments.Where(d => ids.Contains(d.Id)).Select(d => new { d.Id, d.HeadUserId }).ToDictionaryAsync(d => d.Id, d => d.HeadUserId, ct);
        var chain = new List<string>();
        for (var i = ids.Count - 1; i >= 0; i--)
            if (heads.GetValueOrDefault(ids[i]) is { } head && head != userId && !chain.Contains(head))
                chain.Add(head);
        return chain.Count == 0 ? [] : [chain[Math.Min(levels, chain.Count) - 1]];
    }
}
