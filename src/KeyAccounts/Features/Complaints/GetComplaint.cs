using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Complaints;

public static class GetComplaint
{
    public sealed record Response(ComplaintDto Complaint, IReadOnlyList<ComplaintEventDto> Timeline, IReadOnlyList<ComplaintStatus> NextStatuses, bool CanEdit);

    public static async Task<Results<Ok<Response>, NotFound>> HandleAsync(long id, AppDb db, CurrentUser user, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        var response = await FindAsync(id, db, user, clock, ct);
        if (response is null) return TypedResults.NotFound();
        if (http is not null) http.Response.Headers.ETag = ETags.For(response.Complaint.Version);
        return TypedResults.Ok(response);
    }

    public static async Task<Response?> FindAsync(long id, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var visible = db.VisibleAccountIds(user);
        var complaint = await db.Complaints.Where(c => c.Id == id && visible.Contains(c.AccountId)).Select(ComplaintDto.Projection(db, now)).FirstOrDefaultAsync(ct);
        if (complaint is null) return null;
        var timeline = await db.ComplaintEvents.Where(e => e.ComplaintId == id).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new ComplaintEventDto(e.At, e.Kind, e.Status, db.Users.Where(u => u.Id == e.UserId).Select(u => u.DisplayName).FirstOrDefault(), e.Note))
            .ToListAsync(ct);
        var canEdit = await CanEditAsync(db, user, complaint.AccountId, complaint.AssigneeId, ct);
        return new Response(complaint, timeline, ComplaintRules.AllowedAfter(complaint.Status), canEdit);
    }

    /// <summary>Those who may edit the account, and whoever the complaint is assigned to.</summary>
    public static async Task<bool> CanEditAsync(AppDb db, CurrentUser user, long accountId, string assigneeId, CancellationToken ct) =>
        assigneeId == user.Id || await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == accountId, ct);
}
