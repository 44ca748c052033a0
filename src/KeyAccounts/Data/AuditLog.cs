using System.Runtime.CompilerServices;
using System.Text.Json;
using KeyAccounts.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KeyAccounts.Data;

/// <summary>
/// The audit log of every save, and the row versions: registered after every other save interceptor (<see cref="DataSetup"/>),
/// so it sees what the features' save-time rules set (an account's department) and writes in the same transaction
/// (<see cref="AppDb.SaveChangesAsync(bool, CancellationToken)"/> opens it). Before the save it captures before/after of each
/// audited change and moves the versions of modified rows on; after it, it adds the audit rows and saves them.
/// </summary>
public sealed class AuditLog : PerSaveInterceptor
{
    public static readonly AuditLog Instance = new();

    /// <summary>The changes captured before a save, by context, until they are written after it.</summary>
    private readonly ConditionalWeakTable<DbContext, List<(EntityEntry Entry, PendingAudit Pending)>> pending = [];

    /// <summary>Bookkeeping and secrets never go into the audit log (a survey link's or calendar feed's token hash opens it).</summary>
    private static readonly HashSet<string> NotAudited =
        ["Version", "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "NormalizedUserName", "NormalizedEmail", "AccessFailedCount", "TokenHash"];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Capture(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Capture(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (Take(eventData.Context) is not null) eventData.Context!.SaveChanges();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context) is not null) await eventData.Context!.SaveChangesAsync(cancellationToken);
        return result;
    }

    private void Capture(DbContext? context)
    {
        if (context is not AppDb db) return;
        // The save-time rules before it changed entities through their entries, so their changes are tracked already.
        var audited = db.ChangeTracker.Entries()
            .Where(e => e.Entity is IAudited && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => (Entry: e, Pending: PendingAudit.Capture(e)))
            .Where(a => a.Pending is not null)
            .Select(a => (a.Entry, Pending: a.Pending!))
            .ToList();
        if (audited.Count == 0)
        {
            pending.Remove(db);
            return;
        }
        foreach (var (entry, _) in audited)
            if (entry.State == EntityState.Modified && entry.Metadata.FindProperty("Version") is { } version && version.IsConcurrencyToken)
                entry.Property("Version").CurrentValue = (int)entry.Property("Version").OriginalValue! + 1;
        pending.AddOrUpdate(db, audited);
    }

    /// <summary>Adds the audit rows of the save just made to the context (saved by the caller); null when there are none.</summary>
    private List<AuditEntry>? Take(DbContext? context)
    {
        if (context is not AppDb db || !pending.TryGetValue(db, out var audited)) return null;
        pending.Remove(db);
        var at = db.Clock.GetUtcNow().UtcDateTime;
        var entries = audited.Select(a => a.Pending.ToEntry(a.Entry, db.Actor, at)).ToList();
        db.AuditEntries.AddRange(entries);
        return entries;
    }

    protected override void Forget(DbContext context) => pending.Remove(context);

    private sealed record PendingAudit(AuditAction Action, Dictionary<string, object?>? Before, Dictionary<string, object?>? After)
    {
        public static PendingAudit? Capture(EntityEntry e)
        {
            IEnumerable<PropertyEntry> props = e.Properties.Where(p => !NotAudited.Contains(p.Metadata.Name));
            return e.State switch
            {
                EntityState.Added => new(AuditAction.Created, null, null),
                EntityState.Deleted => new(AuditAction.Deleted, props.ToDictionary(p => p.Metadata.Name, p => p.OriginalValue), null),
                _ => Modified(props.Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)).ToList()),
            };
        }

        private static PendingAudit? Modified(List<PropertyEntry> changed) => changed.Count == 0 ? null : new(AuditAction.Updated,
            changed.ToDictionary(p => p.Metadata.Name, p => p.OriginalValue),
            changed.ToDictionary(p => p.Metadata.Name, p => p.CurrentValue));

        public AuditEntry ToEntry(EntityEntry e, AuditActor actor, DateTime at)
        {
            // The key of an added row exists only after the insert, so "after" is read then.
            var after = Action == AuditAction.Created
                ? e.Properties.Where(p => !NotAudited.Contains(p.Metadata.Name)).ToDictionary(p => p.Metadata.Name, p => p.CurrentValue)
                : After;
            return new AuditEntry
            {
                At = at,
                UserId = actor.UserId,
                UserName = actor.UserName,
                Entity = e.Metadata.ClrType.Name,
                EntityKey = ((IAudited)e.Entity).AuditKey,
                AccountId = e.Entity is IBelongsToAccount b ? b.AccountId : null,
                Action = Action,
                Before = Before is null ? null : JsonSerializer.Serialize(Before, Json.Options),
                After = after is null ? null : JsonSerializer.Serialize(after, Json.Options),
            };
        }
    }
}
