namespace KeyAccounts.Features.Archives;

/// <summary>The archive as the editor binds it: mutable rows that become a <see cref="SaveArchive.Request"/> on save.</summary>
public sealed class ArchiveForm
{
    public int Version { get; set; }
    public ProductionScaleRow Scale { get; set; } = new();
    public List<ProductLineRow> ProductLines { get; set; } = [];
    public List<ProductionLineRow> ProductionLines { get; set; } = [];
    public List<DevelopmentPlanRow> DevelopmentPlans { get; set; } = [];
    public MarketShareRow MarketShare { get; set; } = new();
    public List<SalesRegionRow> SalesRegions { get; set; } = [];
    public List<SubDealerRow> SubDealers { get; set; } = [];
    public List<TerminalRow> Terminals { get; set; } = [];
    public List<CompetitorRow> Competitors { get; set; } = [];

    public static ArchiveForm From(ArchiveDto a) => new()
    {
        Version = a.Version,
        Scale = new()
        {
            Employees = a.ProductionScale.Employees, AnnualRevenue = a.ProductionScale.AnnualRevenue, AnnualCapacity = a.ProductionScale.AnnualCapacity,
            CapacityUnit = a.ProductionScale.CapacityUnit, PlantAreaSquareMetres = a.ProductionScale.PlantAreaSquareMetres, Notes = a.ProductionScale.Notes,
        },
        ProductLines = a.ProductLines.Select(p => new ProductLineRow { Name = p.Name, SharePercent = p.SharePercent, Description = p.Description }).ToList(),
        ProductionLines = a.ProductionLines.Select(p => new ProductionLineRow
        {
            Name = p.Name, Count = p.Count, Capacity = p.Capacity, UtilisationPercent = p.UtilisationPercent, Equipment = p.Equipment, Notes = p.Notes,
        }).ToList(),
        DevelopmentPlans = a.DevelopmentPlans.Select(p => new DevelopmentPlanRow { Horizon = p.Horizon, Plan = p.Plan, Investment = p.Investment }).ToList(),
        MarketShare = new()
        {
            SharePercent = a.MarketShare.SharePercent, IndustryRank = a.MarketShare.IndustryRank, AsOfYear = a.MarketShare.AsOfYear, Notes = a.MarketShare.Notes,
        },
        SalesRegions = a.SalesRegions.Select(p => new SalesRegionRow { Region = p.Region, SharePercent = p.SharePercent, Notes = p.Notes }).ToList(),
        SubDealers = a.SubDealers.Select(p => new SubDealerRow { Name = p.Name, Region = p.Region, AnnualVolume = p.AnnualVolume, Contact = p.Contact }).ToList(),
        Terminals = a.Terminals.Select(p => new TerminalRow { Name = p.Name, Region = p.Region, Kind = p.Kind }).ToList(),
        Competitors = a.Competitors.Select(p => new CompetitorRow
        {
            Name = p.Name, Position = p.Position, WalletSharePercent = p.WalletSharePercent, Products = p.Products, Strengths = p.Strengths, Weaknesses = p.Weaknesses,
        }).ToList(),
    };

    public SaveArchive.Request ToRequest(int? version) => new(
        new ProductionScale
        {
            Employees = Scale.Employees, AnnualRevenue = Scale.AnnualRevenue, AnnualCapacity = Scale.AnnualCapacity, CapacityUnit = Scale.CapacityUnit,
            PlantAreaSquareMetres = Scale.PlantAreaSquareMetres, Notes = Scale.Notes,
        },
        ProductLines.Select(p => new ProductLine(p.Name ?? "", p.SharePercent, p.Description)).ToList(),
        ProductionLines.Select(p => new ProductionLine(p.Name ?? "", p.Count, p.Capacity, p.UtilisationPercent, p.Equipment, p.Notes)).ToList(),
        DevelopmentPlans.Select(p => new DevelopmentPlan(p.Horizon ?? "", p.Plan ?? "", p.Investment)).ToList(),
        new MarketShare { SharePercent = MarketShare.SharePercent, IndustryRank = MarketShare.IndustryRank, AsOfYear = MarketShare.AsOfYear, Notes = MarketShare.Notes },
        SalesRegions.Select(p => new SalesRegion(p.Region ?? "", p.SharePercent, p.Notes)).ToList(),
        SubDealers.Select(p => new SubDealer(p.Name ?? "", p.Region, p.AnnualVolume, p.Contact)).ToList(),
        Terminals.Select(p => new Terminal(p.Name ?? "", p.Region, p.Kind)).ToList(),
        Competitors.Select(p => new Competitor(p.Name ?? "", p.Position, p.WalletSharePercent, p.Products, p.Strengths, p.Weaknesses)).ToList(),
        version);
}

public sealed class ProductionScaleRow
{
    public int? Employees { get; set; }
    public decimal? AnnualRevenue { get; set; }
    public decimal? AnnualCapacity { get; set; }
    public string? CapacityUnit { get; set; }
    public decimal? PlantAreaSquareMetres { get; set; }
    public string? Notes { get; set; }
}

public sealed class ProductLineRow
{
    public string? Name { get; set; }
    public decimal? SharePercent { get; set; }
    public string? Description { get; set; }
}

public sealed class ProductionLineRow
{
    public string? Name { get; set; }
    public int? Count { get; set; }
    public decimal? Capacity { get; set; }
    public decimal? UtilisationPercent { get; set; }
    public string? Equipment { get; set; }
    public string? Notes { get; set; }
}

public sealed class DevelopmentPlanRow
{
    public string? Horizon { get; set; }
    public string? Plan { get; set; }
    public decimal? Investment { get; set; }
}

public sealed class MarketShareRow
{
    public decimal? SharePercent { get; set; }
    public int? IndustryRank { get; set; }
    public int? AsOfYear { get; set; }
    public string? Notes { get; set; }
}

public sealed class SalesRegionRow
{
    public string? Region { get; set; }
    public decimal? SharePercent { get; set; }
    public string? Notes { get; set; }
}

public sealed class SubDealerRow
{
    public string? Name { get; set; }
    public string? Region { get; set; }
    public decimal? AnnualVolume { get; set; }
    public string? Contact { get; set; }
}

public sealed class TerminalRow
{
    public string? Name { get; set; }
    public string? Region { get; set; }
    public string? Kind { get; set; }
}

public sealed class CompetitorRow
{
    public string? Name { get; set; }
    public CompetitorPosition Position { get; set; } = CompetitorPosition.Equal;
    public decimal? WalletSharePercent { get; set; }
    public string? Products { get; set; }
    public string? Strengths { get; set; }
    public string? Weaknesses { get; set; }
}
