using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// Users' books (<see cref="AccountAccess.BookOfAsync"/>) kept in memory: a Rep's or a Manager's every list page, search and
/// export starts from the book, which would otherwise be a statement of its own on every page. A book changes only when a share, a department or a user's department does; such a
/// change forgets every book once it is committed (<see cref="BookChanges"/>): on this node at once, on the other nodes of a
/// PostgreSQL database through its notification (<see cref="BookChangeListener"/>), and on PostgreSQL books are kept only
/// while that notification is listened to. A book is read again after <see cref="Lifetime"/> in any case (another process on
/// the same SQLite file, such as the command line, has no way to tell).
/// </summary>
public sealed class BookCache(TimeProvider clock, bool needsListener)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    /// <summary>The PostgreSQL channel that carries "books changed" between the nodes.</summary>
    public const string Channel = "keyaccounts_books";

    private readonly ConcurrentDictionary<(string User, DataScope Scope), Entry> books = new();
    private long generation;
    private volatile bool listening;

    private sealed record Entry(Book? Book, long Generation, DateTimeOffset Until);

    /// <summary>Whether books are kept: always on SQLite (one node), on PostgreSQL while this node hears the other nodes' changes.</summary>
    public bool Keeps => !needsListener || listening;

    /// <summary>The user's book from memory, or read by <paramref name="read"/> and kept.</summary>
    public async Task<Book?> GetOrReadAsync(CurrentUser user, Func<Task<Book?>> read)
    {
        if (!Keeps) return await read();
        var key = (user.Id, user.Scope);
        // Read before the book is: a change committed while it is read moves the generation on, and the book read is not served.
        var current = Interlocked.Read(ref generation);
        var now = clock.GetUtcNow();
        if (books.TryGetValue(key, out var kept) && kept.Generation == current && now < kept.Until) return kept.Book;
        var book = await read();
        books[key] = new Entry(book, current, now + Lifetime);
        return book;
    }

    /// <summary>Every book is read again from the next request on.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref generation);
        books.Clear();
    }

    /// <summary>Called by <see cref="BookChangeListener"/>: books are kept only while it listens; what changed before is forgotten.</summary>
    public void Listening(bool on)
    {
        // Forgotten before turning on and after turning off: no book read while this node did not listen is ever served.
        if (on) Forget();
        listening = on;
        if (!on) Forget();
    }
}

/// <summary>
/// Which saved changes alter a book, and forgetting the books when they are committed (registered by
/// <see cref="AccountsSetup.AddAccountsData"/>). Before a save it notes whether the save alters a book; after it, inside the save's
/// transaction, it marks that transaction (on PostgreSQL the other nodes hear of it when it commits); the books are forgotten when
/// the transaction commits, not before, so that no request reads and keeps the old book in between.
/// </summary>
public sealed class BookChanges(BookCache books) : PerSaveInterceptor, IDbTransactionInterceptor
{
    /// <summary>The saves about to alter books, by context, from before the save until after it.</summary>
    private readonly ConditionalWeakTable<DbContext, object> altering = [];

    /// <summary>The transactions that altered books, by context, until they commit or roll back.</summary>
    private readonly ConditionalWeakTable<DbContext, object> changed = [];

    private static readonly object Marked = new();

    /// <summary>
    /// A share, a department, or a user's department (or the user) added, changed or removed. A user's department counts only when
    /// its value changed: Identity's store marks every property of a user modified on each update (a sign-in's lockout counters).
    /// </summary>
    public static bool Affects(ChangeTracker changes) => changes.Entries().Any(e => e.State switch
    {
        EntityState.Added or EntityState.Deleted => e.Entity is AccountShare or Department or AppUser,
        EntityState.Modified => e.Entity is AccountShare or Department
            || (e.Entity is AppUser && e.Property(nameof(AppUser.DepartmentId)) is { IsModified: true } department
                && !Equals(department.OriginalValue, department.CurrentValue)),
        _ => false,
    });

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) =>
        SavedChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not AppDb db || !altering.TryGetValue(db, out _)) return result;
        altering.Remove(db);
        await db.Engine.NotifyAsync(db, BookCache.Channel, cancellationToken);
        // A save outside a transaction has committed already.
        if (db.Database.CurrentTransaction is null) books.Forget();
        else changed.AddOrUpdate(db, Marked);
        return result;
    }

    /// <summary>A new transaction alters no book yet (a context back from the pool may carry one that never ended).</summary>
    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Ended(eventData.Context);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
        CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    private void Saving(DbContext? context)
    {
        if (context is null) return;
        if (Affects(context.ChangeTracker)) altering.AddOrUpdate(context, Marked);
        else altering.Remove(context);
    }

    private void Committed(DbContext? context)
    {
        if (context is null || !changed.TryGetValue(context, out _)) return;
        changed.Remove(context);
        books.Forget();
    }

    private void Ended(DbContext? context)
    {
        if (context is not null) changed.Remove(context);
    }

    protected override void Forget(DbContext context) => altering.Remove(context);
}

/// <summary>
/// On PostgreSQL, listens on its own connection for the books changed on any node (<see cref="BookChanges"/>) and forgets this
/// node's books, and for the users whose security stamp changed on any node (<see cref="StampedUserManager"/>) and forgets their
/// stamps. While it does not listen (starting, or the connection lost), no book is kept and stamps are read again every minute.
/// </summary>
public sealed class BookChangeListener(BookCache books, SignInStamps stamps, string connectionString, ILogger<BookChangeListener> log) : BackgroundService
{
    /// <summary>A connection of its own, outside the pool (it holds a LISTEN), with keepalives so that a lost one is noticed.</summary>
    public static string ListenerConnectionString(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 15, ApplicationName = "KeyAccounts book changes" }.ToString();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ListenerConnectionString(connectionString));
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == SignInStamps.Channel) stamps.Forget(e.Payload);
                    else books.Forget();
                };
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {BookCache.Channel}; LISTEN {SignInStamps.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                books.Listening(true);
                stamps.Listening(true);
                while (true) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Not listening for book and sign-in changes; users' books are read on every request and their sign-ins every minute until it listens again");
            }
            finally
            {
                books.Listening(false);
                stamps.Listening(false);
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
