using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Data;

/// <summary>
/// The trigram indexes behind the account search (<see cref="AccountSearch"/>), over the name and its full pinyin: on SQLite the
/// FTS5 table <c>AccountNameSearch</c> with the trigram tokenizer (both columns), kept in sync by triggers; on PostgreSQL a pg_trgm
/// GIN index on each. Codes and initials match from the
/// start, as byte-ordered index ranges (collation "C" on PostgreSQL, SQLite's BINARY).
/// </summary>
public static class NameSearchIndex
{
    /// <summary>The SQLite FTS5 table (created by the initial migration; the pinyin migration added its second column).</summary>
    public const string SqliteTable = "AccountNameSearch";

    /// <summary>
    /// SQLite's half of the search model: the FTS5 table <c>AccountNameSearch</c> (created by the initial migration, outside
    /// the EF model) is read as a table-valued function, <c>"AccountNameSearch"(@query)</c>, which FTS5 answers like
    /// <c>MATCH @query</c>. Mapped this way the search is an ordinary query that EF caches; a raw <c>SqlQuery</c> with a parameter
    /// made EF generate the whole statement's SQL again on every request (~7% of a SQLite search's CPU).
    /// </summary>
    public static void ConfigureSqlite(ModelBuilder builder)
    {
        builder.Entity<AccountNameMatch>(b =>
        {
            b.HasNoKey();
            b.ToTable((string?)null);
            b.Property(m => m.AccountId).HasColumnName("rowid");
        });
        builder.HasDbFunction(typeof(SqliteAppDb).GetMethod(nameof(SqliteAppDb.AccountNamesMatching))!).HasName(SqliteTable);
    }

    /// <summary>
    /// The triggers that keep SQLite's <c>AccountNameSearch</c> (the name and its full pinyin) in step with <c>Accounts</c>, as the
    /// migration that added the pinyin creates them (<c>IF NOT EXISTS</c> here).
    /// </summary>
    internal const string SqliteTriggers = """
        CREATE TRIGGER IF NOT EXISTS "Accounts_NameSearch_Insert" AFTER INSERT ON "Accounts" BEGIN
            INSERT INTO "AccountNameSearch"(rowid, "Name", "NamePinyin") VALUES (new."Id", new."Name", new."NamePinyin");
        END;
        CREATE TRIGGER IF NOT EXISTS "Accounts_NameSearch_Delete" AFTER DELETE ON "Accounts" BEGIN
            INSERT INTO "AccountNameSearch"("AccountNameSearch", rowid, "Name", "NamePinyin") VALUES ('delete', old."Id", old."Name", old."NamePinyin");
        END;
        CREATE TRIGGER IF NOT EXISTS "Accounts_NameSearch_Update" AFTER UPDATE OF "Name", "NamePinyin" ON "Accounts" BEGIN
            INSERT INTO "AccountNameSearch"("AccountNameSearch", rowid, "Name", "NamePinyin") VALUES ('delete', old."Id", old."Name", old."NamePinyin");
            INSERT INTO "AccountNameSearch"(rowid, "Name", "NamePinyin") VALUES (new."Id", new."Name", new."NamePinyin");
        END;
        """;

    /// <summary>The FTS5 table over the name and its full pinyin, as the initial migration creates it.</summary>
    internal const string SqliteCreate = """
        CREATE VIRTUAL TABLE "AccountNameSearch" USING fts5("Name", "NamePinyin", content='Accounts', content_rowid='Id', tokenize='trigram');
        """;

    /// <summary>The statement that refills SQLite's name index from the accounts' names.</summary>
    public const string SqliteRebuild = $"INSERT INTO \"{SqliteTable}\"(\"{SqliteTable}\") VALUES ('rebuild');";

    /// <summary>
    /// SQLite: puts back the name index's triggers when they are missing, and rebuilds the index from the names. EF rebuilds a
    /// table on SQLite to drop some of its columns (a new table, the rows copied, the old one dropped), and the old table's
    /// triggers go with it: a later migration may do that to the accounts. Without the triggers new and renamed accounts would silently drop out of the
    /// name search. Run after every migration (<see cref="DataSetup.MigrateAsync"/>): one catalogue lookup when all is well.
    /// </summary>
    public static async Task EnsureSqliteAsync(AppDb db, CancellationToken ct)
    {
        var triggers = await db.Database
            .SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'Accounts' AND name LIKE 'Accounts\\_NameSearch\\_%' ESCAPE '\\'")
            .SingleAsync(ct);
        if (triggers == 3) return;
        await db.Database.ExecuteSqlRawAsync(SqliteTriggers + SqliteRebuild, ct);
    }

    /// <summary>
    /// PostgreSQL's half of the search model: byte-ordered code and initials, and a trigram index over the name (pg_trgm) for the
    /// company-wide search. A search inside a book reads the book's name index instead (<see cref="SqlDialect.NameInBookIndex"/>).
    /// </summary>
    public static void ConfigurePostgres(ModelBuilder builder)
    {
        builder.HasPostgresExtension("pg_trgm");
        builder.Entity<Account>(b =>
        {
            b.Property(a => a.Code).UseCollation("C");
            b.Property(a => a.NameInitials).UseCollation("C");
            b.HasIndex(a => a.Name, "IX_Accounts_Name_Trigram").HasMethod("gin").HasOperators("gin_trgm_ops");
            b.HasIndex(a => a.NamePinyin, "IX_Accounts_NamePinyin_Trigram").HasMethod("gin").HasOperators("gin_trgm_ops");
        });
    }
}
