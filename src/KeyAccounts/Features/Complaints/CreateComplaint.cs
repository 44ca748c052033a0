using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Complaints;

public static class CreateComplaint
{
    public sealed record Request(long AccountId, long? ContactId, ComplaintCategory? Category, ComplaintSeverity? Severity, string? Description, string? AssigneeId);

    public static async Task<Results<Created<ComplaintDto>, NotFound, ForbidHttpResult, ValidationProblem>> HandleAsync(
        Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var account = await db.Accounts.VisibleTo(db, user).Where(a => a.Id == request.AccountId).Select(a => new { a.Id, a.Tier, a.OwnerId }).FirstOrDefaultAsync(ct);
        if (account is null) return TypedResults.NotFound();
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == request.AccountId, ct)) return TypedResults.Forbid();
        var v = new Validation().Require("description", request.Description, 4000);
        if (request.Category is null) v.Add("category", $"category is required: Quality, Delivery, Service, Price or Other.");
        if (request.Severity is null) v.Add("severity", $"severity is required: Low, Medium, High or Critical.");
        if (request.ContactId is null) v.Add("contactId", $"contactId is required.");
        else if (!await db.Contacts.AnyAsync(c => c.Id == request.ContactId && c.AccountId == request.AccountId, ct))
            v.Add("contactId", $"The person is not one of this account's contacts.");
        var assignee = request.AssigneeId.Trimmed() ?? account.OwnerId;
        if (!await db.Users.AnyAsync(u => u.Id == assignee, ct)) v.Add("assigneeId", $"There is no such user.");
        if (!v.IsValid) return v.Problem();

        var now = clock.GetUtcNow().UtcDateTime;
        var hours = await ComplaintDeadlines.HoursAsync(db, request.Severity!.Value, account.Tier, ct);
        var complaint = new Complaint
        {
            AccountId = account.Id,
            ContactId = request.ContactId!.Value,
            Category = request.Category!.Value,
            Severity = request.Severity.Value,
            Description = request.Description!.Trim(),
            Status = ComplaintStatus.New,
            AssigneeId = assignee,
            DueAt = ComplaintRules.DueAt(now, hours),
            CreatedAt = now,
            CreatedById = user.Id,
            UpdatedAt = now,
            Version = 1,
        };
        complaint.Events.Add(new ComplaintEvent { At = now, Kind = ComplaintEventKind.Received, Status = ComplaintStatus.New, UserId = user.Id });
        db.Complaints.Add(complaint);
        await db.SaveChangesAsync(ct);
        if (assignee != user.Id)
            await Notify.SendAsync(db, [new Notify.Message(assignee, NotificationEvent.ComplaintAssigned, $"complaint:{complaint.Id}:assigned:{assignee}",
                "Complaint #{0} assigned to you ({1}, due {2})", complaint.Description, $"/complaints/{complaint.Id}", account.Id,
                [complaint.Id, Texts.Of<ComplaintsText>($"Severity.{complaint.Severity}"), new Notify.Moment(complaint.DueAt)])], ct);
        var dto = await db.Complaints.Where(c => c.Id == complaint.Id).Select(ComplaintDto.Projection(db, now)).FirstAsync(ct);
        return TypedResults.Created($"/api/v1/complaints/{complaint.Id}", dto);
    }
}
