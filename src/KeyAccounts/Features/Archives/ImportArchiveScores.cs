using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Archives;

/// <summary>
/// Archive completeness for many accounts at once after an import: the facts of <see cref="RefreshArchiveScore"/>
/// gathered set-based in chunks instead of three queries an account, and only changed scores written back.
/// </summary>
public static class ImportArchiveScores
{
    // Each chunk is one array parameter (json_each on SQLite, = ANY on PostgreSQL; see DataSetup), not thousands of scalar ones.
    private const int Chunk = 5000;

    /// <summary>The score of an account that has only its basics: what a newly created account starts with.</summary>
    public static int ForBasics(Account a) =>
        ArchiveCompleteness.Score(RefreshArchiveScore.Facts(a.Industry, a.Province, a.CreditCode, null, 0, false, 0)).Score;

    public static async Task RefreshAsync(AppDb db, BulkWriter writer, IEnumerable<long> accountIds, CancellationToken ct)
    {
        var changed = new List<Account>();
        foreach (var chunk in accountIds.Distinct().Chunk(Chunk))
        {
            var facts = await RefreshArchiveScore.FactsAsync(db, chunk, ct);
            var stored = await db.Accounts.Where(a => chunk.Contains(a.Id))
                .Select(a => new { a.Id, a.ArchiveScore }).ToDictionaryAsync(a => a.Id, a => a.ArchiveScore, ct);
            foreach (var (id, f) in facts)
            {
                var score = ArchiveCompleteness.Score(f).Score;
                if (score != stored[id]) changed.Add(new Account { Id = id, Code = "", Name = "", OwnerId = "", ArchiveScore = score });
            }
        }
        await writer.UpdateAsync(new BulkTable<Account>(db, nameof(Account.ArchiveScore)), changed, null, ct);
    }
}
