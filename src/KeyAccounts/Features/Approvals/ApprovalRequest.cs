using KeyAccounts.Data;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Approvals;

/// <summary>
/// One document's way through its flow: the flow's steps as they were at submission, the step it is at, and what the document
/// told the flow (facts). A returned request is submitted again as a new round of the same request.
/// </summary>
public sealed class ApprovalRequest : IAudited
{
    public long Id { get; set; }
    public required string DocumentType { get; set; }
    public long DocumentId { get; set; }
    public long? AccountId { get; set; }

    /// <summary>Null when the system submitted it (a scheduled evaluation run).</summary>
    public string? SubmitterId { get; set; }
    public int? FlowId { get; set; }
    public string? FlowName { get; set; }
    public List<ApprovalStep> Steps { get; set; } = [];
    public ApprovalState State { get; set; }

    /// <summary>The index of the step under way in <see cref="Steps"/>; -1 when none (decided, or no flow).</summary>
    public int CurrentStep { get; set; } = -1;

    /// <summary>1 for the first submission, one more for each submission after a return.</summary>
    public int Round { get; set; } = 1;
    public required string Title { get; set; }
    public required string Link { get; set; }
    public Dictionary<string, decimal> Facts { get; set; } = [];
    public DateTime SubmittedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecidedById { get; set; }

    /// <summary>Why it was rejected, returned or withdrawn.</summary>
    public string? Reason { get; set; }
    public int Version { get; set; }

    public string AuditKey => $"{DocumentType} {DocumentId} approval {Id}";
}

public enum ApprovalTaskState
{
    /// <summary>A later approver of a sequential step: not yet theirs to decide.</summary>
    Waiting,
    Pending,
    Approved,
    Rejected,
    Returned,

    /// <summary>Another approver of an "any" step decided first.</summary>
    Skipped,

    /// <summary>The request was decided, returned or withdrawn before this approver acted.</summary>
    Cancelled,
}

/// <summary>One approver's part in one step of one round.</summary>
public sealed class ApprovalTask : IAudited
{
    public long Id { get; set; }
    public long RequestId { get; set; }
    public int Round { get; set; }
    public int Step { get; set; }

    /// <summary>The order within a sequential step; an added approver takes the position of who added them and follows them.</summary>
    public int Position { get; set; }
    public required string ApproverId { get; set; }
    public ApprovalTaskState State { get; set; }

    /// <summary>Added to the step by another approver (加签).</summary>
    public string? AddedById { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ActivatedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? Comment { get; set; }

    public string AuditKey => $"approval {RequestId} step {Step + 1}";
}

public enum ApprovalActionKind
{
    Submitted,
    Resubmitted,

    /// <summary>No flow matched: approved at once.</summary>
    NoFlow,
    StepStarted,

    /// <summary>Nobody was found for a step: the administrators approve it instead.</summary>
    NoApprover,
    Approved,
    Rejected,
    Returned,
    AddedApprover,
    Copied,
    Withdrawn,

    /// <summary>The last step was approved: the request is approved.</summary>
    Completed,

    /// <summary>Decided for every step at once by a leader or administrator through the document's own endpoint.</summary>
    DecidedForAll,
}

/// <summary>The history of a request: who did what, when and why. Append-only.</summary>
public sealed class ApprovalAction : IAudited
{
    public long Id { get; set; }
    public long RequestId { get; set; }
    public int Round { get; set; }
    public int? Step { get; set; }
    public ApprovalActionKind Kind { get; set; }
    public string? ActorId { get; set; }
    public DateTime At { get; set; }
    public string? Comment { get; set; }

    /// <summary>Who the action named: the approvers of a step started, the approvers added, the people copied.</summary>
    public List<string>? UserIds { get; set; }

    public string AuditKey => $"approval {RequestId}";
}

/// <summary>抄送: someone told of a request who does not decide it; it shows in their "copied to me" list.</summary>
public sealed class ApprovalCopy : IAudited
{
    public long Id { get; set; }
    public long RequestId { get; set; }
    public required string UserId { get; set; }
    public string? CopiedById { get; set; }
    public DateTime At { get; set; }

    public string AuditKey => $"approval {RequestId}";
}

public sealed class ApprovalRequestConfiguration : IEntityTypeConfiguration<ApprovalRequest>
{
    public void Configure(EntityTypeBuilder<ApprovalRequest> b)
    {
        b.Property(r => r.DocumentType).HasMaxLength(50);
        b.Property(r => r.SubmitterId).HasMaxLength(450);
        b.Property(r => r.FlowName).HasMaxLength(100);
        b.Property(r => r.Steps).HasJsonColumn();
        b.Property(r => r.Facts).HasJsonColumn();
        b.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Title).HasMaxLength(300);
        b.Property(r => r.Link).HasMaxLength(400);
        b.Property(r => r.DecidedById).HasMaxLength(450);
        b.Property(r => r.Reason).HasMaxLength(500);
        b.HasIndex(r => new { r.DocumentType, r.DocumentId });
        b.HasIndex(r => new { r.SubmitterId, r.SubmittedAt });
        b.HasIndex(r => r.AccountId);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.Ignore(r => r.AuditKey);
    }
}

public sealed class ApprovalTaskConfiguration : IEntityTypeConfiguration<ApprovalTask>
{
    public void Configure(EntityTypeBuilder<ApprovalTask> b)
    {
        b.Property(t => t.ApproverId).HasMaxLength(450);
        b.Property(t => t.AddedById).HasMaxLength(450);
        b.Property(t => t.State).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.Comment).HasMaxLength(500);
        // The inbox: a user's pending tasks, oldest first.
        b.HasIndex(t => new { t.ApproverId, t.State, t.ActivatedAt });
        b.HasIndex(t => new { t.RequestId, t.Round, t.Step });
        b.HasOne<ApprovalRequest>().WithMany().HasForeignKey(t => t.RequestId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(t => t.ApproverId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(t => t.AuditKey);
    }
}

public sealed class ApprovalActionConfiguration : IEntityTypeConfiguration<ApprovalAction>
{
    public void Configure(EntityTypeBuilder<ApprovalAction> b)
    {
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(a => a.ActorId).HasMaxLength(450);
        b.Property(a => a.Comment).HasMaxLength(500);
        b.Property(a => a.UserIds).HasJsonColumn();
        b.HasIndex(a => new { a.RequestId, a.Id });
        b.HasOne<ApprovalRequest>().WithMany().HasForeignKey(a => a.RequestId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(a => a.AuditKey);
    }
}

public sealed class ApprovalCopyConfiguration : IEntityTypeConfiguration<ApprovalCopy>
{
    public void Configure(EntityTypeBuilder<ApprovalCopy> b)
    {
        b.Property(c => c.UserId).HasMaxLength(450);
        b.Property(c => c.CopiedById).HasMaxLength(450);
        b.HasIndex(c => new { c.UserId, c.At });
        b.HasIndex(c => new { c.RequestId, c.UserId }).IsUnique();
        b.HasOne<ApprovalRequest>().WithMany().HasForeignKey(c => c.RequestId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(c => c.AuditKey);
    }
}
