using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Surveys;

public enum QuestionKind { Csat, Nps, Text }

/// <summary>
/// A satisfaction survey (满意度调查) as designed: its questions in order. Each edit makes a new <see cref="Version"/>; a question
/// that was sent is never changed nor deleted, only closed at the version that replaced it, so a survey sent earlier (its
/// <see cref="SurveyInvitation.TemplateVersion"/>) keeps asking, and its answers keep pointing at, exactly what it was sent with.
/// A retired template is kept for the surveys sent with it but cannot be sent again.
/// </summary>
public sealed class SurveyTemplate : IAudited
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
    public DateTime? RetiredAt { get; set; }

    /// <summary>The question set's version and the optimistic-concurrency token; every saved change bumps it.</summary>
    public int Version { get; set; } = 1;
    public List<SurveyQuestion> Questions { get; set; } = [];

    public string AuditKey => Name;
}

/// <summary>One question of a template, part of the template's versions <see cref="FromVersion"/> up to (not including) <see cref="ToVersion"/>.</summary>
public sealed class SurveyQuestion : IAudited
{
    public long Id { get; set; }
    public long TemplateId { get; set; }
    public int Order { get; set; }
    public QuestionKind Kind { get; set; }
    public required string Text { get; set; }
    public int FromVersion { get; set; } = 1;
    public int? ToVersion { get; set; }

    public string AuditKey => $"{TemplateId}:{Id}";
}

/// <summary>
/// A survey sent to one contact: the link carries a random token of which only the SHA-256 hash is kept, so the database
/// alone cannot answer for anyone. It works once, until it expires. Sending one is a change of business data, so it is audited.
/// </summary>
public sealed class SurveyInvitation : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long TemplateId { get; set; }
    public SurveyTemplate? Template { get; set; }

    /// <summary>The template's version when sent: its questions are the ones asked.</summary>
    public int TemplateVersion { get; set; } = 1;
    public long AccountId { get; set; }
    public long ContactId { get; set; }
    public required string TokenHash { get; set; }
    public required string SentById { get; set; }
    public DateTime SentAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? AnsweredAt { get; set; }

    public string AuditKey => $"{AccountId}:{ContactId}:{Id}";
}

/// <summary>What a contact answered, attached to the account; the CSAT mean and the NPS answer are kept for the trend figures.</summary>
public sealed class SurveyResponse : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long InvitationId { get; set; }
    public long AccountId { get; set; }
    public long ContactId { get; set; }
    public DateTime AnsweredAt { get; set; }
    public double? Csat { get; set; }
    public int? Nps { get; set; }
    public List<SurveyAnswer> Answers { get; set; } = [];

    public string AuditKey => Id.ToString();
}

public sealed class SurveyAnswer
{
    public long Id { get; set; }
    public long ResponseId { get; set; }
    public long QuestionId { get; set; }
    public int? Score { get; set; }
    public string? Text { get; set; }
}

public sealed class SurveyConfiguration :
    IEntityTypeConfiguration<SurveyTemplate>, IEntityTypeConfiguration<SurveyQuestion>, IEntityTypeConfiguration<SurveyInvitation>,
    IEntityTypeConfiguration<SurveyResponse>, IEntityTypeConfiguration<SurveyAnswer>
{
    public void Configure(EntityTypeBuilder<SurveyTemplate> b)
    {
        b.Property(t => t.Name).HasMaxLength(200);
        b.Property(t => t.Version).HasDefaultValue(1).IsConcurrencyToken();
        b.HasIndex(t => new { t.RetiredAt, t.Name });
        b.HasMany(t => t.Questions).WithOne().HasForeignKey(q => q.TemplateId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(t => t.AuditKey);
    }

    public void Configure(EntityTypeBuilder<SurveyQuestion> b)
    {
        b.Property(q => q.Kind).HasConversion<string>().HasMaxLength(8);
        b.Property(q => q.Text).HasMaxLength(500);
        b.Property(q => q.FromVersion).HasDefaultValue(1);
        b.HasIndex(q => new { q.TemplateId, q.Order });
        b.Ignore(q => q.AuditKey);
    }

    public void Configure(EntityTypeBuilder<SurveyInvitation> b)
    {
        b.Property(i => i.TokenHash).HasMaxLength(64);
        b.Property(i => i.TemplateVersion).HasDefaultValue(1);
        b.HasIndex(i => i.TokenHash).IsUnique();
        b.HasIndex(i => new { i.AccountId, i.SentAt });
        b.HasOne(i => i.Template).WithMany().HasForeignKey(i => i.TemplateId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Account>().WithMany().HasForeignKey(i => i.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Contact>().WithMany().HasForeignKey(i => i.ContactId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(i => i.AuditKey);
    }

    public void Configure(EntityTypeBuilder<SurveyResponse> b)
    {
        b.HasIndex(r => r.InvitationId).IsUnique();
        b.HasIndex(r => new { r.AccountId, r.AnsweredAt });
        b.HasIndex(r => r.AnsweredAt);
        b.HasMany(r => r.Answers).WithOne().HasForeignKey(a => a.ResponseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<SurveyInvitation>().WithMany().HasForeignKey(r => r.InvitationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Account>().WithMany().HasForeignKey(r => r.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(r => r.AuditKey);
    }

    public void Configure(EntityTypeBuilder<SurveyAnswer> b)
    {
        b.Property(a => a.Text).HasMaxLength(2000);
        b.HasOne<SurveyQuestion>().WithMany().HasForeignKey(a => a.QuestionId).OnDelete(DeleteBehavior.Restrict);
    }
}
