using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Organisation;

public static class OrganisationApi
{
    public static void MapOrganisationApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization();
        users.MapGet("/", ListUsers.HandleAsync).RequireAuthorization(Infrastructure.Auth.Policies.AdminOrManager);
        users.MapPost("/", CreateUser.HandleAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        users.MapPut("/{id}", UpdateUser.HandleAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);

        var departments = app.MapGroup("/api/v1/departments").WithTags("Departments").RequireAuthorization();
        departments.MapGet("/", ListDepartments.HandleAsync);
        departments.MapPost("/", SaveDepartment.CreateAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        departments.MapPut("/{id:int}", SaveDepartment.UpdateAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        departments.MapDelete("/{id:int}", SaveDepartment.DeleteAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
    }
}
