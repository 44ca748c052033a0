using System.Security.Claims;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace KeyAccounts.Features.Organisation;

/// <summary>
/// A user's chosen language, kept as their "locale" claim (Identity's user claims: no column of its own). The UI follows it
/// after sign-in on any device, and notifications (inbox, e-mail, group robots) are worded in it; without one, the company's.
/// </summary>
public static class UserLanguage
{
    public static async Task<string?> GetAsync(UserManager<AppUser> users, AppUser user) =>
        (await users.GetClaimsAsync(user)).FirstOrDefault(c => c.Type == Texts.LocaleClaim)?.Value;

    public static async Task SetAsync(UserManager<AppUser> users, AppUser user, string culture)
    {
        var name = Texts.Culture(culture).Name;
        var current = (await users.GetClaimsAsync(user)).Where(c => c.Type == Texts.LocaleClaim).ToList();
        if (current.Count == 1 && current[0].Value == name) return;
        if (current.Count > 0) await users.RemoveClaimsAsync(user, current);
        await users.AddClaimAsync(user, new Claim(Texts.LocaleClaim, name));
    }
}
