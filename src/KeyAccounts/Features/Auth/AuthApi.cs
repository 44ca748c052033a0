using System.Security.Claims;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace KeyAccounts.Features.Auth;

public static class AuthApi
{
    public static void MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Auth");
        auth.MapPost("/token", IssueToken.HandleAsync).AllowAnonymous().RequireRateLimiting(SignInLimits.Policy);
        auth.MapPost("/password", ChangePassword.HandleAsync).RequireAuthorization();
        auth.MapGet("/me", (CurrentUser user) => TypedResults.Ok(new Me(user.Id, user.UserName,
            user.Principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList(), user.Scope))).RequireAuthorization();
        app.MapPost("/account/logout", async (SignInManager<AppUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login");
        }).ExcludeFromDescription();
    }

    public sealed record Me(string Id, string UserName, IReadOnlyList<string> Roles, DataScope Scope);
}

public static class IssueToken
{
    public sealed record Request(string? UserName, string? Password);

    public sealed record Response(string AccessToken, DateTime ExpiresAt);

    public static async Task<Results<Ok<Response>, ProblemHttpResult, ValidationProblem>> HandleAsync(
        Request request, UserManager<AppUser> users, SignInManager<AppUser> signIn, IServiceProvider services, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
            return new Validation().Require("userName", request.UserName, 256).Require("password", request.Password, 256).Problem();
        // One answer for an unknown, inactive or locked-out user and a wrong password: it must not tell which user names exist.
        var user = await PasswordCheck.CheckAsync(users, signIn, request.UserName, request.Password);
        if (user is null) return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong user name or password.");

        var principal = await signIn.CreateUserPrincipalAsync(user);
        var options = services.BearerOptions();
        var expires = clock.GetUtcNow().Add(options.BearerTokenExpiration);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = clock.GetUtcNow(), ExpiresUtc = expires },
            IdentityConstants.BearerScheme);
        return TypedResults.Ok(new Response(options.BearerTokenProtector.Protect(ticket), expires.UtcDateTime));
    }
}

public static class ChangePassword
{
    public sealed record Request(string? CurrentPassword, string? NewPassword);

    public static async Task<Results<NoContent, ValidationProblem>> HandleAsync(Request request, UserManager<AppUser> users, CurrentUser current)
    {
        var user = await users.FindByIdAsync(current.Id);
        if (user is null) return Validation.Single("currentPassword", $"Sign in again.");
        var result = await users.ChangePasswordAsync(user, request.CurrentPassword ?? "", request.NewPassword ?? "");
        if (result.Succeeded) return TypedResults.NoContent();
        var v = new Validation();
        foreach (var e in result.Errors)
            v.Add(e.Code == "PasswordMismatch" ? "currentPassword" : "newPassword", $"{e.Description}");
        return v.Problem();
    }
}
