using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Complaints;
using KeyAccounts.Features.FollowUps;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Features.Tasks;
using KeyAccounts.Features.Visits;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Home;

/// <summary>A block of the work-bench: how many there are, the first few, and the list page that shows them all.</summary>
public sealed record Block<T>(int Count, IReadOnlyList<T> Items, string More);

public sealed record WorkTask(long Id, long AccountId, string AccountName, string Title, DateOnly DueOn);

public sealed record WorkVisit(long Id, long AccountId, string AccountName, VisitLevel Level, DateOnly PlannedOn, string Purpose, bool Overdue);

public sealed record WorkContact(long AccountId, string AccountName, FollowUpMethod Method, DateOnly LastContactOn, string Summary, DateOnly NextContactOn);

public sealed record WorkComplaint(long Id, long AccountId, string AccountName, ComplaintSeverity Severity, ComplaintStatus Status, string AssigneeName, DateTime DueAt, bool Overdue);

public sealed record WorkColdContact(long ContactId, string ContactName, long AccountId, string AccountName, DateOnly? LastMetOn);

public sealed record WorkAccount(long Id, string Code, string Name, Tier Tier, string OwnerName, DateOnly? LastVisitOn);

public sealed record OwnerCount(string OwnerId, string OwnerName, int Count);

/// <summary>Something waiting for the user's decision; <see cref="Kind"/> names what (today only <c>EvaluationRun</c>).</summary>
public sealed record Approval(string Kind, long Id, string Title, DateTime Since, string Href);

/// <summary>The department's (a Manager's) or the company's (a Leader's or Admin's) figures and gaps.</summary>
public sealed record TeamFigures(
    DataScope Scope, IReadOnlyList<GetHomeSummary.TierCount> Tiers, Block<OwnerCount> OverdueTasksByOwner, Block<WorkAccount> NotVisited,
    Block<WorkComplaint> OverdueComplaints);

/// <summary>
/// 工作台: where a person's day starts. Their own work first — overdue tasks and those due this week, the contacts due today, this
/// week's visits, complaints close to their deadline, what waits for their approval, their key people going cold — then, for
/// managers and leaders, their department's or the company's figures and gaps. Every block is a count and the first
/// <see cref="Top"/> items, read by bounded queries; the user's own tasks and visits are found by owner and attendee, the rest
/// through <see cref="AccountAccess"/>.
/// </summary>
public static class GetWorkbench
{
    public const int Top = 5;

    /// <summary>A complaint whose deadline falls within this many hours is "nearing" it (overdue ones are included).</summary>
    public const int ComplaintHorizonHours = 48;

    /// <summary>Counting stops here: past it the page says "999+" rather than reading a whole large book.</summary>
    public const int CountCap = 999;

    public sealed record Response(
        DataScope Scope, DateOnly Today, Block<WorkTask> OverdueTasks, Block<WorkTask> TasksDueThisWeek, Block<WorkContact> ContactsDue,
        Block<WorkVisit> VisitsThisWeek, Block<WorkComplaint> ComplaintsDue, Block<Approval>? Approvals, Block<WorkColdContact> GoingCold,
        GetHomeSummary.Response Book, TeamFigures? Team);

    public static async Task<Ok<Response>> HandleAsync(AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var today = VisitRules.Today(clock);
        var now = clock.GetUtcNow().UtcDateTime;
        var (monday, sunday) = WeekOf(today);
        var me = user.Id;

        var open = db.FollowUpTasks.Where(t => t.OwnerId == me && t.Status == TaskState.Open);
        var overdueTasks = await TasksAsync(db, open.Where(t => t.DueOn < today), "/tasks?view=overdue", ct);
        var dueTasks = await TasksAsync(db, open.Where(t => t.DueOn >= today && t.DueOn <= sunday), "/tasks", ct);

        var contacts = (await ContactToday.HandleAsync(new ContactToday.Query(Mine: true, PageSize: Top), db, user, clock, ct)).Value!;
        var contactsDue = new Block<WorkContact>(contacts.Total,
            [.. contacts.Items.Select(c => new WorkContact(c.AccountId, c.AccountName, c.Method, c.LastContactOn, c.Summary, c.NextContactOn))], "/visits?tab=contact-today");

        var cold = (await GoingCold.HandleAsync(new GoingCold.Query(Mine: true, PageSize: Top), db, user, clock, ct)).Result as Ok<Infrastructure.Paged<GoingColdItem>>;
        var goingCold = new Block<WorkColdContact>(cold?.Value?.Total ?? 0,
            [.. (cold?.Value?.Items ?? []).Select(c => new WorkColdContact(c.ContactId, c.ContactName, c.AccountId, c.AccountName, c.LastMetOn))], "/visits?tab=going-cold");

        var book = (await GetHomeSummary.HandleAsync(db, user, ct)).Value!;
        return TypedResults.Ok(new Response(user.Scope, today, overdueTasks, dueTasks, contactsDue,
            await VisitsThisWeekAsync(db, me, monday, sunday, today, ct),
            await ComplaintsDueAsync(db, me, now, ct),
            await PendingApprovalsAsync(db, user, ct),
            goingCold, book,
            user.IsManagerOrAbove ? await TeamAsync(db, user, book, today, now, ct) : null));
    }

    /// <summary>Monday to Sunday, as the week runs in China.</summary>
    public static (DateOnly Monday, DateOnly Sunday) WeekOf(DateOnly day)
    {
        var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        return (monday, monday.AddDays(6));
    }

    private static async Task<int> CountAsync<T>(IQueryable<T> query, CancellationToken ct) => await query.Take(CountCap + 1).CountAsync(ct);

    private static async Task<Block<WorkTask>> TasksAsync(AppDb db, IQueryable<FollowUpTask> tasks, string more, CancellationToken ct)
    {
        // The owner's own tasks, whatever account they are on: the account's name is all the block shows of it.
        var items = await tasks.OrderBy(t => t.DueOn).ThenBy(t => t.Id).Take(Top)
            .Join(db.Accounts, t => t.AccountId, a => a.Id, (t, a) => new WorkTask(t.Id, t.AccountId, a.Name, t.Title, t.DueOn))
            .ToListAsync(ct);
        return new Block<WorkTask>(await CountAsync(tasks, ct), [.. items.OrderBy(t => t.DueOn).ThenBy(t => t.Id)], more);
    }

    /// <summary>The visits of the week the user leads or joins and that are still to be recorded: the attendee rows are the user's calendar.</summary>
    private static async Task<Block<WorkVisit>> VisitsThisWeekAsync(AppDb db, string me, DateOnly monday, DateOnly sunday, DateOnly today, CancellationToken ct)
    {
        var visits = db.VisitAttendees.Where(a => a.UserId == me && a.Day >= monday && a.Day <= sunday)
            .Join(db.Visits.Where(v => v.Status == VisitStatus.Planned), a => a.VisitId, v => v.Id, (a, v) => v);
        var items = await visits.OrderBy(v => v.PlannedOn).ThenBy(v => v.Id).Take(Top)
            .Join(db.Accounts, v => v.AccountId, a => a.Id, (v, a) => new WorkVisit(v.Id, v.AccountId, a.Name, v.Level, v.PlannedOn, v.Purpose, v.PlannedOn < today))
            .ToListAsync(ct);
        return new Block<WorkVisit>(await CountAsync(visits, ct), [.. items.OrderBy(v => v.PlannedOn).ThenBy(v => v.Id)], "/calendar");
    }

    /// <summary>Open complaints the user handles, or on accounts the user owns, whose deadline has passed or falls within <see cref="ComplaintHorizonHours"/>.</summary>
    private static async Task<Block<WorkComplaint>> ComplaintsDueAsync(AppDb db, string me, DateTime now, CancellationToken ct)
    {
        var horizon = now.AddHours(ComplaintHorizonHours);
        var mine = OpenComplaints(db).Where(c => c.DueAt <= horizon
                                                  && (c.AssigneeId == me || db.Accounts.Any(a => a.Id == c.AccountId && a.OwnerId == me)));
        return new Block<WorkComplaint>(await CountAsync(mine, ct), await ComplaintItemsAsync(db, mine, now, ct), "/complaints");
    }

    private static IQueryable<Complaint> OpenComplaints(AppDb db) =>
        db.Complaints.Where(c => c.Status == ComplaintStatus.New || c.Status == ComplaintStatus.Acknowledged
                                 || c.Status == ComplaintStatus.Investigating || c.Status == ComplaintStatus.Reopened);

    private static async Task<List<WorkComplaint>> ComplaintItemsAsync(AppDb db, IQueryable<Complaint> complaints, DateTime now, CancellationToken ct)
    {
        var items = await complaints.OrderBy(c => c.DueAt).ThenBy(c => c.Id).Take(Top)
            .Join(db.Accounts, c => c.AccountId, a => a.Id, (c, a) => new WorkComplaint(c.Id, c.AccountId, a.Name, c.Severity, c.Status,
                c.Assignee!.DisplayName, c.DueAt, c.DueAt < now))
            .ToListAsync(ct);
        return [.. items.OrderBy(c => c.DueAt).ThenBy(c => c.Id)];
    }

    /// <summary>One kind of decision that can wait for a user: null when the user does not make that kind of decision.</summary>
    public delegate Task<Block<Approval>?> ApprovalKind(AppDb db, CurrentUser user, CancellationToken ct);

    /// <summary>Every kind of approval the work-bench lists; a new kind of approval adds its query here.</summary>
    public static readonly IReadOnlyList<ApprovalKind> ApprovalKinds = [EvaluationRunsAwaitingApprovalAsync];

    /// <summary>What waits for the user's decision, across every <see cref="ApprovalKinds"/>, oldest first; null for a user who approves nothing.</summary>
    public static async Task<Block<Approval>?> PendingApprovalsAsync(AppDb db, CurrentUser user, CancellationToken ct)
    {
        var blocks = new List<Block<Approval>>();
        foreach (var kind in ApprovalKinds)
            if (await kind(db, user, ct) is { } block) blocks.Add(block);
        if (blocks.Count == 0) return null;
        return new Block<Approval>(blocks.Sum(b => b.Count), [.. blocks.SelectMany(b => b.Items).OrderBy(a => a.Since).Take(Top)],
            (blocks.FirstOrDefault(b => b.Count > 0) ?? blocks[0]).More);
    }

    /// <summary>Proposed evaluation runs: a leader (or the administrator) publishes or leaves them.</summary>
    private static async Task<Block<Approval>?> EvaluationRunsAwaitingApprovalAsync(AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Leader) && !user.IsInRole(Roles.Admin)) return null;
        var proposed = db.EvaluationRuns.Where(r => r.Status == Evaluation.RunStatus.Proposed);
        var items = await proposed.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Take(Top)
            .Select(r => new { r.Id, r.ModelName, r.PeriodStart, r.PeriodEnd, r.CreatedAt })
            .ToListAsync(ct);
        return new Block<Approval>(await CountAsync(proposed, ct),
            [.. items.Select(r => new Approval("EvaluationRun", r.Id, $"{r.ModelName} {r.PeriodStart:yyyy-MM-dd} – {r.PeriodEnd:yyyy-MM-dd}", r.CreatedAt, $"/evaluation/runs/{r.Id}"))],
            "/evaluation/runs");
    }

    private static async Task<TeamFigures> TeamAsync(AppDb db, CurrentUser user, GetHomeSummary.Response book, DateOnly today, DateTime now, CancellationToken ct)
    {
        var accounts = await db.Accounts.VisibleToAsync(db, user, ct);
        var visible = accounts.Select(a => a.Id);

        var overdue = db.FollowUpTasks.Where(t => t.Status == TaskState.Open && t.DueOn < today && visible.Contains(t.AccountId));
        var byOwner = await overdue.GroupBy(t => t.OwnerId).Select(g => new { OwnerId = g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).ThenBy(g => g.OwnerId).Take(Top)
            .ToListAsync(ct);
        var ownerIds = byOwner.Select(o => o.OwnerId).ToList();
        var names = await db.Users.Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var overdueByOwner = new Block<OwnerCount>(await CountAsync(overdue, ct),
            [.. byOwner.Select(o => new OwnerCount(o.OwnerId, names.GetValueOrDefault(o.OwnerId) ?? "", o.Count))], "/tasks?view=overdue&mine=false");

        var overdueComplaints = OpenComplaints(db).Where(c => c.DueAt < now && visible.Contains(c.AccountId));
        return new TeamFigures(user.Scope, book.Tiers, overdueByOwner, await NotVisitedAsync(db, accounts, today, ct),
            new Block<WorkComplaint>(await CountAsync(overdueComplaints, ct), await ComplaintItemsAsync(db, overdueComplaints, now, ct), "/complaints"));
    }

    /// <summary>The tiers whose visits the work-bench watches: the visit policies of the smaller tiers ask for a few calls a year, not a watch list.</summary>
    public static readonly Tier[] VisitedTiers = [Tier.Key, Tier.Major];

    /// <summary>
    /// Active key and major accounts with no visit recorded within their tier's policy period (the days after which the visit
    /// policy escalates a silent account), longest unvisited first.
    /// </summary>
    private static async Task<Block<WorkAccount>> NotVisitedAsync(AppDb db, IQueryable<Account> accounts, DateOnly today, CancellationToken ct)
    {
        var policies = await VisitPolicies.LoadAsync(db, ct);
        var keyCutoff = today.AddDays(-policies[Tier.Key].EscalateAfterDays);
        var majorCutoff = today.AddDays(-policies[Tier.Major].EscalateAfterDays);
        var gaps = accounts.Where(a => a.Status == AccountStatus.Active && (a.Tier == Tier.Key || a.Tier == Tier.Major))
            .Select(a => new
            {
                Account = a,
                Cutoff = a.Tier == Tier.Key ? keyCutoff : majorCutoff,
                LastVisit = db.Visits.Where(v => v.AccountId == a.Id && v.VisitedOn != null).Max(v => v.VisitedOn),
            })
            .Where(x => x.LastVisit == null || x.LastVisit < x.Cutoff);
        var items = await gaps.OrderBy(x => x.LastVisit).ThenBy(x => x.Account.Name).ThenBy(x => x.Account.Id).Take(Top)
            .Select(x => new WorkAccount(x.Account.Id, x.Account.Code, x.Account.Name, x.Account.Tier, x.Account.Owner!.DisplayName, x.LastVisit))
            .ToListAsync(ct);
        return new Block<WorkAccount>(await CountAsync(gaps, ct), items, "/visits/coverage");
    }
}
