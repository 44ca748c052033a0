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

    public static async Task<ArchiveFacts> FactsAsync(AppDb db, long accountId, CancellationToken ct) =>
        (await FactsAsync(db, [accountId], ct))[accountId];

    /// <summary>The facts of several accounts in three queries, for a page of the completeness list.</summary>
    public static async Task<Dictionary<long, ArchiveFacts>> FactsAsync(AppDb db, IReadOnlyCollection<long> accountIds, CancellationToken ct)
    {
        var basics = await db.Accounts.Where(a => accountIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Industry, a.Province, a.CreditCode }).ToListAsync(ct);
        var archives = await db.Archives.AsNoTracking().Where(a => accountIds.Contains(a.AccountId)).ToDictionaryAsync(a => a.AccountId, ct);
        var people = await db.Contacts.Where(c => accountIds.Contains(c.AccountId) && c.IsActive)
            .GroupBy(c => c.AccountId)
            .Select(g => new
            {
                AccountId = g.Key,
                Count = g.Count(),
                DecisionMakers = g.Count(c => c.Role == BuyingRole.DecisionMaker),
                KnownAttitude = g.Count(c => c.Attitude != Attitude.Unknown),
            })
            .ToDictionaryAsync(p => p.AccountId, ct);
        return basics.ToDictionary(b => b.Id, b =>
        {
            var archive = archives.GetValueOrDefault(b.Id) ?? new AccountArchive();
            var p = people.GetValueOrDefault(b.Id);
            return new ArchiveFacts(
                HasIndustry: b.Industry is not null,
                HasLocation: b.Province is not null,
                HasCreditCode: b.CreditCode is not null,
                HasProductionScale: archive.ProductionScale != new ProductionScale(),
                ProductLines: archive.ProductLines.Count,
                ProductionLines: archive.ProductionLines.Count,
                DevelopmentPlans: archive.DevelopmentPlans.Count,
                HasMarketShare: archive.MarketShare.SharePercent is not null || archive.MarketShare.IndustryRank is not null,
                SalesNetworkEntries: archive.SalesRegions.Count + archive.SubDealers.Count + archive.Terminals.Count,
                Competitors: archive.Competitors.Count,
                ActiveContacts: p?.Count ?? 0,
                HasDecisionMaker: p?.DecisionMakers > 0,
                ContactsWithKnownAttitude: p?.KnownAttitude ?? 0);
        });
    }
}
