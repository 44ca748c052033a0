using System.Collections.Concurrent;
using System.Security.Claims;
using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KeyAccounts.Infrastructure.Auth;

/// <summary>
/// Users' current security stamps, kept in memory so that every request can check its token or cookie against them without a
/// statement of its own. A user whose stamp changes (password, roles, deactivation) is forgotten as soon as the change is saved
/// (<see cref="StampedUserManager"/>): on this node at once, and on the other nodes of a PostgreSQL database through its
/// notification on <see cref="Channel"/> (heard by <see cref="Features.Accounts.BookChangeListener"/>). A stamp is trusted until it
/// is forgotten only while that notification is listened to; otherwise (SQLite, where a command beside the app may change a user,
/// or a listener that lost its connection) it is read again after at most <see cref="Recheck"/>.
/// </summary>
public sealed class SignInStamps(Func<AppDb> dbs, TimeProvider clock, IOptions<IdentityOptions> identity)
{
    public static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);

    /// <summary>The PostgreSQL channel that carries the id of a user whose stamp changed between the nodes.</summary>
    public const string Channel = "keyaccounts_signins";

    private readonly ConcurrentDictionary<string, Entry> stamps = new();
    // Per user, how often it was forgotten: a stamp read while the user changed is kept under the old count and never served.
    private readonly ConcurrentDictionary<string, long> versions = new();
    // Moves on whenever listening starts or stops: a stamp read before is never served after.
    private long generation;
    private volatile bool listening;

    private sealed record Entry(string? Stamp, long Version, long Generation, DateTimeOffset Until);

    /// <summary>Whether this node hears the other nodes' stamp changes, and so keeps stamps until they are forgotten.</summary>
    public bool Listens => listening;

    /// <summary>Raised after a user's stamp was forgotten (by a save on this node or a notification from another).</summary>
    public event Action<string>? Forgotten;

    /// <summary>Whether the principal's sign-in still stands: its user is active and its security stamp is the user's current one.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var userId = principal.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType);
        var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        if (userId is null || stamp is null) return false;
        return await CurrentStampAsync(userId, ct) == stamp;
    }

    private async Task<string?> CurrentStampAsync(string userId, CancellationToken ct)
    {
        var version = versions.GetValueOrDefault(userId);
        // The generation before the listening state: a listener lost in between moves the generation, so no stamp kept forever survives it.
        var current = Interlocked.Read(ref generation);
        var trusted = listening;
        var now = clock.GetUtcNow();
        if (stamps.TryGetValue(userId, out var kept) && kept.Version == version && kept.Generation == current && now < kept.Until) return kept.Stamp;
        await using var db = dbs();
        var stamp = await db.Users.Where(u => u.Id == userId && u.IsActive).Select(u => u.SecurityStamp).FirstOrDefaultAsync(ct);
        stamps[userId] = new Entry(stamp, version, current, trusted ? DateTimeOffset.MaxValue : now + Recheck);
        return stamp;
    }

    /// <summary>The user's stamp is read again at their next request on this node.</summary>
    public void Forget(string userId)
    {
        versions.AddOrUpdate(userId, 1, (_, v) => v + 1);
        stamps.TryRemove(userId, out _);
        Forgotten?.Invoke(userId);
    }

    /// <summary>Called by the listener: stamps are trusted until forgotten only while it listens; what was read before is read again.</summary>
    public void Listening(bool on)
    {
        if (!on) listening = false;
        Interlocked.Increment(ref generation);
        stamps.Clear();
        if (on) listening = true;
    }
}

/// <summary>
/// Identity's user manager, forgetting a user's kept stamp whenever it saves the user (every stamp change goes through here), on this
/// node and, through the database's notification sent with the save, on the others.
/// </summary>
public sealed class StampedUserManager(
    IUserStore<AppUser> store, IOptions<IdentityOptions> options, IPasswordHasher<AppUser> hasher,
    IEnumerable<IUserValidator<AppUser>> userValidators, IEnumerable<IPasswordValidator<AppUser>> passwordValidators,
    ILookupNormalizer normalizer, IdentityErrorDescriber errors, IServiceProvider services, ILogger<UserManager<AppUser>> logger,
    SignInStamps stamps, AppDb db)
    : UserManager<AppUser>(store, options, hasher, userValidators, passwordValidators, normalizer, errors, services, logger)
{
    protected override async Task<IdentityResult> UpdateUserAsync(AppUser user)
    {
        var result = await base.UpdateUserAsync(user);
        // Sent on the store's context (the scope's one), so that inside a transaction the other nodes hear of it when it commits, not before.
        if (result.Succeeded) await db.Engine.NotifyAsync(db, SignInStamps.Channel, user.Id, CancellationToken);
        // Forgotten after the save: a request that read the old stamp meanwhile kept it under the old version.
        stamps.Forget(user.Id);
        return result;
    }
}

/// <summary>An open Blazor circuit has no requests to check: its sign-in is checked against the stamps every few seconds.</summary>
public sealed class RevalidatingSignIns(ILoggerFactory logs, SignInStamps stamps) : RevalidatingServerAuthenticationStateProvider(logs)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(10);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct) =>
        state.User.Identity?.IsAuthenticated != true || await stamps.IsCurrentAsync(state.User, ct);
}
