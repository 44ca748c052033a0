using KeyAccounts.Data;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
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
            .OrderBy(c => c.DueAt).Select(c => new { c.Id }).Take(1000).ToListAsync(ct);
        var escalated = 0;
        foreach (var c in due)
            if (await EscalateAsync(db, c.Id, null, ct))
                escalated++;
        return escalated;
    }

    /// <summary>
    /// Escalates one open complaint to its assignee's line manager (or, with nobody above, to the assignee) unless it was
    /// escalated for its current deadline already; <paramref name="byUserId"/> is who asked for it by hand, null for the job.
    /// </summary>
    public static async Task<bool> EscalateAsync(AppDb db, long id, string? byUserId, CancellationToken ct, string? note = null)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var c = await db.Complaints.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { x.Id, x.AccountId, x.AssigneeId, x.DueAt, x.Severity, x.Description, x.Status, x.EscalatedAt }).FirstOrDefaultAsync(ct);
        if (c is null || !Complaint.IsOpen(c.Status) || c.EscalatedAt is not null) return false;
        var manager = await LineManager.OfAsync(db, c.AssigneeId, ct);
        var recipient = manager ?? c.AssigneeId;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.Complaints.Where(x => x.Id == c.Id && x.EscalatedAt == null && x.DueAt == c.DueAt)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EscalatedAt, now).SetProperty(x => x.EscalatedToId, manager), ct);
        if (claimed == 0) return false;
        var name = await db.Users.Where(u => u.Id == recipient).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        // The timeline names whom it went to, and for a person's escalation what they wrote with it.
        db.ComplaintEvents.Add(new ComplaintEvent
        {
            ComplaintId = c.Id,
            At = now,
            Kind = byUserId is null ? ComplaintEventKind.Escalated : ComplaintEventKind.EscalatedByHand,
            UserId = byUserId,
            Note = note is null ? name : $"{name}: {note}",
        });
        await db.SaveChangesAsync(ct);
        var title = byUserId is null ? "Complaint #{0} ({1}) is past its deadline" : "Complaint #{0} ({1}) was escalated to you";
        var body = note is null ? c.Description : $"{note}\n\n{c.Description}";
        await Notify.SendAsync(db, [new Notify.Message(recipient, NotificationEvent.ComplaintEscalated, $"complaint:{c.Id}:escalated:{c.DueAt:yyyyMMddHHmmss}",
            title, body.Length <= 500 ? body : body[..500], $"/complaints/{c.Id}", c.AccountId,
            [c.Id, Texts.Of<ComplaintsText>($"Severity.{c.Severity}")])], ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}

public static class ComplaintJobs
{
    /// <summary>Every ten minutes; a complaint is claimed when it is escalated, so nodes running this together escalate it once.</summary>
    public static void AddComplaintJobs(this IQuartzBuilder q, IConfiguration configuration) =>
        q.ScheduleJob<EscalateComplaintsJob>(t => t.WithIdentity("escalate-complaints").WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(10)).RepeatForever()).StartAt(DateTimeOffset.UtcNow.AddMinutes(1)));
}

[DisallowConcurrentExecution]
public sealed class EscalateComplaintsJob(AppDb db) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await EscalateComplaints.RunAsync(db, cancellationToken);
}
