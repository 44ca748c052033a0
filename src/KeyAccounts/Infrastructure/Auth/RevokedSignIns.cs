using System.Security.Claims;
using KeyAccounts.Data;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KeyAccounts.Infrastructure.Auth;

/// <summary>
/// Ends the API access of a user who was deactivated or whose password or roles changed (their security stamp moved): a
/// bearer token otherwise stays valid for hours, and a rep who has left must lose the customer archive at once. Cookies get
/// the same rule from Identity's security-stamp validator. The check is one indexed lookup per user per minute on each
/// node; on the node that made the change it is immediate.
/// </summary>
public static class RevokedSignIns
{
    private static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);

    public static async Task RejectRevokedTokenAsync(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return;
        var ticket = context.Options.BearerTokenProtector.Unprotect(header["Bearer ".Length..].Trim());
        if (ticket?.Principal is not { } principal) return;
        var services = context.HttpContext.RequestServices;
        var stampClaim = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = principal.FindFirstValue(stampClaim);
        if (userId is null) return;
        var current = await services.GetRequiredService<IMemoryCache>().GetOrCreateAsync(Key(userId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Recheck;
            await using var db = services.GetRequiredService<Func<AppDb>>()();
            return await db.Users.Where(u => u.Id == userId && u.IsActive).Select(u => u.SecurityStamp).FirstOrDefaultAsync();
        });
        if (current is null || current != stamp)
        {
            context.Fail("This sign-in has been revoked.");
            return;
        }
        // The bearer handler would unprotect the same token a second time; it gets the ticket instead, with the handler's own checks.
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || ticket.Properties.ExpiresUtc is not { } expires) return;
        if ((context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow() >= expires)
        {
            context.Fail("Token expired");
            return;
        }
        context.Principal = principal;
        context.Properties = ticket.Properties;
        context.Success();
    }

    /// <summary>Called where a user is changed, so that on this node the change takes effect at the next request.</summary>
    public static void Forget(IMemoryCache cache, string userId) => cache.Remove(Key(userId));

    private static (string, string) Key(string userId) => ("signin", userId);
}
