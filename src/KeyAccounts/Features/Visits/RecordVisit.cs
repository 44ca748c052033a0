using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.FollowUps;
using KeyAccounts.Features.Tasks;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Visits;

/// <summary>
/// Records what happened on a planned visit: the day, who took part on both sides, the findings, and the agreed actions,
/// each of which becomes a follow-up task. The visit also counts as a follow-up of the account.
/// </summary>
public static class RecordVisit
{
    public sealed record Action(string? Title, string? OwnerId, DateOnly? DueOn, string? Notes = null);

    public sealed record Request(
        DateOnly? VisitedOn, string? Findings, IReadOnlyList<Action>? Actions, string? Problems = null, string? UsageInformation = null,
        string? LatentNeeds = null, IReadOnlyList<long>? ContactIds = null, IReadOnlyList<string>? UserIds = null, DateOnly? NextContactOn = null);

    public sealed record Response(long VisitId, IReadOnlyList<long> TaskIds, long FollowUpId);

    public static async Task<Results<Ok<Response>, NotFound, ForbidHttpResult, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        long id, Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var visit = await db.VisitsVisibleTo(user).Include(x => x.Contacts).Include(x => x.Attendees).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (visit is null) return TypedResults.NotFound();
        if (!await VisitRules.MayRecordAsync(db, user, visit, ct)) return TypedResults.Forbid();
        if (visit.Status != VisitStatus.Planned)
            return Problems.Conflict("The visit is not open", $"Visit {id} is {visit.Status.ToString().ToLowerInvariant()}; only a planned visit can be recorded.");

        var today = VisitRules.Today(clock);
        var v = new Validation()
            .MaxLength("findings", request.Findings, 4000).MaxLength("problems", request.Problems, 2000)
            .MaxLength("usageInformation", request.UsageInformation, 2000).MaxLength("latentNeeds", request.LatentNeeds, 2000);
        if (request.VisitedOn is not { } visitedOn) v.Add("visitedOn", $"visitedOn is required.");
        else if (visitedOn > today) v.Add("visitedOn", $"A visit cannot be recorded before it happened: visitedOn is in the future.");
        if (request.NextContactOn is { } next && request.VisitedOn is { } on && next < on)
            v.Add("nextContactOn", $"The next contact cannot be before the visit.");
        await VisitRules.CheckContactsAsync(v, db, visit.AccountId, request.ContactIds, "contactIds", ct);
        if (request.UserIds is { Count: > 0 } userIds) await VisitRules.CheckUsersAsync(v, db, userIds, "userIds", ct);
        var actions = request.Actions ?? [];
        for (var i = 0; i < actions.Count; i++)
            TaskRules.Check(v, $"actions[{i}].", actions[i].Title, actions[i].DueOn, actions[i].Notes, today);
        await VisitRules.CheckUsersAsync(v, db, [.. actions.Select(a => a.OwnerId.Trimmed() ?? user.Id)], "actions", ct);
        if (!v.IsValid) return v.Problem();

        var now = clock.GetUtcNow().UtcDateTime;
        visit.Status = VisitStatus.Done;
        visit.VisitedOn = request.VisitedOn;
        visit.Findings = request.Findings.Trimmed();
        visit.Problems = request.Problems.Trimmed();
        visit.UsageInformation = request.UsageInformation.Trimmed();
        visit.LatentNeeds = request.LatentNeeds.Trimmed();
        visit.RecordedAt = now;
        if (request.ContactIds is not null)
        {
            visit.Contacts.RemoveAll(c => !request.ContactIds.Contains(c.ContactId));
            foreach (var contactId in request.ContactIds.Distinct().Where(c => visit.Contacts.All(x => x.ContactId != c)))
                visit.Contacts.Add(new VisitContact { ContactId = contactId });
        }
        var joined = new List<string>();
        if (request.UserIds is { Count: > 0 } people)
        {
            var keep = people.Append(visit.OwnerId).ToHashSet();
            visit.Attendees.RemoveAll(a => !keep.Contains(a.UserId));
            foreach (var userId in keep.Where(u => visit.Attendees.All(a => a.UserId != u)))
            {
                visit.Attendees.Add(new VisitAttendee { UserId = userId });
                joined.Add(userId);
            }
        }
        visit.PlaceAttendeesOnCalendar();
        var tasks = actions.Select(a => new FollowUpTask
        {
            AccountId = visit.AccountId,
            VisitId = visit.Id,
            Title = a.Title!.Trim(),
            Notes = a.Notes.Trimmed(),
            OwnerId = a.OwnerId.Trimmed() ?? user.Id,
            DueOn = a.DueOn!.Value,
            CreatedAt = now,
            CreatedById = user.Id,
            Version = 1,
        }).ToList();
        db.FollowUpTasks.AddRange(tasks);
        var followUp = new FollowUp
        {
            AccountId = visit.AccountId,
            VisitId = visit.Id,
            Method = FollowUpMethod.Visit,
            OccurredOn = visit.VisitedOn!.Value,
            Summary = visit.Findings ?? visit.Purpose,
            NextContactOn = request.NextContactOn,
            UserId = user.Id,
            CreatedAt = now,
            Contacts = [.. visit.Contacts.Select(c => new FollowUpContact { ContactId = c.ContactId })],
        };
        db.FollowUps.Add(followUp);
        await db.SaveChangesAsync(ct);
        await AssignmentNotices.VisitAsync(db, visit.Id, joined, user.Id, ct);
        await AssignmentNotices.TasksAsync(db, tasks, user.Id, ct);
        return TypedResults.Ok(new Response(visit.Id, [.. tasks.Select(t => t.Id)], followUp.Id));
    }
}
