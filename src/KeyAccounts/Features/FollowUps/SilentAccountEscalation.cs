using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Features.Visits;
using KeyAccounts.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.FollowUps;

/// <summary>Part of the daily checks (<see cref="DailyVisitChecks"/>): accounts silent for longer than their tier allows, FollowUpOverdue to the owner's line manager.</summary>
public static class SilentAccountEscalation
{
    /// <summary>
    /// An account silent for longer than its tier's threshold is escalated once per silence: the dedup key names the last
    /// follow-up day, so a new follow-up ends the episode and a later silence escalates again.
    /// </summary>
    public static async Task<int> SendAsync(AppDb db, DateOnly today, CancellationToken ct)
    {
        var policies = await VisitPolicies.LoadAsync(db, ct);
        var escalated = 0;
        var managers = new Dictionary<string, string?>();
        foreach (var (tier, requirement) in policies)
        {
            if (requirement.EscalateAfterDays <= 0) continue;
            var cutoff = today.AddDays(-requirement.EscalateAfterDays);
            var cutoffTime = cutoff.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var silent = await db.Accounts.Where(a => a.Tier == tier && a.Status == AccountStatus.Active)
                .Select(a => new { a.Id, a.Name, a.OwnerId, a.CreatedAt, Last = db.FollowUps.Where(f => f.AccountId == a.Id).Max(f => (DateOnly?)f.OccurredOn) })
                .Where(x => x.Last == null ? x.CreatedAt < cutoffTime : x.Last < cutoff)
                .ToListAsync(ct);
            if (silent.Count == 0) continue;
            var keys = silent.Select(s => Key(s.Id, s.Last)).ToList();
            var told = (await db.Notifications.Where(n => n.Event == NotificationEvent.FollowUpOverdue && keys.Contains(n.DedupKey)).Select(n => n.DedupKey).ToListAsync(ct)).ToHashSet();
            var messages = new List<Notify.Message>();
            foreach (var s in silent.Where(s => !told.Contains(Key(s.Id, s.Last))))
            {
                if (!managers.TryGetValue(s.OwnerId, out var manager)) managers[s.OwnerId] = manager = await LineManager.OfAsync(db, s.OwnerId, ct);
                if (manager is null) continue;
                var since = s.Last ?? DateOnly.FromDateTime(s.CreatedAt);
                messages.Add(new Notify.Message(manager, NotificationEvent.FollowUpOverdue, Key(s.Id, s.Last),
                    "Follow-up overdue: {0}", "No follow-up for {1} days since {0:yyyy-MM-dd} ({2}: one every {3} days at least)", $"/accounts/{s.Id}", s.Id,
                    [s.Name], [since, today.DayNumber - since.DayNumber, Texts.Of<AccountsText>($"Tier.{tier}"), requirement.EscalateAfterDays]));
            }
            escalated += await Notify.SendAsync(db, messages, ct);
        }
        return escalated;
    }

    private static string Key(long accountId, DateOnly? last) => $"followup:{accountId}:{(last is { } d ? d.ToString("yyyy-MM-dd") : "never")}";
}
