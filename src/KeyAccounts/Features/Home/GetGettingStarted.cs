using KeyAccounts.Data;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Home;

/// <summary>
/// 快速上手: the administrator's first steps on a new installation, each ticked from what the database holds, never from a
/// flag someone sets. Every check is an existence test on an indexed table, so the home page stays cheap on a large database.
/// </summary>
public static class GetGettingStarted
{
    public enum StepKey { People, Accounts, Transactions, RatingStandard, FirstRun, FirstPublished }

    public sealed record Step(StepKey Key, string Href, bool Done);

    public sealed record Response(IReadOnlyList<Step> Steps)
    {
        public bool AllDone => Steps.All(s => s.Done);
    }

    public static async Task<Results<Ok<Response>, ForbidHttpResult>> HandleAsync(AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!user.IsInRole(Organisation.Roles.Admin)) return TypedResults.Forbid();

        // The installation starts with its administrator and the company department: a second of either means the
        // organisation has been set up.
        var people = await db.Users.Skip(1).AnyAsync(ct) || await db.Departments.Skip(1).AnyAsync(ct);
        var accounts = await db.Accounts.AnyAsync(ct);
        var transactions = await db.Orders.AnyAsync(ct) || await db.Invoices.AnyAsync(ct);
        // The installed standard is written by the system; it counts as reviewed once a person has saved or activated a
        // standard (the audit log names them), or has run an evaluation with it, which is accepting it as it is.
        var reviewed = await db.AuditEntries.AnyAsync(e => e.Entity == nameof(EvaluationModel) && e.UserId != null, ct)
                       || await db.EvaluationRuns.AnyAsync(r => r.CreatedById != null, ct);
        var run = await db.EvaluationRuns.AnyAsync(ct);
        var published = await db.EvaluationRuns.AnyAsync(r => r.Status == RunStatus.Published, ct);

        return TypedResults.Ok(new Response(
        [
            new(StepKey.People, "/admin/users", people),
            new(StepKey.Accounts, "/imports", accounts),
            new(StepKey.Transactions, "/imports", transactions),
            new(StepKey.RatingStandard, "/evaluation/models", reviewed),
            new(StepKey.FirstRun, "/evaluation/runs", run),
            new(StepKey.FirstPublished, "/evaluation/runs", published),
        ]));
    }
}
