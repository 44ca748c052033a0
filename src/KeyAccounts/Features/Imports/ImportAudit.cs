using System.Buffers;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Text;
using System.Text.Json;
using KeyAccounts.Data;
using KeyAccounts.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace KeyAccounts.Features.Imports;

/// <summary>
/// How every import writes its audit rows: those of <see cref="ImportAudit{T}"/> (row by row) and the summaries of creations
/// (one row per table and import), all through the bulk writer into the append-only log.
/// </summary>
public static class ImportAudit
{
    public static BulkTable<AuditEntry> Table(AppDb db) =>
        new(db, nameof(AuditEntry.At), nameof(AuditEntry.UserId), nameof(AuditEntry.UserName), nameof(AuditEntry.Entity), nameof(AuditEntry.EntityKey),
            nameof(AuditEntry.AccountId), nameof(AuditEntry.Action), nameof(AuditEntry.Before), nameof(AuditEntry.After));

    public static Task WriteAsync(AppDb db, BulkWriter writer, IEnumerable<AuditEntry> entries, CancellationToken ct) =>
        writer.InsertAsync(Table(db), entries, ct);

    /// <summary>One entry for all the rows of a table an import created (an ERP load has millions).</summary>
    public static AuditEntry Summary(AppDb db, DateTime at, string entity, string kind, int created, int rows, int rejected) => new()
    {
        At = at,
        UserId = db.Actor.UserId,
        UserName = db.Actor.UserName,
        Entity = entity,
        EntityKey = $"import {at:yyyy-MM-ddTHH:mm:ss}Z",
        Action = AuditAction.Created,
        After = JsonSerializer.Serialize(new { import = kind, created, rows, rejected }, Json.Options),
    };
}

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

    private readonly AppDb db;

    public ImportAudit(AppDb db, DateTime at)
    {
        this.db = db;
        actor = db.Actor;
        this.at = at;
        properties = Properties.GetOrAdd(db.Model, static model => model.FindEntityType(typeof(T))!.GetProperties()
            .Where(p => !NotAudited.Contains(p.Name) && p.PropertyInfo is not null)
            .Select(p => (p.Name, Getter(p)))
            .ToList());
    }

    // Compiled once per model: imports make an audit per chunk, and compiling the getters each time kept the JIT busy.
    private static readonly ConcurrentDictionary<IModel, IReadOnlyList<(string Name, Func<T, object?> Read)>> Properties = new();

    private readonly List<(T? Before, T After, IReadOnlyList<(string Name, Func<T, object?> Read)> Changed)> pending = [];

    /// <summary>The audit rows, their JSON written as they are read, so a large import never holds all of it in memory.</summary>
    public IEnumerable<AuditEntry> Entries => pending.Select(p => p.Before is null
        ? Entry(p.After, AuditAction.Created, null, Serialize(p.Changed, p.After))
        : ReferenceEquals(p.Before, p.After) ? Entry(p.After, AuditAction.Deleted, null, null)
        : Entry(p.After, AuditAction.Updated, Serialize(p.Changed, p.Before), Serialize(p.Changed, p.After)));

    public void Created(T entity) => pending.Add((null, entity, properties));

    /// <summary>A row the import removed (who and when; the key names it).</summary>
    public void Deleted(T entity) => pending.Add((entity, entity, []));

    public Task WriteAsync(BulkWriter writer, CancellationToken ct) => ImportAudit.WriteAsync(db, writer, Entries, ct);

    /// <summary>Records what changed between the stored and the imported state; false when nothing did.</summary>
    public bool Updated(T before, T after)
    {
        var changed = properties.Where(p => !Equals(p.Read(before), p.Read(after))).ToList();
        if (changed.Count == 0) return false;
        pending.Add((before, after, changed));
        return true;
    }

    // A hundred thousand rows make the serializer's dictionary path the slowest part of an import, so the
    // same JSON (keys as property names, Json.Options' encoder and formats) is written directly.
    private readonly ArrayBufferWriter<byte> buffer = new(1024);
    private Utf8JsonWriter? writer;

    private string Serialize(IEnumerable<(string Name, Func<T, object?> Read)> props, T entity)
    {
        buffer.ResetWrittenCount();
        if (writer is null) writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Options.Encoder });
        else writer.Reset(buffer);
        writer.WriteStartObject();
        foreach (var (name, read) in props)
        {
            writer.WritePropertyName(name);
            switch (read(entity))
            {
                case null: writer.WriteNullValue(); break;
                case string s: writer.WriteStringValue(s); break;
                case int i: writer.WriteNumberValue(i); break;
                case long l: writer.WriteNumberValue(l); break;
                case bool b: writer.WriteBooleanValue(b); break;
                case DateTime d: writer.WriteStringValue(d); break;
                case Enum e: writer.WriteStringValue(e.ToString()); break;
                case var other: JsonSerializer.Serialize(writer, other, other.GetType(), Json.Options); break;
            }
        }
        writer.WriteEndObject();
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private AuditEntry Entry(T entity, AuditAction action, string? before, string? after) => new()
    {
        At = at,
        UserId = actor.UserId,
        UserName = actor.UserName,
        Entity = typeof(T).Name,
        EntityKey = entity.AuditKey,
        AccountId = entity is IBelongsToAccount b ? b.AccountId : null,
        Action = action,
        Before = before,
        After = after,
    };

    private static Func<T, object?> Getter(IProperty p)
    {
        var entity = Expression.Parameter(typeof(T));
        return Expression.Lambda<Func<T, object?>>(Expression.Convert(Expression.Property(entity, p.PropertyInfo!), typeof(object)), entity).Compile();
    }
}
