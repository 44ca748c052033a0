using KeyAccounts.Data;
using KeyAccounts.Features.Visits;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Tasks;

/// <summary>Tasks of the visible accounts, by due day; "mine" for the caller's own, "overdue" for open ones past their day.</summary>
public static class ListTasks
{
    public sealed record Query(
        long? AccountId = null, long? VisitId = null, string? OwnerId = null, bool? Mine = null, TaskState? Status = null, bool? Overdue = null,
        DateOnly? DueFrom = null, DateOnly? DueTo = null, int? Page = null, int? PageSize = null);

    public static async Task<Ok<Paged<TaskDto>>> HandleAsync([AsParameters] Query q, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var today = VisitRules.Today(clock);
        var tasks = TaskRules.Visible(db, user);
        if (q.AccountId is { } accountId) tasks = tasks.Where(t => t.AccountId == accountId);
        if (q.VisitId is { } visitId) tasks = tasks.Where(t => t.VisitId == visitId);
        if (q.Mine == true) tasks = tasks.Where(t => t.OwnerId == user.Id);
        else if (q.OwnerId.Trimmed() is { } owner) tasks = tasks.Where(t => t.OwnerId == owner);
        if (q.Overdue == true) tasks = tasks.Where(t => t.Status == TaskState.Open && t.DueOn < today);
        else if (q.Status is { } status) tasks = tasks.Where(t => t.Status == status);
        if (q.DueFrom is { } from) tasks = tasks.Where(t => t.DueOn >= from);
        if (q.DueTo is { } to) tasks = tasks.Where(t => t.DueOn <= to);
        var page = await TaskRules.Project(db, tasks.OrderBy(t => t.DueOn).ThenBy(t => t.Id), today).ToPagedAsync(q.Page, q.PageSize, ct);
        return TypedResults.Ok(page);
    }
}

public static class GetTask
{
    public static async Task<Results<Ok<TaskDto>, NotFound>> HandleAsync(long id, AppDb db, CurrentUser user, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        var dto = await TaskRules.Project(db, TaskRules.Visible(db, user).Where(t => t.Id == id), VisitRules.Today(clock)).FirstOrDefaultAsync(ct);
        if (dto is null) return TypedResults.NotFound();
        http?.Response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }
}
