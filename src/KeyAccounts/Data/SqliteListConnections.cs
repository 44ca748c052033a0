using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KeyAccounts.Data;

/// <summary>
/// SQLite connections that stay open for the lists (<see cref="SqliteAppDb.ReadListAsync{T}"/>), each keeping the statements it
/// has prepared. Microsoft.Data.Sqlite keeps no statement cache (dotnet/efcore#14044): EF creates a command per query and a
/// closed connection finalizes its statements, so every page would prepare its statements anew, which costs as much as running
/// them. A command run again on its open connection reuses its prepared statements (reset after each
/// reader, so every run reads the latest commit and no snapshot is held; SQLite prepares again by itself after a schema change).
/// Writes and every other read keep the ordinary pool.
/// </summary>
public sealed class SqliteListConnections(string connectionString, SqlitePragmas pragmas) : IDisposable
{
    /// <summary>Idle connections kept (one per request that lists at the same time; more are closed when returned).</summary>
    public const int MaxIdle = 32;

    private readonly ConcurrentStack<SqliteListConnection> idle = new(); // the last one back goes out first: its pages and statements are warm
    private volatile bool disposed;

    public SqliteListConnection Rent()
    {
        if (idle.TryPop(out var kept)) return kept;
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            pragmas.Apply(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new SqliteListConnection(connection);
    }

    /// <summary>Back to the pool; <paramref name="healthy"/> false (the list failed) closes it instead.</summary>
    public void Return(SqliteListConnection connection, bool healthy)
    {
        if (healthy && !disposed && idle.Count < MaxIdle) idle.Push(connection);
        else connection.Dispose();
        if (disposed) Drain();
    }

    public void Dispose()
    {
        disposed = true;
        Drain();
    }

    private void Drain()
    {
        while (idle.TryPop(out var connection)) connection.Dispose();
    }
}

/// <summary>One open list connection and its prepared statements, by SQL text.</summary>
public sealed class SqliteListConnection(SqliteConnection connection) : IDisposable
{
    /// <summary>Statements kept per connection; past it they are all finalized and prepared again as used (lists have a few dozen shapes).</summary>
    public const int MaxStatements = 100;

    private readonly Dictionary<string, SqliteCommand> statements = new(StringComparer.Ordinal);

    public SqliteConnection Connection { get; } = connection;

    /// <summary>How many statements the connection keeps.</summary>
    public int Kept => statements.Count;

    /// <summary>The kept command for <paramref name="sql"/>, whose prepared statements are reused when it runs again.</summary>
    public SqliteCommand Statement(string sql)
    {
        if (statements.TryGetValue(sql, out var kept)) return kept;
        if (statements.Count >= MaxStatements) Forget();
        kept = Connection.CreateCommand();
        kept.CommandText = sql;
        statements[sql] = kept;
        return kept;
    }

    private void Forget()
    {
        foreach (var command in statements.Values) command.Dispose();
        statements.Clear();
    }

    public void Dispose()
    {
        Forget();
        Connection.Dispose();
    }
}

/// <summary>
/// Runs the commands EF creates on a list connection (<see cref="SqliteListConnection"/>) through that connection's kept
/// command for the same SQL, with this execution's parameters.
/// </summary>
public sealed class SqliteKeptStatements : DbCommandInterceptor
{
    public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
    {
        if (eventData.Context is not SqliteAppDb { ListConnection: { } list } || !ReferenceEquals(result.Connection, list.Connection) || result.Transaction is not null)
            return result;
        var kept = list.Statement(result.CommandText);
        kept.Parameters.Clear();
        foreach (SqliteParameter p in result.Parameters)
            kept.Parameters.Add(new SqliteParameter(p.ParameterName, p.Value) { SqliteType = p.SqliteType, Size = p.Size, Direction = p.Direction });
        kept.CommandTimeout = result.CommandTimeout;
        result.Dispose();
        return new KeptCommand(kept);
    }

    /// <summary>The kept command as EF sees it: it runs it and disposes it after the reader, which leaves the prepared statements alone.</summary>
    private sealed class KeptCommand(SqliteCommand kept) : DbCommand
    {
        [AllowNull]
        public override string CommandText { get => kept.CommandText; set => throw new NotSupportedException("A kept statement keeps its SQL."); }
        public override int CommandTimeout { get => kept.CommandTimeout; set => kept.CommandTimeout = value; }
        public override CommandType CommandType { get => kept.CommandType; set => kept.CommandType = value; }
        public override bool DesignTimeVisible { get => kept.DesignTimeVisible; set => kept.DesignTimeVisible = value; }
        public override UpdateRowSource UpdatedRowSource { get => kept.UpdatedRowSource; set => kept.UpdatedRowSource = value; }
        protected override DbConnection? DbConnection { get => kept.Connection; set => throw new NotSupportedException("A kept statement stays on its connection."); }
        protected override DbParameterCollection DbParameterCollection => kept.Parameters;
        protected override DbTransaction? DbTransaction { get => kept.Transaction; set => kept.Transaction = (SqliteTransaction?)value; }
        public override void Cancel() => kept.Cancel();
        public override int ExecuteNonQuery() => kept.ExecuteNonQuery();
        public override object? ExecuteScalar() => kept.ExecuteScalar();
        public override void Prepare() => kept.Prepare();
        protected override DbParameter CreateDbParameter() => kept.CreateParameter();
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => kept.ExecuteReader(behavior);

        protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
            await kept.ExecuteReaderAsync(behavior, cancellationToken);

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => kept.ExecuteNonQueryAsync(cancellationToken);
        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => kept.ExecuteScalarAsync(cancellationToken);

        protected override void Dispose(bool disposing)
        {
            // The kept command and its statements belong to the list connection.
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
