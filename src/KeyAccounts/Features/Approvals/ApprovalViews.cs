using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Approvals;

/// <summary>A request in a list: what it is about, where it stands, who asked and since when it waits.</summary>
public sealed record ApprovalListItem(long Id, string DocumentType, long DocumentId, long? AccountId, string Title, string Link, ApprovalState State,
    string? SubmitterId, string SubmitterName, DateTime SubmittedAt, DateTime UpdatedAt, string? FlowName, int CurrentStep, string? StepName,
    DateTime? Since);

public sealed record ApprovalTaskDto(long Id, string ApproverId, string ApproverName, ApprovalTaskState State, DateTime? ActivatedAt, DateTime? DecidedAt,
    string? Comment, string? AddedById, string? AddedByName);

public sealed record ApprovalStepDto(int Index, string Name, ApproverKind Kind, ApprovalMode Mode, int? Levels, int? DepartmentId, string? Role,
    bool IsCurrent, IReadOnlyList<ApprovalTaskDto> Tasks);

public sealed record ApprovalActionDto(long Id, DateTime At, int Round, ApprovalActionKind Kind, int? Step, string? ActorId, string? ActorName,
    string? Comment, IReadOnlyList<string> Users);

public sealed record ApprovalCopyDto(string UserId, string UserName, string? CopiedById, string? CopiedByName, DateTime At);

/// <summary>A request with its steps (the current round's approvers and what each did), the people copied, its history, and what the caller may do.</summary>
public sealed record ApprovalRequestDto(long Id, string DocumentType, long DocumentId, long? AccountId, string? AccountName, string Title, string Link,
    ApprovalState State, string? SubmitterId, string SubmitterName, DateTime SubmittedAt, DateTime? DecidedAt, string? DecidedById, string? DecidedByName,
    string? Reason, int Round, int? FlowId, string? FlowName, int CurrentStep, IReadOnlyDictionary<string, decimal> Facts,
    IReadOnlyList<ApprovalStepDto> Steps, IReadOnlyList<ApprovalCopyDto> Copies, IReadOnlyList<ApprovalActionDto> History,
    bool CanDecide, bool CanWithdraw, bool CanResubmit, bool CanCopy, int Version);

/// <summary>The engine's lists and the request page, within what the caller may see.</summary>
public static class ApprovalViews
{
    /// <summary>
    /// The requests a user may see: leaders, administrators and finance see all; anyone else those they submitted, decide or were
    /// copied on, and those about an account they may see.
    /// </summary>
    public static IQueryable<ApprovalRequest> VisibleTo(this AppDb db, CurrentUser user)
    {
        if (user.Scope == DataScope.All) return db.ApprovalRequests;
        var me = user.Id;
        var accounts = db.VisibleAccountIds(user);
        return db.ApprovalRequests.Where(r => r.SubmitterId == me
                                              || db.ApprovalTasks.Any(t => t.RequestId == r.Id && t.ApproverId == me)
                                              || db.ApprovalCopies.Any(c => c.RequestId == r.Id && c.UserId == me)
                                              || (r.AccountId != null && accounts.Contains(r.AccountId.Value)));
    }

    /// <summary>What waits for the user's decision (待我审批): their pending tasks on pending requests, oldest first.</summary>
    private static IQueryable<ApprovalTask> Inbox(AppDb db, string userId) =>
        db.ApprovalTasks.Where(t => t.ApproverId == userId && t.State == ApprovalTaskState.Pending
                                    && db.ApprovalRequests.Any(r => r.Id == t.RequestId && r.State == ApprovalState.Pending));

    public static Task<int> CountInboxAsync(AppDb db, string userId, CancellationToken ct) => Inbox(db, userId).CountAsync(ct);

    public sealed record Count(int Total);

    /// <summary><c>GET /api/v1/approvals/inbox/count</c>: the badge in the app bar.</summary>
    public static async Task<Ok<Count>> InboxCountAsync(AppDb db, CurrentUser user, CancellationToken ct) =>
        TypedResults.Ok(new Count(await CountInboxAsync(db, user.Id, ct)));

    /// <summary><c>GET /api/v1/approvals/inbox?page=&amp;pageSize=</c>: what waits for the caller, oldest first.</summary>
    public static async Task<Ok<Paged<ApprovalListItem>>> InboxAsync(int? page, int? pageSize, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var rows = from t in Inbox(db, user.Id)
                   join r in db.ApprovalRequests on t.RequestId equals r.Id
                   orderby t.ActivatedAt, t.Id
                   select new { r, Since = t.ActivatedAt };
        var paged = await rows.ToPagedAsync(page, pageSize, ct);
        return TypedResults.Ok(await ItemsAsync(db, paged, x => x.r, x => x.Since, ct));
    }

    /// <summary><c>GET /api/v1/approvals/submitted?state=</c>: what the caller submitted, newest first.</summary>
    public static async Task<Ok<Paged<ApprovalListItem>>> SubmittedAsync(ApprovalState? state, int? page, int? pageSize, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var rows = db.ApprovalRequests.Where(r => r.SubmitterId == user.Id);
        if (state is { } s) rows = rows.Where(r => r.State == s);
        var paged = await rows.OrderByDescending(r => r.SubmittedAt).ThenByDescending(r => r.Id).ToPagedAsync(page, pageSize, ct);
        return TypedResults.Ok(await ItemsAsync(db, paged, r => r, r => r.State == ApprovalState.Pending ? r.UpdatedAt : null, ct));
    }

    /// <summary><c>GET /api/v1/approvals/copied</c>: what the caller was copied on (抄送我的), newest first.</summary>
    public static async Task<Ok<Paged<ApprovalListItem>>> CopiedAsync(int? page, int? pageSize, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var rows = from c in db.ApprovalCopies
                   where c.UserId == user.Id
                   join r in db.ApprovalRequests on c.RequestId equals r.Id
                   orderby c.At descending, c.Id descending
                   select new { r, c.At };
        var paged = await rows.ToPagedAsync(page, pageSize, ct);
        return TypedResults.Ok(await ItemsAsync(db, paged, x => x.r, x => x.At, ct));
    }

    public sealed record DocumentQuery(string? DocumentType, long? DocumentId, ApprovalState? State, int? Page, int? PageSize);

    /// <summary><c>GET /api/v1/approvals?documentType=&amp;documentId=&amp;state=</c>: a document's requests (its approval history), newest first.</summary>
    public static async Task<Ok<Paged<ApprovalListItem>>> ListAsync([AsParameters] DocumentQuery query, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var rows = db.VisibleTo(user);
        if (query.DocumentType.Trimmed() is { } type) rows = rows.Where(r => r.DocumentType == type);
        if (query.DocumentId is { } id) rows = rows.Where(r => r.DocumentId == id);
        if (query.State is { } s) rows = rows.Where(r => r.State == s);
        var paged = await rows.OrderByDescending(r => r.SubmittedAt).ThenByDescending(r => r.Id).ToPagedAsync(query.Page, query.PageSize, ct);
        return TypedResults.Ok(await ItemsAsync(db, paged, r => r, r => r.State == ApprovalState.Pending ? r.UpdatedAt : null, ct));
    }

    private static async Task<Paged<ApprovalListItem>> ItemsAsync<T>(AppDb db, Paged<T> paged, Func<T, ApprovalRequest> request, Func<T, DateTime?> since, CancellationToken ct)
    {
        var names = await NamesAsync(db, paged.Items.Select(x => request(x).SubmitterId), ct);
        return new Paged<ApprovalListItem>([.. paged.Items.Select(x =>
        {
            var r = request(x);
            return new ApprovalListItem(r.Id, r.DocumentType, r.DocumentId, r.AccountId, r.Title, r.Link, r.State, r.SubmitterId, Name(names, r.SubmitterId),
                r.SubmittedAt, r.UpdatedAt, r.FlowName, r.CurrentStep, r.CurrentStep >= 0 && r.CurrentStep < r.Steps.Count ? r.Steps[r.CurrentStep].Name : null,
                since(x));
        })], paged.Total, paged.Page, paged.PageSize);
    }

    public static async Task<Dictionary<string, string>> NamesAsync(AppDb db, IEnumerable<string?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<string>().Distinct().ToList();
        if (wanted.Count == 0) return [];
        return await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName != "" ? u.DisplayName : u.UserName ?? u.Id, ct);
    }

    private static string Name(Dictionary<string, string> names, string? id) => id is null ? "" : names.GetValueOrDefault(id) ?? id;

    /// <summary><c>GET /api/v1/approvals/{id}</c>: the request with its steps, copies and history; 404 when the caller may not see it.</summary>
    public static async Task<Results<Ok<ApprovalRequestDto>, NotFound>> GetAsync(long id, AppDb db, CurrentUser user, CancellationToken ct) =>
        await DetailAsync(db, id, user, ct) is { } dto ? TypedResults.Ok(dto) : TypedResults.NotFound();

    public static async Task<ApprovalRequestDto?> DetailAsync(AppDb db, long id, CurrentUser user, CancellationToken ct)
    {
        var r = await db.VisibleTo(user).AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return null;
        var tasks = await db.ApprovalTasks.AsNoTracking().Where(t => t.RequestId == id).OrderBy(t => t.Round).ThenBy(t => t.Step).ThenBy(t => t.Position).ThenBy(t => t.Id)
            .ToListAsync(ct);
        var actions = await db.ApprovalActions.AsNoTracking().Where(a => a.RequestId == id).OrderBy(a => a.Id).ToListAsync(ct);
        var copies = await db.ApprovalCopies.AsNoTracking().Where(c => c.RequestId == id).OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync(ct);
        var names = await NamesAsync(db, [r.SubmitterId, r.DecidedById, .. tasks.SelectMany(t => new[] { t.ApproverId, t.AddedById }),
            .. actions.SelectMany(a => (a.UserIds ?? []).Append(a.ActorId)), .. copies.SelectMany(c => new[] { c.UserId, c.CopiedById })], ct);
        var account = r.AccountId is { } accountId ? await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.Name).FirstOrDefaultAsync(ct) : null;
        var current = tasks.Where(t => t.Round == r.Round).ToList();
        var steps = r.Steps.Select((s, i) => new ApprovalStepDto(i, s.Name, s.Kind, s.Mode, s.Levels, s.DepartmentId, s.Role,
            r.State == ApprovalState.Pending && i == r.CurrentStep,
            [.. current.Where(t => t.Step == i).Select(t => new ApprovalTaskDto(t.Id, t.ApproverId, Name(names, t.ApproverId), t.State, t.ActivatedAt, t.DecidedAt, t.Comment,
                t.AddedById, t.AddedById is null ? null : Name(names, t.AddedById)))])).ToList();
        var isSubmitter = r.SubmitterId == user.Id;
        var canDecide = r.State == ApprovalState.Pending && current.Any(t => t.Step == r.CurrentStep && t.ApproverId == user.Id && t.State == ApprovalTaskState.Pending);
        var involved = isSubmitter || tasks.Any(t => t.ApproverId == user.Id) || user.EditsEverything;
        return new ApprovalRequestDto(r.Id, r.DocumentType, r.DocumentId, r.AccountId, account, r.Title, r.Link, r.State, r.SubmitterId, Name(names, r.SubmitterId),
            r.SubmittedAt, r.DecidedAt, r.DecidedById, r.DecidedById is null or "" ? null : Name(names, r.DecidedById), r.Reason, r.Round, r.FlowId, r.FlowName,
            r.CurrentStep, r.Facts, steps,
            [.. copies.Select(c => new ApprovalCopyDto(c.UserId, Name(names, c.UserId), c.CopiedById, c.CopiedById is null ? null : Name(names, c.CopiedById), c.At))],
            [.. actions.Select(a => new ApprovalActionDto(a.Id, a.At, a.Round, a.Kind, a.Step, a.ActorId, a.ActorId is null ? null : Name(names, a.ActorId), a.Comment,
                [.. (a.UserIds ?? []).Select(u => a.Kind == ApprovalActionKind.DecidedForAll ? u : Name(names, u))]))],
            canDecide, isSubmitter && r.State is ApprovalState.Pending or ApprovalState.Returned, isSubmitter && r.State == ApprovalState.Returned,
            involved && r.State != ApprovalState.Withdrawn, r.Version);
    }
}
