using System.Globalization;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Evaluation;

/// <summary>
/// Who hears about a run: the leaders when it awaits approval, its author when it is rejected or returned, and on publication
/// every owner whose accounts changed tier and their line managers, one notification per person summing up their accounts.
/// </summary>
public static class RunNotifications
{
    private static string T(string template, params object[] args) => JudgementWords.L[template, args].Value;

    private static string TierName(Tier t) => JudgementWords.L[$"Tier.{t}"].Value;

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The active leaders: who approves runs.</summary>
    public static Task<List<string>> LeadersAsync(AppDb db, CancellationToken ct) =>
        (from ur in db.UserRoles
         join r in db.Roles on ur.RoleId equals r.Id
         join u in db.Users on ur.UserId equals u.Id
         where r.Name == Roles.Leader && u.IsActive
         select u.Id).Distinct().ToListAsync(ct);

    /// <summary>Tells the approvers (the leaders by the default flow) a run awaits their approval, with what it would change and any criterion nobody judged.</summary>
    public static async Task<int> AwaitingApprovalAsync(AppDb db, EvaluationRun run, IReadOnlyCollection<string> approvers, CancellationToken ct)
    {
        var leaders = approvers.Distinct().ToList();
        if (leaders.Count == 0) return 0;
        var c = RunPublication.Counts.Of(await RunPublication.MovesAsync(db, run.Id, ct));
        var unjudged = run.Gaps?.Count(g => g.IsWarning) ?? 0;
        // Each leader reads it in their own language.
        var languages = await Notify.LanguagesAsync(db, leaders, ct);
        var key = $"run:{run.Id}:awaiting:{run.Version}";
        return await Notify.SendAsync(db, [.. leaders.Select(l => JudgementWords.In(languages[l], () =>
        {
            var title = T("Evaluation run #{0} awaits your approval", run.Id);
            var body = T("{0} v{1}, {2} – {3}: {4} accounts rated; publishing changes the tier of {5} ({6} enter the key accounts, {7} leave them, {8} up, {9} down).",
                run.ModelName, run.ModelVersion, Day(run.PeriodStart), Day(run.PeriodEnd), run.AccountCount, c.Total, c.Entered, c.Left, c.Up, c.Down);
            if (unjudged > 0) body += " " + T("{0} judged criteria had no judgement at all: every account got 0 on them.", unjudged);
            // One per submission: a run returned and submitted again is announced again.
            return new Notify.Message(l, NotificationEvent.EvaluationAwaitingApproval, key, title, body, $"/evaluation/runs/{run.Id}");
        }))], ct);
    }

    /// <summary>Tells the run's author (a scheduled run has none) that it was rejected or returned, and why.</summary>
    public static async Task<int> DecidedAsync(AppDb db, EvaluationRun run, string byId, CancellationToken ct)
    {
        if (run.CreatedById is not { } author) return 0;
        var by = await db.Users.Where(u => u.Id == byId).Select(u => new { u.DisplayName, u.UserName }).FirstOrDefaultAsync(ct);
        var name = by is null ? "" : by.DisplayName != "" ? by.DisplayName : by.UserName ?? "";
        var languages = await Notify.LanguagesAsync(db, [author], ct);
        var (title, body) = JudgementWords.In(languages[author], () => (
            run.Status == RunStatus.Rejected ? T("Evaluation run #{0} was rejected", run.Id) : T("Evaluation run #{0} was returned to you", run.Id),
            T("{0}: {1}", name, run.DecisionReason ?? "")));
        return await Notify.SendAsync(db, [new Notify.Message(author, NotificationEvent.EvaluationDecided, $"run:{run.Id}:{run.Status}:{run.Version}", title, body,
            $"/evaluation/runs/{run.Id}")], ct);
    }

    /// <summary>
    /// On publication: one notification per owner of accounts that moved, and per line manager of such owners, summing up the moves
    /// (their own accounts, and their team's by owner). Built from the grouped moves, not account by account.
    /// </summary>
    public static async Task<int> PublishedAsync(AppDb db, EvaluationRun run, IReadOnlyList<RunPublication.Move> moves, CancellationToken ct)
    {
        if (moves.Count == 0) return 0;
        var ownerIds = moves.Select(m => m.OwnerId).Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.UserName, u.DepartmentId }).ToDictionaryAsync(u => u.Id, ct);
        var departments = await db.Departments.AsNoTracking().Select(d => new { d.Id, d.ParentId, d.HeadUserId }).ToDictionaryAsync(d => d.Id, ct);

        // The line manager as LineManager says: the head of the owner's department, or of the nearest one above with another head.
        string? ManagerOf(string ownerId)
        {
            var department = owners.GetValueOrDefault(ownerId)?.DepartmentId;
            while (department is { } d && departments.TryGetValue(d, out var row))
            {
                if (row.HeadUserId is { } head && head != ownerId) return head;
                department = row.ParentId;
            }
            return null;
        }

        string NameOf(string ownerId) => owners.GetValueOrDefault(ownerId) is { } o ? (o.DisplayName != "" ? o.DisplayName : o.UserName ?? ownerId) : ownerId;

        var own = moves.GroupBy(m => m.OwnerId).ToDictionary(g => g.Key, g => g.ToList());
        var team = new Dictionary<string, List<RunPublication.Move>>();
        foreach (var (ownerId, list) in own)
            if (ManagerOf(ownerId) is { } manager)
            {
                if (!team.TryGetValue(manager, out var t)) team[manager] = t = [];
                t.AddRange(list);
            }

        string Moves(IEnumerable<RunPublication.Move> list) => string.Join(T("; "), list.GroupBy(m => (m.From, m.To))
            .OrderByDescending(g => g.Sum(m => m.Count)).Select(g => T("{0} → {1}: {2}", TierName(g.Key.From), TierName(g.Key.To), g.Sum(m => m.Count))));

        string Counts(RunPublication.Counts c) =>
            T("{0} enter the key accounts, {1} leave them, {2} up, {3} down", c.Entered, c.Left, c.Up, c.Down);

        var people = own.Keys.Union(team.Keys).ToList();
        var languages = await Notify.LanguagesAsync(db, people, ct);
        var messages = people.Select(person => JudgementWords.In(languages[person], () =>
        {
            var parts = new List<string>();
            var total = 0;
            if (own.TryGetValue(person, out var mine))
            {
                var c = RunPublication.Counts.Of(mine);
                total += c.Total;
                parts.Add(T("Your accounts: {0} changed tier ({1}). {2}.", c.Total, Counts(c), Moves(mine)));
            }
            if (team.TryGetValue(person, out var theirs))
            {
                var c = RunPublication.Counts.Of(theirs);
                total += c.Total;
                var byOwner = string.Join(T(", "), theirs.GroupBy(m => m.OwnerId).OrderByDescending(g => g.Sum(m => m.Count)).Take(10)
                    .Select(g => T("{0} {1}", NameOf(g.Key), g.Sum(m => m.Count))));
                parts.Add(T("Your team's accounts: {0} changed tier ({1}); by owner: {2}.", c.Total, Counts(c), byOwner));
            }
            return new Notify.Message(person, NotificationEvent.EvaluationPublished, $"run:{run.Id}:published",
                T("Evaluation run #{0} was published: {1} of your accounts changed tier", run.Id, total), string.Join(" ", parts), $"/evaluation/runs/{run.Id}");
        })).ToList();
        return await Notify.SendAsync(db, messages, ct);
    }
}
