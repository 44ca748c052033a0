using KeyAccounts.Data;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace KeyAccounts.Features.Complaints;

/// <summary>
/// Escalates every open complaint past its deadline to the assignee's line manager, once per deadline: the complaint is claimed
/// with a conditional update (only one node wins it) and the notification carries the deadline in its dedup key.
/// </summary>
public static class EscalateComplaints
{
    public static async Task<int> RunAsync(AppDb db, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var open = new[] { ComplaintStatus.New, ComplaintStatus.Acknowledged, ComplaintStatus.Investigating, ComplaintStatus.Reopened };
        var due = await db.Complaints.AsNoTracking()
            .Where(c => open.Contains(c.Status) && c.DueAt < now && c.EscalatedAt == null)
            .OrderBy(c => c.DueAt).Select(c => new { c.Id, c.AccountId, c.AssigneeId, c.DueAt, c.Severity, c.Description }).Take(1000).ToListAsync(ct);
        var escalated = 0;
        foreach (var c in due)
        {
            var manager = await LineManager.OfAsync(db, c.AssigneeId, ct);
            var recipient = manager ?? c.AssigneeId;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var claimed = await db.Complaints.Where(x => x.Id == c.Id && x.EscalatedAt == null && x.DueAt == c.DueAt)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.EscalatedAt, now).SetProperty(x => x.EscalatedToId, manager), ct);
            if (claimed == 0) continue;
            var name = await db.Users.Where(u => u.Id == recipient).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
            db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = c.Id, At = now, Kind = ComplaintEventKind.Escalated, Note = name });
            await db.SaveChangesAsync(ct);
            await Notify.SendAsync(db, [new Notify.Message(recipient, NotificationEvent.ComplaintEscalated, $"complaint:{c.Id}:escalated:{c.DueAt:yyyyMMddHHmmss}",
                $"Complaint #{c.Id} ({c.Severity}) is past its deadline", c.Description.Length <= 500 ? c.Description : c.Description[..500], $"/complaints/{c.Id}", c.AccountId)], ct);
            await transaction.CommitAsync(ct);
            escalated++;
        }
        return escalated;
    }
}

[DisallowConcurrentExecution]
public sealed class EscalateComplaintsJob(AppDb db) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await EscalateComplaints.RunAsync(db, cancellationToken);
}
