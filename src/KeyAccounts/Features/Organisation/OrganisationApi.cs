using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Organisation;

public static class OrganisationApi
{
    public static void MapOrganisationApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization();
        users.MapGet("/", ListUsers.HandleAsync).RequireAuthorization(Policies.AdminOrManager);
        users.MapPost("/", CreateUser.HandleAsync).RequireAuthorization(Policies.Admin);
        users.MapPut("/{id}", UpdateUser.HandleAsync).RequireAuthorization(Policies.Admin);

        var departments = app.MapGroup("/api/v1/departments").WithTags("Departments").RequireAuthorization();
        departments.MapGet("/", ListDepartments.HandleAsync);
        departments.MapPost("/", SaveDepartment.CreateAsync).RequireAuthorization(Policies.Admin);
        departments.MapPut("/{id:int}", SaveDepartment.UpdateAsync).RequireAuthorization(Policies.Admin);
        departments.MapDelete("/{id:int}", SaveDepartment.DeleteAsync).RequireAuthorization(Policies.Admin);
    }
}
