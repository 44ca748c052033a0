using KeyAccounts.Data;
using KeyAccounts.Features.Visits;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Tasks;

/// <summary>A follow-up task by hand, for an account and optionally one of its visits.</summary>
public static class CreateTask
{
    public sealed record Request(long? AccountId, string? Title, DateOnly? DueOn, string? OwnerId = null, long? VisitId = null, string? Notes = null);

    public static async Task<Results<Created<TaskDto>, NotFound, ForbidHttpResult, ValidationProblem>> HandleAsync(
        Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (request.AccountId is not { } accountId) return Validation.Single("accountId", $"accountId is required.");
        switch (await VisitRules.RightOnAsync(db, user, accountId, ct))
        {
            case AccountRight.None: return TypedResults.NotFound();
            case AccountRight.Read: return TypedResults.Forbid();
        }
        var today = VisitRules.Today(clock);
        var v = new Validation();
        TaskRules.Check(v, "", request.Title, request.DueOn, request.Notes, today);
        var ownerId = request.OwnerId.Trimmed() ?? user.Id;
        await VisitRules.CheckUsersAsync(v, db, [ownerId], "ownerId", ct);
        if (request.VisitId is { } visitId && !await db.Visits.AnyAsync(x => x.Id == visitId && x.AccountId == accountId, ct))
            v.Add("visitId", $"Visit {visitId} is not a visit of account {accountId}.");
        if (!v.IsValid) return v.Problem();

        var task = new FollowUpTask
        {
            AccountId = accountId,
            VisitId = request.VisitId,
            Title = request.Title!.Trim(),
            Notes = request.Notes.Trimmed(),
            OwnerId = ownerId,
            DueOn = request.DueOn!.Value,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            CreatedById = user.Id,
            Version = 1,
        };
        db.FollowUpTasks.Add(task);
        await db.SaveChangesAsync(ct);
        await AssignmentNotices.TasksAsync(db, [task], user.Id, ct);
        var dto = await TaskRules.Project(db, db.FollowUpTasks.Where(t => t.Id == task.Id), today).FirstAsync(ct);
        return TypedResults.Created($"/api/v1/tasks/{task.Id}", dto);
    }
}
