using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
            connectionString = PostgresConnectionString(connectionString);
            services.AddPooledDbContextFactory<PostgresAppDb>((sp, o) => o
                .UseNpgsql(connectionString, n => n.MigrationsAssembly(typeof(AppDb).Assembly.FullName))
                .AddInterceptors(SaveInterceptors(sp)));
            services.AddSingleton<Func<AppDb>>(sp => Pooled(sp.GetRequiredService<IDbContextFactory<PostgresAppDb>>(), sp.GetService<BookCache>()));
        }
        else
        {
            connectionString = PrepareSqlite(connectionString);
            var pragmas = new SqlitePragmas(configuration.SqliteSynchronous());
            // An id list (a Manager's owners, the accounts shared with a user) goes to SQLite as one JSON parameter read with
            // json_each, as PostgreSQL gets one array parameter. EF 10's default spreads a list over padded scalar parameters and
            // then builds the statement's SQL again on every execution, under a lock shared by every request running it (SQLite's
            // plan is the same index search per owner).
            services.AddPooledDbContextFactory<SqliteAppDb>((sp, o) => o
                .UseSqlite(connectionString, s => s.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                .AddInterceptors(pragmas, new SqliteKeptStatements())
                .AddInterceptors(SaveInterceptors(sp)));
            var listConnectionString = connectionString;
            services.AddSingleton(_ => new SqliteListConnections(listConnectionString, pragmas));
            services.AddSingleton<Func<AppDb>>(sp =>
            {
                var lists = sp.GetRequiredService<SqliteListConnections>();
                return Pooled(sp.GetRequiredService<IDbContextFactory<SqliteAppDb>>(), sp.GetService<BookCache>(), db => db.ListConnections = lists);
            });
        }
        services.AddScoped<AppDbFactory>();
        services.AddScoped<AppDb>(sp => sp.GetRequiredService<AppDbFactory>().Create());
        return services;
    }

    /// <summary>
    /// How SQLite syncs its log (<c>Database:SqliteSynchronous</c> = <c>Full</c>, the default, or <c>Normal</c>; see
    /// <see cref="Data.SqliteSynchronous"/>).
    /// </summary>
    public static SqliteSynchronous SqliteSynchronous(this IConfiguration configuration) =>
        Enum.TryParse<SqliteSynchronous>(configuration["Database:SqliteSynchronous"], ignoreCase: true, out var s) ? s : Data.SqliteSynchronous.Full;

    /// <summary>
    /// A save-time rule of a feature (an EF Core interceptor: <see cref="Microsoft.EntityFrameworkCore.Diagnostics.ISaveChangesInterceptor"/>,
    /// <see cref="Microsoft.EntityFrameworkCore.Diagnostics.IDbTransactionInterceptor"/>), made by the container and added to the
    /// app's contexts. The rules run in the order registered, all before the audit log (<see cref="AuditLog"/>), inside the
    /// save's transaction.
    /// </summary>
    public static IServiceCollection AddAppDbInterceptor<T>(this IServiceCollection services) where T : class, IInterceptor
    {
        services.AddSingleton<T>();
        services.AddSingleton(sp => new AppDbInterceptor(sp.GetRequiredService<T>()));
        return services;
    }

    private static IInterceptor[] SaveInterceptors(IServiceProvider services) =>
        [TextInputGuardInstance, .. services.GetServices<AppDbInterceptor>().Select(i => i.Interceptor), AuditLog.Instance];

    /// <summary>Control characters no rule checked are dropped before anything else sees the values (the audit included).</summary>
    private static readonly Infrastructure.TextInputGuard TextInputGuardInstance = new();

    /// <summary>
    /// Contexts come from a pool: a new context costs its own service scope and options lookup, which under load was a tenth
    /// of a list request's CPU. A context returned to the pool keeps its audit actor, clock and books, so they are set afresh here.
    /// </summary>
    private static Func<AppDb> Pooled<TContext>(IDbContextFactory<TContext> factory, BookCache? books, Action<TContext>? configure = null) where TContext : AppDb => () =>
    {
        var db = factory.CreateDbContext();
        db.Actor = AuditActor.System;
        db.Clock = TimeProvider.System;
        db.Books = books;
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
    /// planning them.</item>
    /// <item>"No Reset On Close": the app leaves no session state on a connection (no SET, LISTEN or session temporary
    /// tables: the LISTEN of <see cref="BookChangeListener"/> has a connection of its own outside the pool; only the <c>generate</c> command raises maintenance_work_mem, in its own process), so a connection back from
    /// the pool needs no reset batch before its next statement.</item>
    /// <item>"Maximum Pool Size" 8: more connections than the database has cores to run them only queue inside
    /// PostgreSQL, where busy backends on a small server make the slowest requests far slower; requests wait for a connection
    /// in the app instead. A database on more cores, or many long imports at once, may want more.</item>
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
        services.GetRequiredService<ILoggerFactory>().CreateLogger("KeyAccounts")
            .LogInformation("Database: {Database}", db.Engine.Describe(db.Database.GetConnectionString()!));
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Any();
        await db.Database.MigrateAsync(ct);
        await db.Engine.AfterMigrationsAsync(db, pending, ct);
        await Features.Accounts.AccountSpellings.BackfillAsync(db, ct);
    }
}

/// <summary>A feature's save-time interceptor for the app's contexts (<see cref="DataSetup.AddAppDbInterceptor{T}"/>).</summary>
public sealed record AppDbInterceptor(IInterceptor Interceptor);

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
