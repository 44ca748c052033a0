using System.Linq.Expressions;

namespace KeyAccounts.Features.Archives;

/// <summary>The whole archive of one account as the API and the archive tab see it; version 0 means nothing was saved yet.</summary>
public sealed record ArchiveDto(
    long AccountId,
    ProductionScale ProductionScale,
    List<ProductLine> ProductLines,
    List<ProductionLine> ProductionLines,
    List<DevelopmentPlan> DevelopmentPlans,
    MarketShare MarketShare,
    List<SalesRegion> SalesRegions,
    List<SubDealer> SubDealers,
    List<Terminal> Terminals,
    List<Competitor> Competitors,
    DateTime? UpdatedAt,
    int Version)
{
    public static ArchiveDto Empty(long accountId) => new(accountId, new(), [], [], [], new(), [], [], [], [], null, 0);

    public static readonly Expression<Func<AccountArchive, ArchiveDto>> FromEntity = a => new ArchiveDto(
        a.AccountId, a.ProductionScale, a.ProductLines, a.ProductionLines, a.DevelopmentPlans, a.MarketShare,
        a.SalesRegions, a.SubDealers, a.Terminals, a.Competitors, a.UpdatedAt, a.Version);
}
