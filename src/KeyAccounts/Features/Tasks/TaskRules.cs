using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Tasks;

public sealed record TaskDto(
    long Id, long AccountId, string AccountCode, string AccountName, long? VisitId, string Title, string? Notes, string OwnerId, string OwnerName,
    DateOnly DueOn, TaskState Status, bool Overdue, DateTime CreatedAt, DateTime? CompletedAt, int Version);

public static class TaskRules
{
    /// <summary>A task needs a title and a due day no earlier than the day it is created.</summary>
    public static void Check(Validation v, string prefix, string? title, DateOnly? dueOn, string? notes, DateOnly createdOn)
    {
        v.Require(prefix + "title", title, 200).MaxLength(prefix + "notes", notes, 2000);
        if (dueOn is not { } due) v.Add(prefix + "dueOn", $"dueOn is required.");
        else if (due < createdOn) v.Add(prefix + "dueOn", $"The due date {due:yyyy-MM-dd} is before the task is created ({createdOn:yyyy-MM-dd}).");
    }

    public static IQueryable<TaskDto> Project(AppDb db, IQueryable<FollowUpTask> tasks, DateOnly today) =>
        tasks.Join(db.Accounts, t => t.AccountId, a => a.Id, (t, a) => new TaskDto(t.Id, t.AccountId, a.Code, a.Name, t.VisitId, t.Title, t.Notes,
            t.OwnerId, db.Users.Where(u => u.Id == t.OwnerId).Select(u => u.DisplayName).FirstOrDefault() ?? "", t.DueOn, t.Status,
            t.Status == TaskState.Open && t.DueOn < today, t.CreatedAt, t.CompletedAt, t.Version));

    /// <summary>The tasks the user may see: <see cref="AccountAccess.TasksVisibleTo"/>.</summary>
    public static IQueryable<FollowUpTask> Visible(AppDb db, CurrentUser user) => db.TasksVisibleTo(user);

    /// <summary>Whoever may edit the account, and the task's own owner, may change a task.</summary>
    public static async Task<bool> MayChangeAsync(AppDb db, CurrentUser user, FollowUpTask task, CancellationToken ct) =>
        task.OwnerId == user.Id || await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == task.AccountId, ct);
}
