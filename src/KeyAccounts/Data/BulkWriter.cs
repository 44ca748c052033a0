using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Linq.Expressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using SQLitePCL;

namespace KeyAccounts.Data;

/// <summary>
/// A column of an entity's table as the bulk writers see it: name, store type, the value the provider stores (boxed, for
/// the general path) and the same value as a typed expression of the entity (for writers compiled once per table).
/// </summary>
public sealed record BulkColumn(string Name, string StoreType, Func<object, object?> Read, LambdaExpression Value);

/// <summary>An entity's table and the columns a bulk write fills, taken from the EF model so names and conversions match the migrations.</summary>
public sealed class BulkTable<T> where T : class
{
    // Built once per model and column list: the getters are compiled code, and compiling them for every chunk of an
    // import kept the JIT busy for a fifth of an order import's CPU time.
    private static readonly ConcurrentDictionary<(IModel Model, string Properties), (string Name, IReadOnlyList<BulkColumn> Columns, BulkColumn? Key)> Shapes = new();
    private readonly BulkColumn? key;

    public BulkTable(AppDb db, params string[] properties) =>
        (Name, Columns, key) = Shapes.GetOrAdd((db.Model, string.Join(',', properties)), static (key, properties) => Shape(key.Model, properties), properties);

    public string Name { get; }

    /// <summary>The same list instance for every table of the same model and columns, so writers can cache what they compile from it.</summary>
    public IReadOnlyList<BulkColumn> Columns { get; }

    /// <summary>The single-column key that updates and reserved ids go by (tables keyed by several columns are only inserted into).</summary>
    public BulkColumn Key => key ?? throw new InvalidOperationException($"{Name} has a key of several columns: bulk updates and reserved ids need a single one.");

    private static (string, IReadOnlyList<BulkColumn>, BulkColumn?) Shape(IModel model, string[] properties)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var name = entity.GetTableName()!;
        var table = StoreObjectIdentifier.Table(name, entity.GetSchema());
        var columns = properties.Select(p => Column(entity.FindProperty(p) ?? throw new ArgumentException($"{typeof(T).Name} has no property {p}."), table)).ToList();
        return (name, columns, entity.FindPrimaryKey()!.Properties is [var key] ? Column(key, table) : null);
    }

    private static BulkColumn Column(IProperty property, StoreObjectIdentifier table)
    {
        var mapping = property.GetRelationalTypeMapping();
        var converter = property.GetValueConverter() ?? mapping.Converter;
        var entity = Expression.Parameter(typeof(T));
        var model = Expression.Property(entity, property.PropertyInfo!);
        var getter = Expression.Lambda<Func<T, object?>>(Expression.Convert(model, typeof(object)), entity).Compile();
        Func<object, object?> read = converter is null ? e => getter((T)e) : e => getter((T)e) is { } v ? converter.ConvertToProvider(v) : null;
        return new BulkColumn(property.GetColumnName(table)!, mapping.StoreTypeNameBase, read, Expression.Lambda(Provider(model, converter), entity));
    }

    /// <summary>The provider value of a property; a nullable one stays nullable (null in, null out) around the converter.</summary>
    private static Expression Provider(Expression model, ValueConverter? converter)
    {
        if (converter is null) return model;
        var underlying = Nullable.GetUnderlyingType(model.Type);
        if (underlying is null && model.Type.IsValueType) return Convert(model, converter);
        var value = underlying is null ? model : Expression.Property(model, "Value");
        var converted = Convert(value, converter);
        var result = converted.Type.IsValueType ? typeof(Nullable<>).MakeGenericType(converted.Type) : converted.Type;
        Expression isNull = underlying is null ? Expression.Equal(model, Expression.Constant(null, model.Type)) : Expression.Not(Expression.Property(model, "HasValue"));
        return Expression.Condition(isNull, Expression.Constant(null, result), Expression.Convert(converted, result));
    }

    private static Expression Convert(Expression value, ValueConverter converter)
    {
        var toProvider = converter.ConvertToProviderExpression;
        var input = toProvider.Parameters[0].Type;
        return Expression.Invoke(toProvider, value.Type == input ? value : Expression.Convert(value, input));
    }
}

/// <summary>
/// Writes many rows inside the context's current transaction without the change tracker: batched prepared
/// statements on SQLite, binary COPY on PostgreSQL. One import code path; the engine's dialect picks the writer (<see cref="SqlDialect.BulkWriter"/>).
/// </summary>
public abstract class BulkWriter(AppDb db)
{
    protected AppDb Db { get; } = db;

    public static BulkWriter For(AppDb db) => db.Engine.BulkWriter(db);

    protected DbConnection Connection => Db.Database.GetDbConnection();

    protected DbTransaction Transaction => Db.Database.CurrentTransaction?.GetDbTransaction()
                                           ?? throw new InvalidOperationException("Bulk writes run inside a transaction.");

    protected static string Quote(string name) => $"\"{name}\"";

    /// <summary>Ids for new rows, taken before they are written so that rows of the same file can point at each other.</summary>
    public abstract Task<long[]> ReserveIdsAsync<T>(BulkTable<T> table, int count, CancellationToken ct) where T : class;

    public abstract Task InsertAsync<T>(BulkTable<T> table, IEnumerable<T> rows, CancellationToken ct) where T : class;

    /// <summary>
    /// Sets the table's columns of each row by its key. When <paramref name="version"/> names one of the columns, a row is
    /// written only if the stored version is the one before it (optimistic concurrency); the count of rows written is returned.
    /// </summary>
    public abstract Task<int> UpdateAsync<T>(BulkTable<T> table, IReadOnlyCollection<T> rows, string? version, CancellationToken ct) where T : class;
}

public sealed class SqliteBulkWriter(AppDb db) : BulkWriter(db)
{
    public override async Task<long[]> ReserveIdsAsync<T>(BulkTable<T> table, int count, CancellationToken ct)
    {
        await using var command = Command(
            $"SELECT max(coalesce((SELECT max({Quote(table.Key.Name)}) FROM {Quote(table.Name)}), 0), coalesce((SELECT seq FROM sqlite_sequence WHERE name = $t), 0))");
        command.Parameters.AddWithValue("$t", table.Name);
        var last = Convert.ToInt64(await command.ExecuteScalarAsync(ct));
        return Enumerable.Range(1, count).Select(i => last + i).ToArray();
    }

    /// <summary>
    /// One prepared single-row INSERT run for every row inside the transaction: it costs less than multi-row statements. Tables whose columns are all integers, reals, text or dates are bound through
    /// SQLite's own API by a binder compiled once per table: Microsoft.Data.Sqlite boxes every value and looks every
    /// parameter up by name, which was most of the app's share of an order-line insert.
    /// </summary>
    public override Task InsertAsync<T>(BulkTable<T> table, IEnumerable<T> rows, CancellationToken ct)
    {
        var sql = $"INSERT INTO {Quote(table.Name)} ({string.Join(", ", table.Columns.Select(c => Quote(c.Name)))}) " +
                  $"VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"$p{i}"))})";
        if (SqliteBinders<T>.For(table.Columns) is { } bind) InsertRaw(sql, bind, rows, ct);
        else InsertBoxed(sql, table.Columns, rows, ct);
        return Task.CompletedTask;
    }

    private void InsertRaw<T>(string sql, Action<sqlite3_stmt, T> bind, IEnumerable<T> rows, CancellationToken ct)
    {
        var connection = (SqliteConnection)Connection;
        // The statement runs on the connection's handle and so inside its open transaction; there must be one.
        _ = Transaction;
        var handle = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(handle, sql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, handle);
        using (statement)
        {
            var n = 0;
            foreach (var row in rows)
            {
                if (++n % 1000 == 0) ct.ThrowIfCancellationRequested();
                bind(statement, row);
                rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, handle);
                raw.sqlite3_reset(statement);
            }
        }
    }

    private void InsertBoxed<T>(string sql, IReadOnlyList<BulkColumn> columns, IEnumerable<T> rows, CancellationToken ct) where T : class
    {
        using var command = Command(sql);
        var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
        command.Prepare();
        var n = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++) parameters[i].Value = columns[i].Read(row) ?? DBNull.Value;
            if (++n % 1000 == 0) ct.ThrowIfCancellationRequested();
            command.ExecuteNonQuery();
        }
    }

    public override Task<int> UpdateAsync<T>(BulkTable<T> table, IReadOnlyCollection<T> rows, string? version, CancellationToken ct)
    {
        var set = string.Join(", ", table.Columns.Select((c, i) => $"{Quote(c.Name)} = $p{i}"));
        var versionIndex = version is null ? -1 : IndexOf(table, version);
        var where = $"{Quote(table.Key.Name)} = $key" + (versionIndex < 0 ? "" : $" AND {Quote(version!)} = $p{versionIndex} - 1");
        using var command = Command($"UPDATE {Quote(table.Name)} SET {set} WHERE {where}");
        for (var i = 0; i < table.Columns.Count; i++) command.Parameters.Add(new SqliteParameter($"$p{i}", null));
        var key = command.Parameters.Add(new SqliteParameter("$key", null));
        command.Prepare();
        var written = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < table.Columns.Count; i++) command.Parameters[i].Value = table.Columns[i].Read(row) ?? DBNull.Value;
            key.Value = table.Key.Read(row);
            ct.ThrowIfCancellationRequested();
            written += command.ExecuteNonQuery();
        }
        return Task.FromResult(written);
    }

    private SqliteCommand Command(string sql)
    {
        var command = (SqliteCommand)Connection.CreateCommand();
        command.Transaction = (SqliteTransaction)Transaction;
        command.CommandText = sql;
        return command;
    }

    internal static int IndexOf<T>(BulkTable<T> table, string column) where T : class =>
        table.Columns.Select((c, i) => (c, i)).First(x => x.c.Name == column).i;
}

public sealed class PostgresBulkWriter(AppDb db) : BulkWriter(db)
{
    private NpgsqlConnection Npgsql => (NpgsqlConnection)Connection;

    public override async Task<long[]> ReserveIdsAsync<T>(BulkTable<T> table, int count, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT nextval(pg_get_serial_sequence(@t, @c)) FROM generate_series(1, @n)", Npgsql, (NpgsqlTransaction)Transaction);
        command.Parameters.AddWithValue("t", Quote(table.Name));
        command.Parameters.AddWithValue("c", table.Key.Name);
        command.Parameters.AddWithValue("n", count);
        var ids = new long[count];
        await using var reader = await command.ExecuteReaderAsync(ct);
        for (var i = 0; await reader.ReadAsync(ct); i++) ids[i] = reader.GetInt64(0);
        return ids;
    }

    public override Task InsertAsync<T>(BulkTable<T> table, IEnumerable<T> rows, CancellationToken ct) =>
        CopyAsync(Quote(table.Name), table.Columns, rows, ct);

    public override async Task<int> UpdateAsync<T>(BulkTable<T> table, IReadOnlyCollection<T> rows, string? version, CancellationToken ct)
    {
        if (rows.Count == 0) return 0;
        var staging = Quote($"import_{table.Name}_{Guid.NewGuid():N}");
        var columns = table.Columns.Prepend(table.Key).ToList();
        var names = string.Join(", ", columns.Select(c => Quote(c.Name)));
        await ExecuteAsync($"CREATE TEMP TABLE {staging} ON COMMIT DROP AS SELECT {names} FROM {Quote(table.Name)} WITH NO DATA", ct);
        await CopyAsync(staging, columns, rows, ct);
        var set = string.Join(", ", table.Columns.Select(c => $"{Quote(c.Name)} = s.{Quote(c.Name)}"));
        var where = $"t.{Quote(table.Key.Name)} = s.{Quote(table.Key.Name)}" + (version is null ? "" : $" AND t.{Quote(version)} = s.{Quote(version)} - 1");
        var written = await ExecuteAsync($"UPDATE {Quote(table.Name)} t SET {set} FROM {staging} s WHERE {where}", ct);
        await ExecuteAsync($"DROP TABLE {staging}", ct);
        return written;
    }

    /// <summary>
    /// Binary COPY with a row writer compiled once per table: each value goes to Npgsql typed (no boxing, no type
    /// resolution per value), synchronously inside the chunk: far cheaper than an awaited call per value.
    /// </summary>
    private async Task CopyAsync<T>(string target, IReadOnlyList<BulkColumn> columns, IEnumerable<T> rows, CancellationToken ct) where T : class
    {
        var names = string.Join(", ", columns.Select(c => Quote(c.Name)));
        var write = PostgresRowWriters<T>.For(columns);
        await using var import = await Npgsql.BeginBinaryImportAsync($"COPY {target} ({names}) FROM STDIN (FORMAT BINARY)", ct);
        var n = 0;
        foreach (var row in rows)
        {
            if (++n % 1000 == 0) ct.ThrowIfCancellationRequested();
            import.StartRow();
            write(import, row);
        }
        await import.CompleteAsync(ct);
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, Npgsql, (NpgsqlTransaction)Transaction);
        return await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Compiled row writers for binary COPY, one per column list (see <see cref="BulkTable{T}.Columns"/>).</summary>
internal static class PostgresRowWriters<T> where T : class
{
    private static readonly ConcurrentDictionary<IReadOnlyList<BulkColumn>, Action<NpgsqlBinaryImporter, T>> Writers = new(ReferenceEqualityComparer.Instance);

    private static readonly System.Reflection.MethodInfo Write = typeof(NpgsqlBinaryImporter).GetMethods()
        .Single(m => m.Name == nameof(NpgsqlBinaryImporter.Write) && m.IsGenericMethod && m.GetParameters() is [_, { ParameterType: var p }] && p == typeof(string));

    private static readonly System.Reflection.MethodInfo WriteNull = typeof(NpgsqlBinaryImporter).GetMethod(nameof(NpgsqlBinaryImporter.WriteNull))!;

    public static Action<NpgsqlBinaryImporter, T> For(IReadOnlyList<BulkColumn> columns) => Writers.GetOrAdd(columns, Compile);

    private static Action<NpgsqlBinaryImporter, T> Compile(IReadOnlyList<BulkColumn> columns)
    {
        var importer = Expression.Parameter(typeof(NpgsqlBinaryImporter));
        var row = Expression.Parameter(typeof(T));
        var body = columns.Select(c => SqlValue.Write(Expression.Invoke(c.Value, row),
            v => Expression.Call(importer, Write.MakeGenericMethod(v.Type), v, Expression.Constant(c.StoreType)),
            Expression.Call(importer, WriteNull)));
        return Expression.Lambda<Action<NpgsqlBinaryImporter, T>>(Expression.Block(body), importer, row).Compile();
    }
}

/// <summary>
/// Compiled binders of SQLite's own API, one per column list; null when a column's provider type is not one bound here
/// exactly as Microsoft.Data.Sqlite binds it (integers, reals, text, and dates as yyyy-MM-dd text).
/// </summary>
internal static class SqliteBinders<T> where T : class
{
    private static readonly ConcurrentDictionary<IReadOnlyList<BulkColumn>, Action<sqlite3_stmt, T>?> Binders = new(ReferenceEqualityComparer.Instance);

    public static Action<sqlite3_stmt, T>? For(IReadOnlyList<BulkColumn> columns) => Binders.GetOrAdd(columns, Compile);

    private static Action<sqlite3_stmt, T>? Compile(IReadOnlyList<BulkColumn> columns)
    {
        var statement = Expression.Parameter(typeof(sqlite3_stmt));
        var row = Expression.Parameter(typeof(T));
        var body = new List<Expression>();
        for (var i = 0; i < columns.Count; i++)
        {
            var index = Expression.Constant(i + 1);
            var value = Expression.Invoke(columns[i].Value, row);
            var type = Nullable.GetUnderlyingType(value.Type) ?? value.Type;
            Func<Expression, Expression>? bind = type switch
            {
                _ when type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte) =>
                    v => Call(nameof(raw.sqlite3_bind_int64), statement, index, Expression.Convert(v, typeof(long))),
                _ when type == typeof(bool) =>
                    v => Call(nameof(raw.sqlite3_bind_int64), statement, index, Expression.Condition(v, Expression.Constant(1L), Expression.Constant(0L))),
                _ when type == typeof(double) || type == typeof(float) =>
                    v => Call(nameof(raw.sqlite3_bind_double), statement, index, Expression.Convert(v, typeof(double))),
                _ when type == typeof(string) => v => Call(nameof(raw.sqlite3_bind_text), statement, index, v),
                _ when type == typeof(DateOnly) => v => Call(nameof(raw.sqlite3_bind_text), statement, index,
                    Expression.Call(v, typeof(DateOnly).GetMethod(nameof(DateOnly.ToString), [typeof(string), typeof(IFormatProvider)])!,
                        Expression.Constant("yyyy-MM-dd"), Expression.Constant(CultureInfo.InvariantCulture, typeof(IFormatProvider)))),
                _ => null,
            };
            if (bind is null) return null;
            body.Add(SqlValue.Write(value, bind, Call(nameof(raw.sqlite3_bind_null), statement, index)));
        }
        return Expression.Lambda<Action<sqlite3_stmt, T>>(Expression.Block(body), statement, row).Compile();
    }

    private static MethodCallExpression Call(string name, params Expression[] arguments) =>
        Expression.Call(typeof(raw).GetMethod(name, arguments.Select(a => a.Type).ToArray())!, arguments);
}

internal static class SqlValue
{
    /// <summary>Writes a typed value, or the null writer when a nullable value is null; the value is read once.</summary>
    public static Expression Write(Expression value, Func<Expression, Expression> write, Expression writeNull)
    {
        var underlying = Nullable.GetUnderlyingType(value.Type);
        if (underlying is null && value.Type.IsValueType) return Expression.Block(typeof(void), write(value));
        var variable = Expression.Variable(value.Type);
        Expression isNull = underlying is null ? Expression.Equal(variable, Expression.Constant(null, value.Type)) : Expression.Not(Expression.Property(variable, "HasValue"));
        var present = underlying is null ? variable : (Expression)Expression.Property(variable, "Value");
        return Expression.Block(typeof(void), [variable], Expression.Assign(variable, value),
            Expression.IfThenElse(isNull, Expression.Block(typeof(void), writeNull), Expression.Block(typeof(void), write(present))));
    }
}
