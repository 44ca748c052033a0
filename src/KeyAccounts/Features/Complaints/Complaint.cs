using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Contacts;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Complaints;

public enum ComplaintCategory { Quality, Delivery, Service, Price, Other }

public enum ComplaintSeverity { Low, Medium, High, Critical }

public enum ComplaintStatus { New, Acknowledged, Investigating, Resolved, Confirmed, Reopened }

/// <summary>A customer complaint (客户投诉): who raised it, how bad it is, by when it must be answered, and how it was put right.</summary>
public sealed class Complaint : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public long ContactId { get; set; }
    public ComplaintCategory Category { get; set; }
    public ComplaintSeverity Severity { get; set; }
    public required string Description { get; set; }
    public ComplaintStatus Status { get; set; }

    /// <summary>Who handles it: the account owner unless reassigned.</summary>
    public required string AssigneeId { get; set; }
    public AppUser? Assignee { get; set; }

    /// <summary>When it must be resolved by: severity and tier set the hours (see <see cref="ComplaintDeadline"/>).</summary>
    public DateTime DueAt { get; set; }

    /// <summary>When the passed deadline was escalated to the assignee's manager; cleared when a reopening sets a new deadline.</summary>
    public DateTime? EscalatedAt { get; set; }
    public string? EscalatedToId { get; set; }
    public string? RootCause { get; set; }
    public string? Resolution { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedById { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public List<ComplaintEvent> Events { get; set; } = [];

    public string AuditKey => Id.ToString();

    public static bool IsOpen(ComplaintStatus s) => s is ComplaintStatus.New or ComplaintStatus.Acknowledged or ComplaintStatus.Investigating or ComplaintStatus.Reopened;
}

public sealed class ComplaintConfiguration : IEntityTypeConfiguration<Complaint>
{
    public void Configure(EntityTypeBuilder<Complaint> b)
    {
        b.Property(c => c.Category).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.Severity).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.Description).HasMaxLength(4000);
        b.Property(c => c.RootCause).HasMaxLength(2000);
        b.Property(c => c.Resolution).HasMaxLength(2000);
        b.HasIndex(c => new { c.AccountId, c.CreatedAt });
        b.HasIndex(c => new { c.Status, c.DueAt });
        b.HasIndex(c => new { c.AssigneeId, c.Status });
        b.HasIndex(c => c.CreatedAt);
        b.HasOne<Account>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Contact>().WithMany().HasForeignKey(c => c.ContactId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(c => c.Assignee).WithMany().HasForeignKey(c => c.AssigneeId).OnDelete(DeleteBehavior.Restrict);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.Ignore(c => c.AuditKey);
    }
}

/// <summary>What happened to a complaint; <c>Escalated</c> is the deadline job's, <c>EscalatedByHand</c> a person's (with their note).</summary>
public enum ComplaintEventKind { Received, StatusChanged, Assigned, Escalated, QualityIncidentRecorded, Note, EscalatedByHand }

/// <summary>One step on a complaint's timeline.</summary>
public sealed class ComplaintEvent
{
    public long Id { get; set; }
    public long ComplaintId { get; set; }
    public DateTime At { get; set; }
    public ComplaintEventKind Kind { get; set; }
    public ComplaintStatus? Status { get; set; }
    public string? UserId { get; set; }
    public string? Note { get; set; }
}

public sealed class ComplaintEventConfiguration : IEntityTypeConfiguration<ComplaintEvent>
{
    public void Configure(EntityTypeBuilder<ComplaintEvent> b)
    {
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(32);
        b.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.Note).HasMaxLength(2000);
        b.HasIndex(e => new { e.ComplaintId, e.At });
        b.HasOne<Complaint>().WithMany(c => c.Events).HasForeignKey(e => e.ComplaintId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>How many hours a complaint of a severity at an account of a tier may stay unresolved; the administrator edits the table.</summary>
public sealed class ComplaintDeadline : IAudited
{
    public ComplaintSeverity Severity { get; set; }
    public Tier Tier { get; set; }
    public int Hours { get; set; }

    public string AuditKey => $"{Severity}:{Tier}";
}

public sealed class ComplaintDeadlineConfiguration : IEntityTypeConfiguration<ComplaintDeadline>
{
    public void Configure(EntityTypeBuilder<ComplaintDeadline> b)
    {
        b.HasKey(d => new { d.Severity, d.Tier });
        b.Property(d => d.Severity).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.Tier).HasConversion<string>().HasMaxLength(16);
        b.Ignore(d => d.AuditKey);
    }
}
