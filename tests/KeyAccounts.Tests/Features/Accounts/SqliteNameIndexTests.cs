using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Accounts;

/// <summary>
/// SQLite's name index (an FTS5 table kept by triggers) survives a rebuild of the accounts table, which drops the triggers: the
/// step run after every migration puts them back and takes in the names written without them. Its own database file, on
/// SQLite whichever provider the suite runs on.
/// </summary>
public sealed class SqliteNameIndexTests : IAsyncLifetime
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"ka-fts-{Guid.NewGuid():N}.db");
    private SqliteAppDb db = null!;

    public async Task InitializeAsync()
    {
        db = new SqliteAppDb(new DbContextOptionsBuilder<SqliteAppDb>().UseSqlite($"Data Source={file};Pooling=false").Options);
        await db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        foreach (var f in new[] { file, file + "-wal", file + "-shm" }) if (File.Exists(f)) File.Delete(f);
    }

    [Fact]
    public async Task EnsureNameIndex_AfterTheTriggersWereDropped_PutsThemBackAndFindsWhatWasWrittenWithout()
    {
        Assert.Equal(3, await TriggersAsync());
        await db.Database.ExecuteSqlRawAsync(
            "DROP TRIGGER \"Accounts_NameSearch_Insert\"; DROP TRIGGER \"Accounts_NameSearch_Update\"; DROP TRIGGER \"Accounts_NameSearch_Delete\";");
        var id = await InsertAccountAsync("宁波索引重建精工有限公司");
        Assert.Empty(await MatchesAsync("索引重建"));

        await NameSearchIndex.EnsureSqliteAsync(db, CancellationToken.None);
        await NameSearchIndex.EnsureSqliteAsync(db, CancellationToken.None);

        Assert.Equal(3, await TriggersAsync());
        Assert.Equal([id], await MatchesAsync("索引重建"));
        await db.Database.ExecuteSqlRawAsync("UPDATE \"Accounts\" SET \"Name\" = '杭州触发器恢复机床有限公司' WHERE \"Id\" = {0}", id);
        Assert.Empty(await MatchesAsync("索引重建"));
        Assert.Equal([id], await MatchesAsync("触发器恢复"));
    }

    private Task<int> TriggersAsync() =>
        db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'Accounts_NameSearch_%'").SingleAsync();

    private Task<List<long>> MatchesAsync(string fragment) =>
        db.AccountNamesMatching("\"" + fragment + "\"").Select(m => m.AccountId).ToListAsync();

    /// <summary>An account row with every required column filled, written in SQL as a table rebuild's copy would be (no owner checks).</summary>
    private async Task<long> InsertAccountAsync(string name)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var required = new List<(string Name, string Type)>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name, type FROM pragma_table_info('Accounts') WHERE \"notnull\" = 1 AND dflt_value IS NULL AND pk = 0";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync()) required.Add((reader.GetString(0), reader.GetString(1)));
        }
        await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = OFF");
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO \"Accounts\" (" + string.Join(", ", required.Select(c => $"\"{c.Name}\"")) + ") VALUES (" +
                             string.Join(", ", required.Select(c => "$" + c.Name)) + ") RETURNING \"Id\"";
        foreach (var (column, type) in required)
            insert.Parameters.AddWithValue("$" + column, column == "Name" ? name : type.Contains("INT", StringComparison.OrdinalIgnoreCase) ? 0 : "X" + Guid.NewGuid().ToString("N")[..8]);
        return (long)(await insert.ExecuteScalarAsync())!;
    }
}
