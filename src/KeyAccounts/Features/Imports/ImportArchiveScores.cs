using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Archives;
using KeyAccounts.Features.Contacts;
using KeyAccounts.Infrastructure.Imports;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Imports;

/// <summary>
/// Archive completeness for many accounts at once after an import: the facts of <see cref="RefreshArchiveScore"/>
/// gathered set-based in chunks instead of three queries an account, and only changed scores written back.
/// </summary>
public static class ImportArchiveScores
{
    // Each chunk is one array parameter (json_each on SQLite, = ANY on PostgreSQL), not thousands of scalar ones.
    private const int Chunk = 5000;

    /// <summary>The score of an account that has only its basics: what a newly created account starts with.</summary>
    public static int ForBasics(Account a) => ArchiveCompleteness.Score(Facts(a.Industry, a.Province, a.CreditCode, null, 0, false, 0)).Score;

    public static async Task RefreshAsync(AppDb db, BulkWriter writer, IEnumerable<long> accountIds, CancellationToken ct)
    {
        var changed = new List<Account>();
        foreach (var chunk in accountIds.Distinct().Chunk(Chunk))
        {
            var basics = await db.Accounts.Where(a => EF.Parameter(chunk).Contains(a.Id))
                .Select(a => new { a.Id, a.Industry, a.Province, a.CreditCode, a.ArchiveScore }).ToListAsync(ct);
            var archives = await db.Archives.AsNoTracking().Where(a => EF.Parameter(chunk).Contains(a.AccountId)).ToDictionaryAsync(a => a.AccountId, ct);
            var people = await db.Contacts.Where(c => EF.Parameter(chunk).Contains(c.AccountId) && c.IsActive)
                .GroupBy(c => c.AccountId)
                .Select(g => new
                {
                    AccountId = g.Key,
                    Count = g.Count(),
                    DecisionMaker = g.Any(c => c.Role == BuyingRole.DecisionMaker),
                    Known = g.Count(c => c.Attitude != Attitude.Unknown),
                })
                .ToDictionaryAsync(p => p.AccountId, ct);
            foreach (var b in basics)
            {
                people.TryGetValue(b.Id, out var p);
                var score = ArchiveCompleteness.Score(Facts(b.Industry, b.Province, b.CreditCode, archives.GetValueOrDefault(b.Id),
                    p?.Count ?? 0, p?.DecisionMaker ?? false, p?.Known ?? 0)).Score;
                if (score != b.ArchiveScore) changed.Add(new Account { Id = b.Id, Code = "", Name = "", OwnerId = "", ArchiveScore = score });
            }
        }
        await writer.UpdateAsync(new BulkTable<Account>(db, nameof(Account.ArchiveScore)), changed, null, ct);
    }

    private static ArchiveFacts Facts(string? industry, string? province, string? creditCode, AccountArchive? archive, int contacts, bool decisionMaker, int knownAttitudes)
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
            ActiveContacts: contacts,
            HasDecisionMaker: decisionMaker,
            ContactsWithKnownAttitude: knownAttitudes);
    }
}
