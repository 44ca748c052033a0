using System.Text.Json;
using KeyAccounts.Data;
using KeyAccounts.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace KeyAccounts.Infrastructure.Imports;

/// <summary>
/// Audit rows for data written in bulk, in the shape <see cref="AppDb.SaveChangesAsync(bool, CancellationToken)"/> writes them:
/// "created" carries every property, "updated" only those that changed, before and after.
/// </summary>
public sealed class ImportAudit<T> where T : class, IAudited
{
    // The same bookkeeping AppDb leaves out of the log.
    private static readonly HashSet<string> NotAudited = ["Version"];

    private readonly AuditActor actor;
    private readonly DateTime at;
    private readonly IReadOnlyList<(string Name, Func<T, object?> Read)> properties;

    public ImportAudit(AppDb db, DateTime at)
    {
        actor = db.Actor;
        this.at = at;
        properties = db.Model.FindEntityType(typeof(T))!.GetProperties()
            .Where(p => !NotAudited.Contains(p.Name) && p.PropertyInfo is not null)
            .Select(p => (p.Name, Getter(p)))
            .ToList();
    }

    public List<AuditEntry> Entries { get; } = [];

    public void Created(T entity) =>
        Entries.Add(Entry(entity, AuditAction.Created, null, properties.ToDictionary(p => p.Name, p => p.Read(entity))));

    /// <summary>Records what changed between the stored and the imported state; false when nothing did.</summary>
    public bool Updated(T before, T after)
    {
        var changed = properties.Where(p => !Equals(p.Read(before), p.Read(after))).ToList();
        if (changed.Count == 0) return false;
        Entries.Add(Entry(after, AuditAction.Updated,
            changed.ToDictionary(p => p.Name, p => p.Read(before)),
            changed.ToDictionary(p => p.Name, p => p.Read(after))));
        return true;
    }

    private AuditEntry Entry(T entity, AuditAction action, Dictionary<string, object?>? before, Dictionary<string, object?>? after) => new()
    {
        At = at,
        UserId = actor.UserId,
        UserName = actor.UserName,
        Entity = typeof(T).Name,
        EntityKey = entity.AuditKey,
        AccountId = entity is IBelongsToAccount b ? b.AccountId : null,
        Action = action,
        Before = before is null ? null : JsonSerializer.Serialize(before, Json.Options),
        After = after is null ? null : JsonSerializer.Serialize(after, Json.Options),
    };

    private static Func<T, object?> Getter(IProperty p)
    {
        var info = p.PropertyInfo!;
        return e => info.GetValue(e);
    }

    public static BulkTable<AuditEntry> Table(AppDb db) =>
        new(db, nameof(AuditEntry.At), nameof(AuditEntry.UserId), nameof(AuditEntry.UserName), nameof(AuditEntry.Entity), nameof(AuditEntry.EntityKey),
            nameof(AuditEntry.AccountId), nameof(AuditEntry.Action), nameof(AuditEntry.Before), nameof(AuditEntry.After));
}
