using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Evaluation;

/// <summary>
/// A person's judgement of one account on a judged criterion (客户行业影响力, 商业声誉, …) for one evaluation period:
/// 0–100 points, who scored it and why. A run over the same period uses it.
/// </summary>
public sealed class JudgedScore : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public required string Criterion { get; set; }
    public DateOnly PeriodStart { get; set; }
    public DateOnly PeriodEnd { get; set; }
    public decimal Score { get; set; }
    public required string Reason { get; set; }
    public required string ScoredById { get; set; }
    public string? ScoredByName { get; set; }
    public DateTime ScoredAt { get; set; }
    public int Version { get; set; }

    public string AuditKey => $"{Criterion} {PeriodStart:yyyy-MM-dd}..{PeriodEnd:yyyy-MM-dd}";
}

public sealed class JudgedScoreConfiguration : IEntityTypeConfiguration<JudgedScore>
{
    public void Configure(EntityTypeBuilder<JudgedScore> b)
    {
        b.Property(j => j.Criterion).HasMaxLength(40);
        b.HasIndex(j => new { j.PeriodStart, j.PeriodEnd, j.Criterion, j.AccountId }).IsUnique();
        b.HasIndex(j => j.AccountId);
        b.Property(j => j.Score).HasPrecision(6, 2);
        b.Property(j => j.Reason).HasMaxLength(500);
        b.Property(j => j.ScoredByName).HasMaxLength(256);
        b.HasOne<Account>().WithMany().HasForeignKey(j => j.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.Property(j => j.Version).IsConcurrencyToken();
        b.Ignore(j => j.AuditKey);
    }
}
