using System.Diagnostics;
using KeyAccounts.Analytics;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Imports;
using KeyAccounts.Infrastructure.Imports;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace KeyAccounts.Tests.Features.Imports;

public sealed class MicroTiming(ITestOutputHelper output)
{
    [Fact]
    public async Task Micro()
    {
        if (Environment.GetEnvironmentVariable("MICRO") is null) return;
        var names = Enumerable.Range(0, 100_000).Select(i => $"B{i}号精密机械有限公司").ToList();
        var sw = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        void T(string w) { var c = Process.GetCurrentProcess().TotalProcessorTime; output.WriteLine($"{w} wall={sw.ElapsedMilliseconds} cpu={(c - cpu).TotalMilliseconds}"); sw.Restart(); cpu = c; }
        foreach (var n in names) PinyinInitials.Of(n);
        T("pinyin");
        foreach (var n in names) CompanyName.Normalize(n);
        T("normalize");
        foreach (var n in names) AccountRules.Validate(new AccountFields("C1", n, AccountType.Customer, "机械", "浙江", "杭州", "9133010006FNNL5NX3"));
        T("validate");
        using var f = File.OpenRead("/tmp/imports-pg/accounts.csv");
        var table = ImportFile.Read(f, ImportFileType.Csv, ImportAccounts.Schema);
        T("read " + table.Rows.Count);

        var path = $"/tmp/imports-pg/micro/m{Guid.NewGuid():N}.db";
        var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<KeyAccounts.Data.SqliteAppDb>().UseSqlite($"Data Source={path}").Options;
        using var db = new KeyAccounts.Data.SqliteAppDb(options);
        Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.Migrate(db.Database);
        T("migrate");
        var now = DateTime.UtcNow;
        var accounts = names.Select((n, i) => new Account { Id = i + 1, Code = $"C{i}", Name = n, NormalizedName = CompanyName.Normalize(n), NameInitials = "ABC", OwnerId = "x", Industry = "机械", CreatedAt = now, UpdatedAt = now }).ToList();
        T("build");
        var audit = new ImportAudit<Account>(db, now);
        foreach (var a in accounts) audit.Created(a);
        T("audit json");
        db.Database.OpenConnection();
        db.Database.ExecuteSqlRaw("PRAGMA foreign_keys=OFF");
        using var tx = db.Database.BeginTransaction();
        var writer = BulkWriter.For(db);
        var table2 = new BulkTable<Account>(db, nameof(Account.Id), nameof(Account.Code), nameof(Account.Name), nameof(Account.NormalizedName),
            nameof(Account.NameInitials), nameof(Account.Type), nameof(Account.Industry), nameof(Account.Province), nameof(Account.City),
            nameof(Account.CreditCode), nameof(Account.ParentId), nameof(Account.OwnerId), nameof(Account.Tier), nameof(Account.Status),
            nameof(Account.ArchiveScore), nameof(Account.CreatedAt), nameof(Account.UpdatedAt), nameof(Account.Version));
        foreach (var a in accounts) foreach (var c in table2.Columns) c.Read(a);
        T("read columns");
        await writer.InsertAsync(table2, accounts, default);
        T("insert accounts");
        await writer.InsertAsync(ImportAudit<Account>.Table(db), audit.Entries, default);
        T("insert audit");
        tx.Commit();
        T("commit");
    }
}
