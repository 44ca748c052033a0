using KeyAccounts.Features.Organisation;
using Microsoft.AspNetCore.Authorization;

namespace KeyAccounts.Infrastructure.Auth;

public static class Policies
{
    public const string Admin = "Admin";
    public const string ManagerOrAbove = "ManagerOrAbove";
    public const string LeaderOrAdmin = "LeaderOrAdmin";
    public const string AdminOrManager = "AdminOrManager";

    public static AuthorizationBuilder AddKeyAccountsPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Admin, p => p.RequireRole(Roles.Admin))
        .AddPolicy(ManagerOrAbove, p => p.RequireRole(Roles.Admin, Roles.Leader, Roles.Manager))
        .AddPolicy(LeaderOrAdmin, p => p.RequireRole(Roles.Admin, Roles.Leader))
        .AddPolicy(AdminOrManager, p => p.RequireRole(Roles.Admin, Roles.Manager));
}
