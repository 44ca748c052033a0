namespace KeyAccounts.Features.Imports;

public static class ImportsApi
{
    public static void MapImportsApi(this IEndpointRouteBuilder app)
    {
        var imports = app.MapGroup("/api/v1/imports").WithTags("Imports").RequireAuthorization();
    }
}
