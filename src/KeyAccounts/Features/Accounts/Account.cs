using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Accounts;

public enum AccountType { Customer, Dealer }

/// <summary>客户等级: key (大客户), major (主要客户), ordinary (普通客户), small (小客户).</summary>
public enum Tier { Key, Major, Ordinary, Small }

public enum AccountStatus { Active, Dormant, Closed }

public sealed class Account : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }

    /// <summary>The name reduced for the duplicate check (查重): half-width, no spacing, no legal suffix.</summary>
    public string NormalizedName { get; set; } = "";

    /// <summary>Pinyin initials of the name, so "ZJHG" finds 浙江恒光.</summary>
    public string NameInitials { get; set; } = "";

    /// <summary>
    /// Full pinyin of the name, lower case and unseparated, so "hengli" finds 恒力石化 (<see cref="Analytics.FullPinyin"/>). Null
    /// only on rows written before the column existed, until the start-up backfill spells them (<see cref="AccountSpellings"/>).
    /// </summary>
    public string? NamePinyin { get; set; }

    /// <summary>
    /// The normalised name without its bracketed parts (<see cref="Analytics.CompanyName.Core"/>), for the near-duplicate warning:
    /// 恒力石化（大连）有限公司 and 恒力石化有限公司 share it. Null until backfilled, as <see cref="NamePinyin"/>.
    /// </summary>
    public string? NameCore { get; set; }
    public AccountType Type { get; set; }
    public string? Industry { get; set; }
    public string? Province { get; set; }
    public string? City { get; set; }
    public string? CreditCode { get; set; }
    public long? ParentId { get; set; }
    public Account? Parent { get; set; }
    public required string OwnerId { get; set; }
    public AppUser? Owner { get; set; }

    /// <summary>
    /// 归属部门: the owner's department, kept with the owner by <see cref="AccountDepartments"/> (a new owner, an owner who moves).
    /// A Manager's book is the accounts of the department subtree, so it is one index range instead of a list of owners.
    /// </summary>
    public int? DepartmentId { get; set; }
    public Tier Tier { get; set; } = Tier.Ordinary;
    public AccountStatus Status { get; set; } = AccountStatus.Active;

    /// <summary>Archive completeness, 0–100, kept current whenever the archive or its contacts change.</summary>
    public int ArchiveScore { get; set; }

    /// <summary>Since when the account has worked with us (合作起始日): its yearly anniversary is a care occasion.</summary>
    public DateOnly? CooperationSince
    {
        get;
        set
        {
            field = value;
            CooperationMonthDay = value is { } d ? d.Month * 100 + d.Day : null;
        }
    }

    /// <summary><see cref="CooperationSince"/> as MMDD, indexed for the anniversary reminders.</summary>
    public int? CooperationMonthDay { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public List<OwnershipChange> OwnershipChanges { get; set; } = [];

    public string AuditKey => Code;
    long IBelongsToAccount.AccountId => Id;

    public void TransferTo(string newOwnerId, string reason, DateTime at, string? byUserId)
    {
        if (newOwnerId == OwnerId) return;
        OwnershipChanges.Add(new OwnershipChange
        {
            AccountId = Id,
            FromUserId = OwnerId,
            ToUserId = newOwnerId,
            Reason = reason,
            ChangedAt = at,
            ChangedById = byUserId,
        });
        OwnerId = newOwnerId;
        UpdatedAt = at;
    }
}

public sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> b)
    {
        b.Property(a => a.Code).HasMaxLength(40);
        b.HasIndex(a => a.Code).IsUnique();
        b.Property(a => a.Name).HasMaxLength(200);
        b.Property(a => a.NormalizedName).HasMaxLength(200);
        b.HasIndex(a => a.NormalizedName);
        b.Property(a => a.NameInitials).HasMaxLength(200);
        b.HasIndex(a => a.NameInitials);
        b.Property(a => a.NamePinyin).HasMaxLength(1200);
        b.Property(a => a.NameCore).HasMaxLength(200);
        b.HasIndex(a => a.NameCore);
        // Empty once every row is spelled, so the start-up check for rows to backfill reads nothing.
        b.HasIndex(a => a.Id, "IX_Accounts_Unspelled").HasFilter("\"NamePinyin\" IS NULL");
        b.Property(a => a.Type).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Tier).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Industry).HasMaxLength(60);
        b.Property(a => a.Province).HasMaxLength(30);
        b.Property(a => a.City).HasMaxLength(30);
        b.Property(a => a.CreditCode).HasMaxLength(18);
        b.HasIndex(a => a.CreditCode).IsUnique();
        b.HasOne(a => a.Parent).WithMany().HasForeignKey(a => a.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(a => a.Owner).WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Department>().WithMany().HasForeignKey(a => a.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        // The list is sorted by name (then id) under every filter, so each filter column leads an index that continues with Name and
        // Id (the owner's and the department's: ConfigureBookIndex). A department's book (a Manager's) by tier: the page is the first
        // entries of one range.
        b.HasIndex(a => new { a.DepartmentId, a.Tier, a.Name, a.Id });
        b.HasIndex(a => new { a.Province, a.Name, a.Id });
        b.HasIndex(a => new { a.Industry, a.Name, a.Id });
        b.HasIndex(a => new { a.ArchiveScore, a.Name, a.Id });
        b.HasIndex(a => new { a.UpdatedAt, a.Id });
        b.HasIndex(a => a.CooperationMonthDay);
        b.Property(a => a.Version).IsConcurrencyToken();
        b.Ignore(a => a.AuditKey);
    }

    /// <summary>
    /// The indexes a book is read through. <c>IX_Accounts_Book</c>: the owner leads, then the columns every list filter, sort and
    /// in-book search reads, so a rep's book of thousands is filtered, counted and sorted inside this one index and only the page's
    /// rows are fetched. The owner's and the department's name-ordered indexes carry the code, the pinyin initials and the full pinyin: a search
    /// inside a book checks its whole match on each entry while it reads the book in name order (<see cref="AccountSearch.Matching"/>).
    /// PostgreSQL carries the columns that are only read as INCLUDE; SQLite has no INCLUDE, so they are key columns there.
    /// </summary>
    /// <remarks>
    /// A book that is not one range of those indexes (shared accounts besides the own, a Manager of several departments) sorted by
    /// name may be read along the company-wide name index, checking each entry until the page is full. On PostgreSQL the name and
    /// tier indexes carry the owner as INCLUDE, so that check reads index pages only,
    /// not the table's.
    /// </remarks>
    public static void ConfigureBookIndex(ModelBuilder builder, bool postgres) => builder.Entity<Account>(b =>
    {
        if (postgres)
        {
            b.HasIndex(a => new { a.OwnerId, a.Name, a.Id }).IncludeProperties(a => new { a.Code, a.NameInitials, a.NamePinyin });
            b.HasIndex(a => new { a.DepartmentId, a.Name, a.Id }).IncludeProperties(a => new { a.Code, a.NameInitials, a.NamePinyin });
            b.HasIndex(a => new { a.Name, a.Id }).IncludeProperties(a => a.OwnerId);
            b.HasIndex(a => new { a.Tier, a.Name, a.Id }).IncludeProperties(a => a.OwnerId);
        }
        else
        {
            b.HasIndex(a => new { a.OwnerId, a.Name, a.Id, a.Code, a.NameInitials, a.NamePinyin });
            b.HasIndex(a => new { a.DepartmentId, a.Name, a.Id, a.Code, a.NameInitials, a.NamePinyin });
            b.HasIndex(a => new { a.Name, a.Id });
            b.HasIndex(a => new { a.Tier, a.Name, a.Id });
        }
        if (postgres)
            b.HasIndex(a => new { a.OwnerId, a.Tier, a.ArchiveScore, a.Name, a.Id }, "IX_Accounts_Book")
                .IncludeProperties(a => new { a.Code, a.NameInitials, a.NamePinyin, a.Type, a.Status, a.Province, a.Industry, a.UpdatedAt });
        else
            b.HasIndex(a => new { a.OwnerId, a.Tier, a.ArchiveScore, a.Name, a.Id, a.Code, a.NameInitials, a.NamePinyin, a.Type, a.Status, a.Province, a.Industry, a.UpdatedAt },
                "IX_Accounts_Book");
    });
}

public enum ShareAccess { Read, ReadWrite }

/// <summary>An account shared with a user who does not own it (共享), read-only or read-write.</summary>
public sealed class AccountShare : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public required string UserId { get; set; }
    public ShareAccess Access { get; set; }
    public DateTime CreatedAt { get; set; }
    public string AuditKey => $"{AccountId}:{UserId}";
}

public sealed class AccountShareConfiguration : IEntityTypeConfiguration<AccountShare>
{
    public void Configure(EntityTypeBuilder<AccountShare> b)
    {
        b.HasIndex(s => new { s.UserId, s.AccountId }).IsUnique();
        b.HasIndex(s => s.AccountId);
        b.Property(s => s.Access).HasConversion<string>().HasMaxLength(16);
        b.HasOne<Account>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(s => s.AuditKey);
    }
}

/// <summary>Who owned an account when: one row per hand-over, kept for ever.</summary>
public sealed class OwnershipChange
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public string? FromUserId { get; set; }
    public required string ToUserId { get; set; }
    public required string Reason { get; set; }
    public DateTime ChangedAt { get; set; }
    public string? ChangedById { get; set; }
}

public sealed class OwnershipChangeConfiguration : IEntityTypeConfiguration<OwnershipChange>
{
    public void Configure(EntityTypeBuilder<OwnershipChange> b)
    {
        b.HasIndex(o => new { o.AccountId, o.ChangedAt });
        b.Property(o => o.Reason).HasMaxLength(500);
        b.HasOne<Account>().WithMany(a => a.OwnershipChanges).HasForeignKey(o => o.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
