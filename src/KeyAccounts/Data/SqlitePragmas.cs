using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KeyAccounts.Data;

/// <summary>
/// How SQLite syncs its write-ahead log (<c>Database:SqliteSynchronous</c>). <see cref="Full"/>, the default, syncs the log at
/// every commit: an acknowledged transaction survives a power cut. <see cref="Normal"/> syncs only at checkpoints: commits are
/// cheaper, but by SQLite's documentation the last transactions acknowledged before a power cut or an OS crash may roll back
/// (the database itself stays consistent). Choose it only where that loss is acceptable.
/// </summary>
public enum SqliteSynchronous { Full, Normal }

/// <summary>Per-connection SQLite settings: the log's sync mode (<see cref="SqliteSynchronous"/>), foreign keys enforced, cache sizes.</summary>
public sealed class SqlitePragmas(SqliteSynchronous synchronous = SqliteSynchronous.Full) : DbConnectionInterceptor
{
    private readonly string pragmas =
        $"PRAGMA synchronous={(synchronous == SqliteSynchronous.Normal ? "NORMAL" : "FULL")}; PRAGMA foreign_keys=ON; PRAGMA cache_size=-8192; PRAGMA temp_store=MEMORY;";

    public SqliteSynchronous Synchronous => synchronous;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    /// <summary>The settings on a connection opened outside EF (<see cref="SqliteListConnections"/>).</summary>
    public void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
