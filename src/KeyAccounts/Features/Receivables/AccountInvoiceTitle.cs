using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Receivables;

/// <summary>
/// An account's invoice title (开票抬头): what goes on each invoice issued to it. The tax number (税号) is the account's unified
/// social credit code, kept on the account, so it is not repeated here.
/// </summary>
public sealed class AccountInvoiceTitle : IAudited, IBelongsToAccount
{
    public long AccountId { get; set; }
    public required string Name { get; set; }
    public string? Address { get; set; }
    public string? Phone { get; set; }
    public string? Bank { get; set; }
    public string? BankAccount { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedAt { get; set; }

    public string AuditKey => AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class AccountInvoiceTitleConfiguration : IEntityTypeConfiguration<AccountInvoiceTitle>
{
    public void Configure(EntityTypeBuilder<AccountInvoiceTitle> b)
    {
        b.ToTable("AccountInvoiceTitles");
        b.HasKey(t => t.AccountId);
        b.Property(t => t.AccountId).ValueGeneratedNever();
        b.Property(t => t.Name).HasMaxLength(200);
        b.Property(t => t.Address).HasMaxLength(300);
        b.Property(t => t.Phone).HasMaxLength(40);
        b.Property(t => t.Bank).HasMaxLength(200);
        b.Property(t => t.BankAccount).HasMaxLength(60);
        b.Property(t => t.Version).IsConcurrencyToken();
        b.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(t => t.AuditKey);
    }
}
