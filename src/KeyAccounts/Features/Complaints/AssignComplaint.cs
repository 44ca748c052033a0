using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Complaints;

public static class AssignComplaint
{
    public sealed record Request(string? AssigneeId);

    public static async Task<Results<Ok<ComplaintDto>, NotFound, ForbidHttpResult, ValidationProblem>> HandleAsync(
        long id, Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var visible = db.VisibleAccountIds(user);
        var complaint = await db.Complaints.FirstOrDefaultAsync(c => c.Id == id && visible.Contains(c.AccountId), ct);
        if (complaint is null) return TypedResults.NotFound();
        if (!await GetComplaint.CanEditAsync(db, user, complaint.AccountId, complaint.AssigneeId, ct)) return TypedResults.Forbid();
        var assignee = request.AssigneeId.Trimmed();
        if (assignee is null || !await db.Users.AnyAsync(u => u.Id == assignee, ct)) return Validation.Single("assigneeId", $"Name an existing user.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (assignee != complaint.AssigneeId)
        {
            complaint.AssigneeId = assignee;
            complaint.UpdatedAt = now;
            var name = await db.Users.Where(u => u.Id == assignee).Select(u => u.DisplayName).FirstAsync(ct);
            db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = id, At = now, Kind = ComplaintEventKind.Assigned, UserId = user.Id, Note = name });
            await db.SaveChangesAsync(ct);
            await Notify.SendAsync(db, [new Notify.Message(assignee, NotificationEvent.ComplaintAssigned, $"complaint:{id}:assigned:{assignee}",
                "Complaint #{0} assigned to you ({1}, due {2})", complaint.Description, $"/complaints/{id}", complaint.AccountId,
                [id, Texts.Of<ComplaintsText>($"Severity.{complaint.Severity}"), new Notify.Moment(complaint.DueAt)])], ct);
        }
        return TypedResults.Ok(await db.Complaints.Where(c => c.Id == id).Select(ComplaintDto.Projection(db, now)).FirstAsync(ct));
    }
}
