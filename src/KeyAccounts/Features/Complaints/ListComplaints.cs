using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyAccounts.Features.Complaints;

public static class ListComplaints
{
    public sealed record Filter(long? AccountId = null, ComplaintStatus? Status = null, ComplaintCategory? Category = null,
        ComplaintSeverity? Severity = null, string? AssigneeId = null, bool? Open = null, bool? Overdue = null);

    public static async Task<Ok<Paged<ComplaintDto>>> HandleAsync(long? accountId, ComplaintStatus? status, ComplaintCategory? category,
        ComplaintSeverity? severity, string? assigneeId, bool? open, bool? overdue, int? page, int? pageSize,
        AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await QueryAsync(new Filter(accountId, status, category, severity, assigneeId, open, overdue), page, pageSize, db, user, clock, ct));

    public static Task<Paged<ComplaintDto>> QueryAsync(Filter f, int? page, int? pageSize, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var visible = db.VisibleAccountIds(user);
        var q = db.Complaints.Where(c => visible.Contains(c.AccountId));
        if (f.AccountId is { } a) q = q.Where(c => c.AccountId == a);
        if (f.Status is { } s) q = q.Where(c => c.Status == s);
        if (f.Category is { } cat) q = q.Where(c => c.Category == cat);
        if (f.Severity is { } sev) q = q.Where(c => c.Severity == sev);
        if (!string.IsNullOrEmpty(f.AssigneeId)) q = q.Where(c => c.AssigneeId == f.AssigneeId);
        var openStatuses = new[] { ComplaintStatus.New, ComplaintStatus.Acknowledged, ComplaintStatus.Investigating, ComplaintStatus.Reopened };
        if (f.Open == true || f.Overdue == true) q = q.Where(c => openStatuses.Contains(c.Status));
        if (f.Open == false) q = q.Where(c => !openStatuses.Contains(c.Status));
        if (f.Overdue == true) q = q.Where(c => c.DueAt < now);
        return q.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Select(ComplaintDto.Projection(db, now)).ToPagedAsync(page, pageSize, ct);
    }
}
