using KeyAccounts.Data;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore.Storage;

namespace KeyAccounts.Features.Imports;

/// <summary>
/// One run of an import as the kinds see it: the caller, the options, the errors, and, unless it is a dry run, one transaction
/// and the bulk writer. Batches are written as they are checked; an all-or-nothing import stops writing at its first bad row
/// and is rolled back at the end, so nothing of a refused file stays. Creations the kind does not audit row by row are counted
/// here and audited as one summary per table.
/// </summary>
public sealed class ImportSession : IAsyncDisposable
{
    private readonly Dictionary<string, int> created = new(StringComparer.Ordinal);
    private IDbContextTransaction? transaction;

    private ImportSession(string kind, AppDb db, CurrentUser user, ImportOptions options, ImportErrors errors, DateTime now)
    {
        Kind = kind;
        Db = db;
        User = user;
        Options = options;
        Errors = errors;
        Now = now;
    }

    public string Kind { get; }
    public AppDb Db { get; }
    public CurrentUser User { get; }
    public ImportOptions Options { get; }
    public ImportErrors Errors { get; }
    public DateTime Now { get; }
    public BulkWriter Writer { get; private set; } = null!;

    /// <summary>True while rows are written: never in a dry run, and no longer once a bad row dooms an all-or-nothing import.</summary>
    public bool Writing { get; private set; }

    public static async Task<ImportSession> StartAsync(string kind, AppDb db, CurrentUser user, ImportOptions options, ImportErrors errors, TimeProvider clock,
        CancellationToken ct)
    {
        var session = new ImportSession(kind, db, user, options, errors, clock.GetUtcNow().UtcDateTime);
        if (!options.DryRun)
        {
            session.transaction = await db.Database.BeginTransactionAsync(ct);
            // Rows land in secondary indexes in no particular order, and each batch is checked against the tables before it is
            // written; a page cache that holds their hot pages keeps SQLite from spilling and re-reading them at every batch. The
            // pool resets the size when the connection is next opened.
            await db.Engine.PrepareForBulkImportAsync(db, ct);
            session.Writer = BulkWriter.For(db);
            session.Writing = true;
        }
        return session;
    }

    /// <summary>Called before each batch is written: an all-or-nothing import stops writing at its first bad row.</summary>
    public bool Check()
    {
        if (Errors.FileRejected || (Errors.Rejected > 0 && !Options.SkipInvalid)) Writing = false;
        return Writing;
    }

    public ImportAudit<T> Audit<T>() where T : class, IAudited => new(Db, Now);

    public Task WriteAuditAsync<T>(ImportAudit<T> audit, CancellationToken ct) where T : class, IAudited => audit.WriteAsync(Writer, ct);

    public void CountCreated(string entity, int count)
    {
        if (count > 0) created[entity] = created.GetValueOrDefault(entity) + count;
    }

    /// <summary>Commits when everything was written as asked; a dry run or a refused all-or-nothing import rolls back.</summary>
    public async Task<bool> FinishAsync(CancellationToken ct)
    {
        if (transaction is null || !Check()) return false;
        await ImportAudit.WriteAsync(Db, Writer,
            created.Select(c => ImportAudit.Summary(Db, Now, c.Key, Kind, c.Value, Errors.Rows, Errors.Rejected)).ToList(), ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (transaction is not null) await transaction.DisposeAsync();
    }
}
