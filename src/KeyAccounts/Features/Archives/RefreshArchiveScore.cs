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

    /// <summary>The facts of several accounts in three queries (each id list is one array parameter), for a page of the completeness list or an import.</summary>
    public static async Task<Dictionary<long, ArchiveFacts>> FactsAsync(AppDb db, IReadOnlyCollection<long> accountIds, CancellationToken ct)
    {
        var ids = accountIds as long[] ?? accountIds.ToArray();
        var basics = await db.Accounts.Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Industry, a.Province, a.CreditCode }).ToListAsync(ct);
        var archives = await db.Archives.AsNoTracking().Where(a => ids.Contains(a.AccountId)).ToDictionaryAsync(a => a.AccountId, ct);
        var people = await db.Contacts.Where(c => ids.Contains(c.AccountId) && c.IsActive)
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
            var p = people.GetValueOrDefault(b.Id);
            return Facts(b.Industry, b.Province, b.CreditCode, archives.GetValueOrDefault(b.Id), p?.Count ?? 0, p?.DecisionMakers > 0, p?.KnownAttitude ?? 0);
        });
    }

    /// <summary>What an account's basics, archive and key-people counts amount to, for <see cref="ArchiveCompleteness"/>.</summary>
    public static ArchiveFacts Facts(string? industry, string? province, string? creditCode, AccountArchive? archive,
        int activeContacts, bool hasDecisionMaker, int contactsWithKnownAttitude)
    {
        archive ??= new AccountArchive();
        return new ArchiveFacts(
            HasIndustry: industry is not null,
            HasLocation: province is not null,
            HasCreditCode: creditCode is not null,
            HasProductionScale: archive.ProductionScale != new ProductionScale(),
            ProductLines: archive.ProductLines.Count,
            ProductionLines: archive.ProductionLines.Count,
            DevelopmentPlans: archive.DevelopmentPlans.Count,
            HasMarketShare: archive.MarketShare.SharePercent is not null || archive.MarketShare.IndustryRank is not null,
            SalesNetworkEntries: archive.SalesRegions.Count + archive.SubDealers.Count + archive.Terminals.Count,
            Competitors: archive.Competitors.Count,
            ActiveContacts: activeContacts,
            HasDecisionMaker: hasDecisionMaker,
            ContactsWithKnownAttitude: contactsWithKnownAttitude);
    }
}
