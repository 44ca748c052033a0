namespace KeyAccounts.Features.Imports;

public static class ImportsApi
{
    public static void MapImportsApi(this IEndpointRouteBuilder app)
    {
        var imports = app.MapGroup("/api/v1/imports").WithTags("Imports").RequireAuthorization();
        // Integrations post files with a bearer token; the antiforgery token belongs to the UI's forms.
        imports.MapPost("/{kind}", RunImport.HandleAsync).DisableAntiforgery();
        imports.MapGet("/{kind}/template", GetImportTemplate.HandleAsync);
    }
}
