namespace KeyAccounts.Features.Imports;

public static class ImportsApi
{
    public const long MaxUpload = 8L * 1024 * 1024 * 1024;

    public static void MapImportsApi(this IEndpointRouteBuilder app)
    {
        var imports = app.MapGroup("/api/v1/imports").WithTags("Imports").RequireAuthorization();
        // Integrations post files with a bearer token; the antiforgery token belongs to the UI's forms.
        // ERP exports of millions of order lines run to gigabytes: the upload is spooled to disk and read as a stream.
        imports.MapPost("/{kind}", RunImport.HandleAsync).DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxUpload))
            .WithFormOptions(multipartBodyLengthLimit: MaxUpload);
        imports.MapGet("/{kind}/template", GetImportTemplate.HandleAsync);
    }
}
