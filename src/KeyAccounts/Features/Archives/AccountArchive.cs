using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Archives;

/// <summary>
/// 大客户业务档案: the standardised business archive of one account. Each section is typed data;
/// the lists are stored as JSON columns so the archive is saved, versioned and audited as one unit.
/// </summary>
public sealed class AccountArchive : IAudited, IBelongsToAccount
{
    public long AccountId { get; set; }
    public ProductionScale ProductionScale { get; set; } = new();
    public List<ProductLine> ProductLines { get; set; } = [];
    public List<ProductionLine> ProductionLines { get; set; } = [];
    public List<DevelopmentPlan> DevelopmentPlans { get; set; } = [];
    public MarketShare MarketShare { get; set; } = new();
    public List<SalesRegion> SalesRegions { get; set; } = [];
    public List<SubDealer> SubDealers { get; set; } = [];
    public List<Terminal> Terminals { get; set; } = [];
    public List<Competitor> Competitors { get; set; } = [];
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public string AuditKey => AccountId.ToString();
}

/// <summary>生产规模.</summary>
public sealed record ProductionScale
{
    public int? Employees { get; init; }
    public decimal? AnnualRevenue { get; init; }
    public decimal? AnnualCapacity { get; init; }
    public string? CapacityUnit { get; init; }
    public decimal? PlantAreaSquareMetres { get; init; }
    public string? Notes { get; init; }
}

/// <summary>产品结构: one product line of the account and its share of the account's output.</summary>
public sealed record ProductLine(string Name, decimal? SharePercent = null, string? Description = null);

/// <summary>生产线状况.</summary>
public sealed record ProductionLine(string Name, int? Count = null, decimal? Capacity = null, decimal? UtilisationPercent = null,
    string? Equipment = null, string? Notes = null);

/// <summary>发展规划.</summary>
public sealed record DevelopmentPlan(string Horizon, string Plan, decimal? Investment = null);

/// <summary>同行业市场份额.</summary>
public sealed record MarketShare
{
    public decimal? SharePercent { get; init; }
    public int? IndustryRank { get; init; }
    public int? AsOfYear { get; init; }
    public string? Notes { get; init; }
}

/// <summary>销售网络: a region the account sells into.</summary>
public sealed record SalesRegion(string Region, decimal? SharePercent = null, string? Notes = null);

/// <summary>销售网络: a sub-dealer (二级经销商) of the account.</summary>
public sealed record SubDealer(string Name, string? Region = null, decimal? AnnualVolume = null, string? Contact = null);

/// <summary>销售网络: a terminal (终端) the account supplies.</summary>
public sealed record Terminal(string Name, string? Region = null, string? Kind = null);

public enum CompetitorPosition { Leading, Strong, Equal, Weak, Marginal }

/// <summary>竞争者分析: a competitor present at the account and its position there.</summary>
public sealed record Competitor(string Name, CompetitorPosition Position, decimal? WalletSharePercent = null,
    string? Products = null, string? Strengths = null, string? Weaknesses = null);

public sealed class AccountArchiveConfiguration : IEntityTypeConfiguration<AccountArchive>
{
    public void Configure(EntityTypeBuilder<AccountArchive> b)
    {
        b.HasKey(a => a.AccountId);
        b.HasOne<Account>().WithOne().HasForeignKey<AccountArchive>(a => a.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.Property(a => a.ProductionScale).HasJsonConversion();
        b.Property(a => a.MarketShare).HasJsonConversion();
        b.Property(a => a.ProductLines).HasJsonConversion();
        b.Property(a => a.ProductionLines).HasJsonConversion();
        b.Property(a => a.DevelopmentPlans).HasJsonConversion();
        b.Property(a => a.SalesRegions).HasJsonConversion();
        b.Property(a => a.SubDealers).HasJsonConversion();
        b.Property(a => a.Terminals).HasJsonConversion();
        b.Property(a => a.Competitors).HasJsonConversion();
        b.Property(a => a.Version).IsConcurrencyToken();
        b.Ignore(a => a.AuditKey);
    }
}
