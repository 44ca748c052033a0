using KeyAccounts.Analytics;
using KeyAccounts.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// The forms of an account's name that are derived from it in C# (pinyin, the near-duplicate key), set wherever the name is set
/// (<see cref="AccountRules.Apply"/>, imports, generated data) and backfilled at start-up for rows written before they existed.
/// </summary>
public static class AccountSpellings
{
    public const int BackfillBatch = 5_000;

    public static void Set(Account a)
    {
        a.NamePinyin = FullPinyin.Of(a.Name);
        a.NameCore = CompanyName.Core(a.Name);
    }

    /// <summary>
    /// Spells the accounts whose <see cref="Account.NamePinyin"/> is still null, in batches by id, each batch in its own
    /// transaction (a restart goes on where it stopped). The rows are found through a partial index that holds only such rows,
    /// so once all are spelled this is one empty index read. Derived columns: no audit, no new row version.
    /// </summary>
    public static async Task<int> BackfillAsync(AppDb db, CancellationToken ct)
    {
        var spelled = 0;
        var table = new BulkTable<Account>(db, nameof(Account.NamePinyin), nameof(Account.NameCore));
        while (true)
        {
            var batch = await db.Accounts.AsNoTracking().Where(a => a.NamePinyin == null).OrderBy(a => a.Id)
                .Select(a => new { a.Id, a.Name }).Take(BackfillBatch).ToListAsync(ct);
            if (batch.Count == 0) return spelled;
            var rows = batch.Select(r =>
            {
                var a = new Account { Id = r.Id, Code = "", Name = r.Name, OwnerId = "" };
                Set(a);
                return a;
            }).ToList();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            spelled += await BulkWriter.For(db).UpdateAsync(table, rows, null, ct);
            await transaction.CommitAsync(ct);
        }
    }
}
