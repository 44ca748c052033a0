using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace KeyAccounts.Infrastructure.Auth;

/// <summary>
/// Ends the access of a user who was deactivated or whose password or roles changed (their security stamp moved): a bearer token
/// otherwise stays valid for hours, a cookie until Identity's next periodic check, and a rep who has left must lose the customer
/// archive at once. Every token and cookie is checked against <see cref="SignInStamps"/>: the next request is refused on every node
/// that hears the change (on PostgreSQL, every node that listens); a node that does not read the stamp again within
/// <see cref="SignInStamps.Recheck"/>.
/// </summary>
public static class RevokedSignIns
{
    public static async Task RejectRevokedTokenAsync(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return;
        var ticket = context.Options.BearerTokenProtector.Unprotect(header["Bearer ".Length..].Trim());
        if (ticket?.Principal is not { } principal) return;
        var stamps = context.HttpContext.RequestServices.GetRequiredService<SignInStamps>();
        if (!await stamps.IsCurrentAsync(principal, context.HttpContext.RequestAborted))
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

    /// <summary>The cookie's stamp is checked on every request; Identity's periodic validator still refreshes the cookie's claims.</summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } principal) return;
        var stamps = context.HttpContext.RequestServices.GetRequiredService<SignInStamps>();
        if (!await stamps.IsCurrentAsync(principal, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }
}
