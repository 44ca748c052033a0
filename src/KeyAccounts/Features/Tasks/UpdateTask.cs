using KeyAccounts.Data;
using KeyAccounts.Features.Visits;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Tasks;

/// <summary>Changes a task (title, owner, due day, status); the version edited guards a colleague's change.</summary>
public static class UpdateTask
{
    public sealed record Request(string? Title, DateOnly? DueOn, string? OwnerId, TaskState? Status = null, string? Notes = null, int? Version = null);

    public static async Task<Results<Ok<TaskDto>, NotFound, ForbidHttpResult, ValidationProblem, ProblemHttpResult>> HandleAsync(
        long id, Request request, AppDb db, CurrentUser user, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        var task = await TaskRules.Visible(db, user).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return TypedResults.NotFound();
        if (!await TaskRules.MayChangeAsync(db, user, task, ct)) return TypedResults.Forbid();
        var expected = ETags.IfMatch(http) ?? request.Version;
        if (expected is { } version && version != task.Version)
            return Problems.PreconditionFailed($"Task {id} was changed by someone else (now version {task.Version}, you edited {version}). Reload and apply your change again.");

        var v = new Validation();
        TaskRules.Check(v, "", request.Title, request.DueOn, request.Notes, DateOnly.FromDateTime(task.CreatedAt));
        var ownerId = request.OwnerId.Trimmed() ?? task.OwnerId;
        if (ownerId != task.OwnerId) await VisitRules.CheckUsersAsync(v, db, [ownerId], "ownerId", ct);
        if (!v.IsValid) return v.Problem();

        task.Title = request.Title!.Trim();
        task.Notes = request.Notes.Trimmed();
        task.DueOn = request.DueOn!.Value;
        var reassigned = ownerId != task.OwnerId;
        task.OwnerId = ownerId;
        if (request.Status is { } status && status != task.Status)
        {
            task.Status = status;
            task.CompletedAt = status == TaskState.Done ? clock.GetUtcNow().UtcDateTime : null;
        }
        if (expected is { } v2) db.Entry(task).Property(t => t.Version).OriginalValue = v2;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.PreconditionFailed($"Task {id} was changed by someone else while you edited. Reload and apply your change again.");
        }
        if (reassigned) await AssignmentNotices.TasksAsync(db, [task], user.Id, ct);
        var dto = await TaskRules.Project(db, db.FollowUpTasks.Where(t => t.Id == id), VisitRules.Today(clock)).FirstAsync(ct);
        http?.Response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }
}

/// <summary>Marks a task done.</summary>
public static class CompleteTask
{
    public static async Task<Results<Ok<TaskDto>, NotFound, ForbidHttpResult>> HandleAsync(
        long id, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var task = await TaskRules.Visible(db, user).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return TypedResults.NotFound();
        if (!await TaskRules.MayChangeAsync(db, user, task, ct)) return TypedResults.Forbid();
        if (task.Status != TaskState.Done)
        {
            task.Status = TaskState.Done;
            task.CompletedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(await TaskRules.Project(db, db.FollowUpTasks.Where(t => t.Id == id), VisitRules.Today(clock)).FirstAsync(ct));
    }
}
