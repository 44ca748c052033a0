using KeyAccounts.Infrastructure.Auth;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace KeyAccounts.Data;

public enum DatabaseProvider { Sqlite, Postgres }

public static class DataSetup
{
    public const string DefaultConnectionString = "Data Source=data/keyaccounts.db";

    public static DatabaseProvider Provider(this IConfiguration configuration) =>
        Enum.TryParse<DatabaseProvider>(configuration["Database:Provider"], ignoreCase: true, out var p) ? p : DatabaseProvider.Sqlite;

    public static string ConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("KeyAccounts") is { Length: > 0 } cs ? cs : DefaultConnectionString;

    /// <summary>The one place that chooses the database: a context type per provider, each with its own migrations.</summary>
    public static IServiceCollection AddKeyAccountsData(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.ConnectionString();
        if (configuration.Provider() == DatabaseProvider.Postgres)
        {
            connectionString = PreparePostgres(connectionString);
            services.AddPooledDbContextFactory<PostgresAppDb>(o => o.UseNpgsql(connectionString, n => n.MigrationsAssembly(typeof(AppDb).Assembly.FullName)));
            services.AddSingleton<Func<AppDb>>(sp => Pooled(sp.GetRequiredService<IDbContextFactory<PostgresAppDb>>()));
        }
        else
        {
            connectionString = PrepareSqlite(connectionString);
            services.AddPooledDbContextFactory<SqliteAppDb>(o => o.UseSqlite(connectionString).AddInterceptors(new SqlitePragmas()));
            services.AddSingleton<Func<AppDb>>(sp => Pooled(sp.GetRequiredService<IDbContextFactory<SqliteAppDb>>()));
        }
        services.AddScoped<AppDbFactory>();
        services.AddScoped<AppDb>(sp => sp.GetRequiredService<AppDbFactory>().Create());
        return services;
    }

    /// <summary>
    /// Contexts come from a pool: a new context costs its own service scope and options lookup, which under load was a tenth
    /// of a list request's CPU. A context returned to the pool keeps its audit actor and clock, so they are set afresh here.
    /// </summary>
    private static Func<AppDb> Pooled<TContext>(IDbContextFactory<TContext> factory) where TContext : AppDb => () =>
    {
        var db = factory.CreateDbContext();
        db.Actor = AuditActor.System;
        db.Clock = TimeProvider.System;
        return db;
    };

    /// <summary>
    /// Statements the app sends again and again (the list's, with its id lists as array parameters, so one text serves every
    /// user) are prepared on each pooled connection after a few uses, so PostgreSQL skips parsing and planning them. A
    /// connection string that sets "Max Auto Prepare" itself keeps its value.
    /// </summary>
    private static string PreparePostgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!builder.ContainsKey("Max Auto Prepare")) builder.MaxAutoPrepare = 64;
        return builder.ToString();
    }

    private static string PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory) && builder.DataSource != ":memory:") Directory.CreateDirectory(directory);
        if (builder.DefaultTimeout < 30) builder.DefaultTimeout = 30;
        return builder.ToString();
    }

    public static async Task MigrateAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var db = services.GetRequiredService<Func<AppDb>>()();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Any();
        await db.Database.MigrateAsync(ct);
        if (!db.IsPostgres) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        // A new index has no statistics until the next ANALYZE, and without them SQLite may pick it for the wrong query.
        // SQLite samples (analysis_limit) so that this stays seconds on a database of tens of millions of rows.
        if (pending) await db.Database.ExecuteSqlRawAsync(db.IsPostgres ? "ANALYZE;" : "PRAGMA analysis_limit=2000; ANALYZE;", ct);
    }
}

/// <summary>Creates contexts that write the audit log in the name of the current user.</summary>
public sealed class AppDbFactory(Func<AppDb> create, CurrentUser user, TimeProvider clock)
{
    public AppDb Create()
    {
        var db = create();
        db.Actor = user.IsAuthenticated ? new AuditActor(user.Id, user.UserName) : AuditActor.System;
        db.Clock = clock;
        return db;
    }
}
