using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Contacts;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Archives;

/// <summary>Recomputes an account's archive completeness after its archive, basics or contacts change.</summary>
public static class RefreshArchiveScore
{
    public static async Task<ArchiveCompletenessResult> HandleAsync(AppDb db, long accountId, CancellationToken ct)
    {
        var facts = await FactsAsync(db, accountId, ct);
        var result = ArchiveCompleteness.Score(facts);
        await db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.ArchiveScore, result.Score), ct);
        return result;
    }

    public static async Task<ArchiveFacts> FactsAsync(AppDb db, long accountId, CancellationToken ct)
    {
        var basics = await db.Accounts.Where(a => a.Id == accountId)
            .Select(a => new { a.Industry, a.Province, a.CreditCode }).FirstAsync(ct);
        var archive = await db.Archives.AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == accountId, ct) ?? new AccountArchive();
        var people = await db.Contacts.Where(c => c.AccountId == accountId && c.IsActive)
            .Select(c => new { c.Role, c.Attitude }).ToListAsync(ct);
        return new ArchiveFacts(
            HasIndustry: basics.Industry is not null,
            HasLocation: basics.Province is not null,
            HasCreditCode: basics.CreditCode is not null,
            HasProductionScale: archive.ProductionScale != new ProductionScale(),
            ProductLines: archive.ProductLines.Count,
            ProductionLines: archive.ProductionLines.Count,
            DevelopmentPlans: archive.DevelopmentPlans.Count,
            HasMarketShare: archive.MarketShare.SharePercent is not null || archive.MarketShare.IndustryRank is not null,
            SalesNetworkEntries: archive.SalesRegions.Count + archive.SubDealers.Count + archive.Terminals.Count,
            Competitors: archive.Competitors.Count,
            ActiveContacts: people.Count,
            HasDecisionMaker: people.Any(p => p.Role == BuyingRole.DecisionMaker),
            ContactsWithKnownAttitude: people.Count(p => p.Attitude != Attitude.Unknown));
    }
}
