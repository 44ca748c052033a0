using KeyAccounts.Features.Organisation;
using Microsoft.AspNetCore.Identity;

namespace KeyAccounts.Infrastructure.Auth;

/// <summary>
/// The password check of the token endpoint and the sign-in form. An unknown user, an inactive one, a locked-out one and a wrong
/// password get the same answer after the same work (one password hash checked), so that neither the answer nor its timing tells
/// which user names exist or are locked.
/// </summary>
public static class PasswordCheck
{
    private static readonly AppUser Decoy = new() { UserName = "decoy" };
    private static string? decoyHash;

    /// <summary>The signed-in user, or null for every kind of failure; failures count towards the lockout.</summary>
    public static async Task<AppUser?> CheckAsync(UserManager<AppUser> users, SignInManager<AppUser> signIn, string userName, string password)
    {
        var user = await users.FindByNameAsync(userName.Trim());
        if (user is null || !user.IsActive || await users.IsLockedOutAsync(user))
        {
            decoyHash ??= users.PasswordHasher.HashPassword(Decoy, Guid.NewGuid().ToString("N"));
            users.PasswordHasher.VerifyHashedPassword(Decoy, decoyHash, password);
            return null;
        }
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        return result.Succeeded ? user : null;
    }
}
