using System.Security.Claims;
using KeyAccounts.Features.Organisation;

namespace KeyAccounts.Infrastructure.Auth;

/// <summary>How much of the book a user sees.</summary>
public enum DataScope
{
    /// <summary>Accounts they own or that are shared with them (Rep, Engineer).</summary>
    Own,

    /// <summary>Accounts owned by anyone in their department or below it, plus those shared with them (Manager).</summary>
    Department,

    /// <summary>Every account (Admin, Leader, Finance).</summary>
    All,
}

/// <summary>The signed-in user of this request or Blazor circuit.</summary>
public sealed class CurrentUser(IHttpContextAccessor? http = null)
{
    private ClaimsPrincipal? principal;

    public ClaimsPrincipal Principal
    {
        get => principal ?? http?.HttpContext?.User ?? new ClaimsPrincipal(new ClaimsIdentity());
        set => principal = value;
    }

    public static CurrentUser For(ClaimsPrincipal principal) => new() { Principal = principal };

    public bool IsAuthenticated => Principal.Identity?.IsAuthenticated == true;
    public string Id => Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
    public string UserName => Principal.FindFirstValue(ClaimTypes.Name) ?? "";
    public bool IsInRole(string role) => Principal.IsInRole(role);

    public DataScope Scope =>
        IsInRole(Roles.Admin) || IsInRole(Roles.Leader) || IsInRole(Roles.Finance) ? DataScope.All
        : IsInRole(Roles.Manager) ? DataScope.Department
        : DataScope.Own;

    /// <summary>Finance sees everything but keeps the books, not the archives.</summary>
    public bool EditsEverything => IsInRole(Roles.Admin) || IsInRole(Roles.Leader);

    public bool IsManagerOrAbove => IsInRole(Roles.Admin) || IsInRole(Roles.Leader) || IsInRole(Roles.Manager);
}
