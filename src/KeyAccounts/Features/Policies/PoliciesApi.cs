using KeyAccounts.Features.Organisation;

namespace KeyAccounts.Features.Policies;

public static class PoliciesApi
{
    public static void MapPoliciesApi(this IEndpointRouteBuilder app)
    {
        var policies = app.MapGroup("/api/v1/policies").WithTags("Policies").RequireAuthorization();
        policies.MapGet("/", PolicyQueries.ListAsync);
        policies.MapPost("/", SavePolicy.CreateAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        // Company-wide figures: for those who see every account.
        policies.MapPost("/simulate", PolicyQueries.SimulateAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin, Roles.Leader, Roles.Finance));
        policies.MapGet("/{id:long}", PolicyQueries.GetAsync);
        policies.MapPut("/{id:long}", SavePolicy.UpdateAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        policies.MapPost("/{id:long}/versions", SavePolicy.AddVersionAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        policies.MapGet("/{id:long}/coverage", PolicyQueries.CoverageAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin, Roles.Leader, Roles.Finance));

        app.MapGet("/api/v1/accounts/{id:long}/terms", PolicyQueries.TermsAsync).WithTags("Policies").RequireAuthorization();
    }
}
