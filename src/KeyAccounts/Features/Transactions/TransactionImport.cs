using System.Globalization;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Imports;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Transactions;

/// <summary>Cell parsing shared by the transaction imports: ISO dates (and the usual spreadsheet forms), invariant decimals.</summary>
public static class Cells
{
    private const decimal MaxDecimal = 100_000_000_000_000m;

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyyMMdd"];
    private static readonly string[] DateTimeFormats = ["yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy/M/d H:mm", "yyyy/M/d H:mm:ss"];

    public static string? Required(ImportRow row, int column, string name, ImportErrors errors, int maxLength = 40)
    {
        var value = row[column];
        if (value is null) errors.Add(row.Line, name, $"{name} is required.");
        else if (value.Length > maxLength) errors.Add(row.Line, name, $"{name} must be at most {maxLength} characters.");
        else return value;
        return null;
    }

    public static string? Optional(ImportRow row, int column, string name, ImportErrors errors, int maxLength)
    {
        var value = row[column];
        if (value is not null && value.Length > maxLength)
        {
            errors.Add(row.Line, name, $"{name} must be at most {maxLength} characters.");
            return null;
        }
        return value;
    }

    public static DateOnly? Date(ImportRow row, int column, string name, ImportErrors errors, bool required = true)
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
    public static decimal? Decimal(ImportRow row, int column, string name, ImportErrors errors, bool required = true, bool negativeAllowed = false)
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
        // The columns hold 18 digits with 4 decimals: a larger number would be refused by the database at write time.
        if (Math.Abs(value) >= MaxDecimal)
        {
            errors.Add(row.Line, name, $"{name} is out of range.");
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
/// The transaction kinds' part of an import session: the accounts the importer may write to (by code, cached). Creations are
/// audited as one summary entry per table and import (an ERP load has millions of rows); updates row by row with before and after.
/// </summary>
public sealed class TransactionImportContext
{
    private const int Chunk = 5000;

    private readonly Dictionary<string, long?> visibleByCode = new(StringComparer.Ordinal);
    private readonly Dictionary<long, bool> writable = [];
    private readonly bool visibleIsWritable;

    private TransactionImportContext(ImportSession session, bool visibleIsWritable)
    {
        Session = session;
        this.visibleIsWritable = visibleIsWritable;
    }

    public ImportSession Session { get; }
    public AppDb Db => Session.Db;
    public CurrentUser User => Session.User;
    public DateTime Now => Session.Now;
    public BulkWriter Writer => Session.Writer;
    public ImportErrors Errors => Session.Errors;

    /// <summary>True while rows are written: never in a dry run, and no longer once a bad row dooms an all-or-nothing import.</summary>
    public bool Writing => Session.Writing;

    /// <summary>Finance keeps the books: it writes invoices and payments of every account it can see.</summary>
    public static Task<TransactionImportContext> StartAsync(ImportSession session, bool financeWrites, CancellationToken ct) =>
        Task.FromResult(new TransactionImportContext(session, financeWrites && session.User.IsInRole(Roles.Finance)));

    /// <summary>Called after each chunk: an all-or-nothing import stops writing at its first bad row (and rolls back at the end).</summary>
    public void Check() => Session.Check();

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
    public long? Account(string code, int line, string column)
    {
        if (visibleByCode.GetValueOrDefault(code) is not { } id)
        {
            Errors.Add(line, column, $"There is no account {code}.");
            return null;
        }
        if (!writable.GetValueOrDefault(id))
        {
            Errors.Add(line, column, $"You may not change the transactions of account {code}.");
            return null;
        }
        return id;
    }

    public bool MayWrite(long accountId) => writable.GetValueOrDefault(accountId);

    public void CountCreated(string entity, int count) => Session.CountCreated(entity, count);

    public Task WriteUpdatesAuditAsync<T>(ImportAudit<T> audit, CancellationToken ct) where T : class, IAudited => Session.WriteAuditAsync(audit, ct);
}
