using System.Globalization;
using System.Text.Json;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Audit;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure.Auth;
using KeyAccounts.Infrastructure.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KeyAccounts.Features.Transactions;

/// <summary>
/// The errors of a transaction import. Files run to millions of rows, so every rejected row is counted but only the first
/// <see cref="Listed"/> errors are listed in the report.
/// </summary>
public sealed class TransactionErrors
{
    public const int Listed = 10_000;

    private readonly List<ImportError> listed = [];
    private int lastRejectedLine = -1;

    public int Rejected { get; private set; }

    public int Rows { get; set; }

    public void Add(int line, string column, FormattableString message)
    {
        if (listed.Count < Listed) listed.Add(ImportError.Of(line, column, message));
        if (line == lastRejectedLine) return;
        lastRejectedLine = line;
        Rejected++;
    }

    /// <summary>Whether the row on this line has been refused (rows are checked in file order).</summary>
    public bool IsRejected(int line) => line == lastRejectedLine;

    public ImportReport Report() =>
        new(Rows - Rejected, Rejected, listed.OrderBy(e => e.Line).ThenBy(e => e.Column, StringComparer.Ordinal).ToList());

    /// <summary>Without its required columns no row of the file can be read: every row is rejected.</summary>
    public ImportReport HeaderReport(ImportStream file) => new(0, file.Rows.Count(), file.HeaderErrors);
}

/// <summary>Cell parsing shared by the transaction imports: ISO dates (and the usual spreadsheet forms), invariant decimals.</summary>
public static class Cells
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyyMMdd"];
    private static readonly string[] DateTimeFormats = ["yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy/M/d H:mm", "yyyy/M/d H:mm:ss"];

    public static string? Required(ImportRow row, int column, string name, TransactionErrors errors, int maxLength = 40)
    {
        var value = row[column];
        if (value is null) errors.Add(row.Line, name, $"{name} is required.");
        else if (value.Length > maxLength) errors.Add(row.Line, name, $"{name} must be at most {maxLength} characters.");
        else return value;
        return null;
    }

    public static string? Optional(ImportRow row, int column, string name, TransactionErrors errors, int maxLength)
    {
        var value = row[column];
        if (value is not null && value.Length > maxLength)
        {
            errors.Add(row.Line, name, $"{name} must be at most {maxLength} characters.");
            return null;
        }
        return value;
    }

    public static DateOnly? Date(ImportRow row, int column, string name, TransactionErrors errors, bool required = true)
    {
        var text = row[column];
        if (text is null)
        {
            if (required) errors.Add(row.Line, name, $"{name} is required.");
            return null;
        }
        if (IsoDate(text) is { } iso) return iso;
        if (DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        if (DateTime.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)) return DateOnly.FromDateTime(time);
        errors.Add(row.Line, name, $"{name} must be a date like 2026-03-31, not {text}.");
        return null;
    }

    /// <summary>yyyy-MM-dd, the form nearly every row of an ERP export has, read without the general parser; null when it is another form or no date.</summary>
    private static DateOnly? IsoDate(string text)
    {
        if (text.Length != 10 || text[4] != '-' || text[7] != '-') return null;
        var year = 0;
        var month = 0;
        var day = 0;
        for (var i = 0; i < 10; i++)
        {
            if (i is 4 or 7) continue;
            var digit = text[i] - '0';
            if ((uint)digit > 9) return null;
            if (i < 4) year = year * 10 + digit;
            else if (i < 7) month = month * 10 + digit;
            else day = day * 10 + digit;
        }
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;
    }

    /// <summary>A decimal; negative values are refused unless <paramref name="negativeAllowed"/>.</summary>
    public static decimal? Decimal(ImportRow row, int column, string name, TransactionErrors errors, bool required = true, bool negativeAllowed = false)
    {
        var text = row[column];
        if (text is null)
        {
            if (required) errors.Add(row.Line, name, $"{name} is required.");
            return null;
        }
        if (!decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(row.Line, name, $"{name} must be a number, not {text}.");
            return null;
        }
        if (value < 0 && !negativeAllowed)
        {
            errors.Add(row.Line, name, $"{name} must not be negative.");
            return null;
        }
        return value;
    }
}

/// <summary>
/// What a transaction import shares across its chunks: the accounts the importer may write to (by code, cached),
/// the bulk writer inside one transaction, and the audit. Creations are audited as one summary entry per table and
/// import (an ERP load has millions of rows); updates row by row with before and after.
/// </summary>
public sealed class TransactionImportContext : IAsyncDisposable
{
    private const int Chunk = 5000;

    private readonly Dictionary<string, long?> visibleByCode = new(StringComparer.Ordinal);
    private readonly Dictionary<long, bool> writable = [];
    private readonly Dictionary<string, int> created = new(StringComparer.Ordinal);
    private readonly bool visibleIsWritable;
    private IDbContextTransaction? transaction;

    private TransactionImportContext(AppDb db, CurrentUser user, ImportOptions options, DateTime now, bool visibleIsWritable)
    {
        Db = db;
        User = user;
        Options = options;
        Now = now;
        this.visibleIsWritable = visibleIsWritable;
    }

    public AppDb Db { get; }
    public CurrentUser User { get; }
    public ImportOptions Options { get; }
    public DateTime Now { get; }
    public BulkWriter Writer { get; private set; } = null!;

    /// <summary>True while rows are written: never in a dry run, and no longer once a bad row dooms an all-or-nothing import.</summary>
    public bool Writing { get; private set; }

    /// <summary>Finance keeps the books: it writes invoices and payments of every account it can see.</summary>
    public static async Task<TransactionImportContext> StartAsync(AppDb db, CurrentUser user, ImportOptions options, TimeProvider clock, bool financeWrites,
        CancellationToken ct)
    {
        var context = new TransactionImportContext(db, user, options, clock.GetUtcNow().UtcDateTime, financeWrites && user.IsInRole(Roles.Finance));
        if (!options.DryRun)
        {
            context.transaction = await db.Database.BeginTransactionAsync(ct);
            // Lines land in three secondary indexes in no particular order; a page cache that holds their hot pages keeps
            // SQLite from re-reading them at millions of rows. The pool resets the size when the connection is next opened.
            if (!db.IsPostgres) await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-262144", ct);
            context.Writer = BulkWriter.For(db);
            context.Writing = true;
        }
        return context;
    }

    /// <summary>Called after each chunk: an all-or-nothing import stops writing at its first bad row (and rolls back at the end).</summary>
    public void Check(TransactionErrors errors)
    {
        if (errors.Rejected > 0 && !Options.SkipInvalid) Writing = false;
    }

    /// <summary>Loads the accounts of these codes that the importer can see; codes already looked up are not asked again.</summary>
    public async Task LoadAccountsAsync(IEnumerable<string> codes, CancellationToken ct)
    {
        var missing = codes.Where(c => !visibleByCode.ContainsKey(c)).Distinct().ToList();
        foreach (var chunk in missing.Chunk(Chunk))
        {
            foreach (var c in chunk) visibleByCode[c] = null;
            foreach (var a in await Db.Accounts.VisibleTo(Db, User).Where(a => chunk.Contains(a.Code)).Select(a => new { a.Id, a.Code }).ToListAsync(ct))
                visibleByCode[a.Code] = a.Id;
        }
        await LoadWritableAsync(missing.Select(c => visibleByCode[c]).OfType<long>(), ct);
    }

    /// <summary>Whether the importer may write transactions of these accounts (for records that already belong to one).</summary>
    public async Task LoadWritableAsync(IEnumerable<long> accountIds, CancellationToken ct)
    {
        var missing = accountIds.Where(id => !writable.ContainsKey(id)).Distinct().ToList();
        foreach (var chunk in missing.Chunk(Chunk))
        {
            foreach (var id in chunk) writable[id] = false;
            var accounts = visibleIsWritable ? Db.Accounts.VisibleTo(Db, User) : Db.Accounts.EditableBy(Db, User);
            foreach (var id in await accounts.Where(a => chunk.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct))
                writable[id] = true;
        }
    }

    /// <summary>
    /// The id of the account, or null with the row refused. An account the importer cannot see reads as unknown, so the
    /// answer does not reveal it exists.
    /// </summary>
    public long? Account(string code, int line, string column, TransactionErrors errors)
    {
        if (visibleByCode.GetValueOrDefault(code) is not { } id)
        {
            errors.Add(line, column, $"There is no account {code}.");
            return null;
        }
        if (!writable.GetValueOrDefault(id))
        {
            errors.Add(line, column, $"You may not change the transactions of account {code}.");
            return null;
        }
        return id;
    }

    public bool MayWrite(long accountId) => writable.GetValueOrDefault(accountId);

    public void CountCreated(string entity, int count)
    {
        if (count > 0) created[entity] = created.GetValueOrDefault(entity) + count;
    }

    public async Task WriteUpdatesAuditAsync<T>(ImportAudit<T> audit, CancellationToken ct) where T : class, IAudited =>
        await Writer.InsertAsync(ImportAudit<T>.Table(Db), audit.Entries, ct);

    /// <summary>Commits when everything was written as asked; a dry run or a refused all-or-nothing import rolls back.</summary>
    public async Task<bool> FinishAsync(string kind, TransactionErrors errors, CancellationToken ct)
    {
        if (transaction is null || !Writing) return false;
        var summaries = created.Select(c => new AuditEntry
        {
            At = Now,
            UserId = Db.Actor.UserId,
            UserName = Db.Actor.UserName,
            Entity = c.Key,
            EntityKey = $"import {Now:yyyy-MM-ddTHH:mm:ss}Z",
            Action = AuditAction.Created,
            After = JsonSerializer.Serialize(new { import = kind, created = c.Value, rows = errors.Rows, rejected = errors.Rejected }, Json.Options),
        }).ToList();
        await Writer.InsertAsync(ImportAudit<Product>.Table(Db), summaries, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (transaction is not null) await transaction.DisposeAsync();
    }
}
