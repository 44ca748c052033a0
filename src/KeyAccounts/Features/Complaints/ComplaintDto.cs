using System.Linq.Expressions;

namespace KeyAccounts.Features.Complaints;

public sealed record ComplaintDto(long Id, long AccountId, string AccountName, long ContactId, string ContactName, ComplaintCategory Category,
    ComplaintSeverity Severity, string Description, ComplaintStatus Status, string AssigneeId, string AssigneeName, DateTime DueAt,
    bool Overdue, DateTime? EscalatedAt, string? RootCause, string? Resolution, DateTime? ResolvedAt, DateTime CreatedAt, int Version,
    long? QualityIncidentId, decimal? QualityLoss)
{
    public static Expression<Func<Complaint, ComplaintDto>> Projection(Data.AppDb db, DateTime now) => c => new ComplaintDto(
        c.Id, c.AccountId, db.Accounts.Where(a => a.Id == c.AccountId).Select(a => a.Name).FirstOrDefault() ?? "",
        c.ContactId, db.Contacts.Where(x => x.Id == c.ContactId).Select(x => x.Name).FirstOrDefault() ?? "",
        c.Category, c.Severity, c.Description, c.Status, c.AssigneeId, c.Assignee!.DisplayName, c.DueAt,
        (c.Status == ComplaintStatus.New || c.Status == ComplaintStatus.Acknowledged || c.Status == ComplaintStatus.Investigating || c.Status == ComplaintStatus.Reopened) && c.DueAt < now,
        c.EscalatedAt, c.RootCause, c.Resolution, c.ResolvedAt, c.CreatedAt, c.Version,
        db.QualityIncidents.Where(q => q.ComplaintId == c.Id).Select(q => (long?)q.Id).FirstOrDefault(),
        db.QualityIncidents.Where(q => q.ComplaintId == c.Id).Select(q => (decimal?)q.LossAmount).FirstOrDefault());
}

public sealed record ComplaintEventDto(DateTime At, ComplaintEventKind Kind, ComplaintStatus? Status, string? UserName, string? Note);
