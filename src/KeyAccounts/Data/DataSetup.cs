using KeyAccounts.Features.Accounts;
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
        var postgres = configuration.Provider() == DatabaseProvider.Postgres;
        services.AddSingleton(sp => new BookCache(sp.GetRequiredService<TimeProvider>(), needsListener: postgres));
        if (postgres)
        {
            connectionString = PostgresConnectionString(connectionString);
            services.AddPooledDbContextFactory<PostgresAppDb>(o => o
                .UseNpgsql(connectionString, n => n.MigrationsAssembly(typeof(AppDb).Assembly.FullName))
                .AddInterceptors(new BookChanges(), new Infrastructure.TextInputGuard()));
            services.AddSingleton<Func<AppDb>>(sp => Pooled(sp.GetRequiredService<IDbContextFactory<PostgresAppDb>>(), sp.GetRequiredService<BookCache>()));
            // Behind PgBouncer in transaction mode a LISTEN goes nowhere: "KeyAccountsListen" then names a direct (or session-mode) connection.
            var listenTo = configuration.GetConnectionString("KeyAccountsListen") is { Length: > 0 } listen ? listen : connectionString;
            services.AddHostedService(sp => new BookChangeListener(sp.GetRequiredService<BookCache>(), listenTo, sp.GetRequiredService<ILogger<BookChangeListener>>()));
        }
        else
        {
            connectionString = PrepareSqlite(connectionString);
            // An id list (a Manager's owners, the accounts shared with a user) goes to SQLite as one JSON parameter read with
            // json_each, as PostgreSQL gets one array parameter. EF 10's default spreads a list over padded scalar parameters and
            // then builds the statement's SQL again on every execution, under a lock shared by every request running it (a
            // Manager's list: 1.75 → 1.53 ms of CPU per request under 32 clients; SQLite's plan is the same index search per owner).
            services.AddPooledDbContextFactory<SqliteAppDb>(o => o
                .UseSqlite(connectionString, s => s.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                .AddInterceptors(new SqlitePragmas(), new BookChanges(), new SqliteKeptStatements(), new Infrastructure.TextInputGuard()));
            var listConnectionString = connectionString;
            services.AddSingleton(_ => new SqliteListConnections(listConnectionString));
            services.AddSingleton<Func<AppDb>>(sp =>
            {
                var lists = sp.GetRequiredService<SqliteListConnections>();
                return Pooled(sp.GetRequiredService<IDbContextFactory<SqliteAppDb>>(), sp.GetRequiredService<BookCache>(), db => db.ListConnections = lists);
            });
        }
        services.AddScoped<AppDbFactory>();
        services.AddScoped<AppDb>(sp => sp.GetRequiredService<AppDbFactory>().Create());
        return services;
    }

    /// <summary>
    /// Contexts come from a pool: a new context costs its own service scope and options lookup, which under load was a tenth
    /// of a list request's CPU. A context returned to the pool keeps its audit actor, clock and book bookkeeping, so they are set afresh here.
    /// </summary>
    private static Func<AppDb> Pooled<TContext>(IDbContextFactory<TContext> factory, BookCache books, Action<TContext>? configure = null) where TContext : AppDb => () =>
    {
        var db = factory.CreateDbContext();
        db.Actor = AuditActor.System;
        db.Clock = TimeProvider.System;
        db.Books = books;
        db.ChangesBooks = false;
        configure?.Invoke(db);
        return db;
    };

    /// <summary>The pool size per app instance when the connection string does not set "Maximum Pool Size".</summary>
    public const int PostgresPoolSize = 8;

    /// <summary>
    /// The app's defaults for a PostgreSQL connection string; a keyword the string sets itself keeps its value.
    /// <list type="bullet">
    /// <item>"Max Auto Prepare" 64: statements sent again and again (the list's, with id lists as array parameters, so one
    /// text serves every user) are prepared on each pooled connection after a few uses, so PostgreSQL skips parsing and
    /// planning them (a Rep's list: 1.5 → 0.8 ms of PostgreSQL CPU).</item>
    /// <item>"No Reset On Close": the app leaves no session state on a connection (no SET, LISTEN or session temporary
    /// tables: the LISTEN of <see cref="BookChangeListener"/> has a connection of its own outside the pool; only the <c>generate</c> command raises maintenance_work_mem, in its own process), so a connection back from
    /// the pool needs no reset batch before its next statement.</item>
    /// <item>"Maximum Pool Size" 8: more connections than the database has cores to run them only queue inside
    /// PostgreSQL, where 32 busy backends on 2 cores made p99 latencies of 200–800 ms; requests now wait for a connection in
    /// the app instead (p99 under 70 ms). A database on more cores, or many long imports at once, may want more.</item>
    /// </list>
    /// </summary>
    public static string PostgresConnectionString(string connectionString)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey answers whether a keyword is known, not whether the string gives it.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Gives(params string[] keywords) => keywords.Any(given.ContainsKey);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Gives("Max Auto Prepare", "MaxAutoPrepare")) builder.MaxAutoPrepare = 64;
        if (!Gives("No Reset On Close", "NoResetOnClose")) builder.NoResetOnClose = true;
        if (!Gives("Maximum Pool Size", "MaxPoolSize")) builder.MaxPoolSize = PostgresPoolSize;
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
        if (!db.IsPostgres)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await AccountSearch.EnsureSqliteNameIndexAsync(db, ct);
        }
        // A new index has no statistics until the next ANALYZE, and without them SQLite may pick it for the wrong query.
        // SQLite samples (analysis_limit) so that this stays seconds on a database of tens of millions of rows, except for the
        // accounts, whose list plans hang on the statistics: sampled, the tier index looked like 2,001 rows per tier instead of
        // 250,000 at a million accounts, and a Manager's tier filter walked it with a table read per entry (4–14 ms instead of
        // ~1 ms). Reading the accounts in full takes ~2 s at a million.
        if (pending)
            await db.Database.ExecuteSqlRawAsync(db.IsPostgres ? "ANALYZE;" : "PRAGMA analysis_limit=2000; ANALYZE; PRAGMA analysis_limit=0; ANALYZE \"Accounts\";", ct);
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
