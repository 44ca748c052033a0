using KeyAccounts.Data;
using KeyAccounts.Features.Evaluation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Approvals;

/// <summary>Who approves a step.</summary>
public enum ApproverKind
{
    /// <summary>The line manager of the account's owner (of the submitter when the document has no account).</summary>
    OwnerManager,

    /// <summary>N levels up the department tree from the owner (or submitter): 1 is their line manager, 2 that manager's, …</summary>
    ManagerLevelsUp,

    /// <summary>The head of a named department.</summary>
    DepartmentHead,

    /// <summary>Every active user with a role.</summary>
    Role,

    /// <summary>Named users.</summary>
    NamedUsers,
}

/// <summary>How a step's approvers decide: 会签 all of them, 或签 any one, 依次 one after another.</summary>
public enum ApprovalMode { All, Any, Sequential }

public enum ConditionOperator { Gt, Ge, Lt, Le, Eq, Ne }

/// <summary>A test of one fact of the submission, e.g. <c>discountPercent Gt 10</c>. A fact the submission does not give fails it.</summary>
public sealed record ApprovalCondition(string Fact, ConditionOperator Operator, decimal Value)
{
    public bool Holds(IReadOnlyDictionary<string, decimal> facts) =>
        facts.FirstOrDefault(f => string.Equals(f.Key, Fact, StringComparison.OrdinalIgnoreCase)) is { Key: not null } fact && Operator switch
        {
            ConditionOperator.Gt => fact.Value > Value,
            ConditionOperator.Ge => fact.Value >= Value,
            ConditionOperator.Lt => fact.Value < Value,
            ConditionOperator.Le => fact.Value <= Value,
            ConditionOperator.Eq => fact.Value == Value,
            _ => fact.Value != Value,
        };
}

/// <summary>One step of a flow; a request keeps a copy of its flow's steps, so editing a flow never changes a request under way.</summary>
public sealed record ApprovalStep(string Name, ApproverKind Kind, ApprovalMode Mode, int? Levels = null, int? DepartmentId = null, string? Role = null,
    IReadOnlyList<string>? UserIds = null);

/// <summary>
/// 审批流: how one type of document is approved. Among the active flows of a type, the one with the highest priority whose conditions
/// all hold for the submission's facts is used (ties: the older); a document that no flow matches is approved at once.
/// </summary>
public sealed class ApprovalFlow : IAudited
{
    public int Id { get; set; }
    public required string DocumentType { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public int Priority { get; set; }
    public List<ApprovalCondition> Conditions { get; set; } = [];
    public List<ApprovalStep> Steps { get; set; } = [];
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public string AuditKey => $"{DocumentType} {Name}";
}

public sealed class ApprovalFlowConfiguration : IEntityTypeConfiguration<ApprovalFlow>
{
    public void Configure(EntityTypeBuilder<ApprovalFlow> b)
    {
        b.Property(f => f.DocumentType).HasMaxLength(50);
        b.Property(f => f.Name).HasMaxLength(100);
        b.Property(f => f.Description).HasMaxLength(500);
        b.Property(f => f.Conditions).HasJsonColumn();
        b.Property(f => f.Steps).HasJsonColumn();
        b.HasIndex(f => new { f.DocumentType, f.IsActive, f.Priority });
        b.Property(f => f.Version).IsConcurrencyToken();
        b.Ignore(f => f.AuditKey);
    }
}
