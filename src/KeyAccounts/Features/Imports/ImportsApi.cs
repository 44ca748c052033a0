using Microsoft.Extensions.Options;

namespace KeyAccounts.Features.Imports;

public static class ImportsApi
{
    /// <summary>The import pipeline's services: the kinds the features contribute and the limits (section <c>Imports</c>).</summary>
    public static IServiceCollection AddKeyAccountsImports(this IServiceCollection services, params ImportKind[] kinds)
    {
        services.AddOptions<ImportLimits>().BindConfiguration("Imports");
        foreach (var kind in kinds) services.AddSingleton(kind);
        services.AddSingleton<ImportKinds>();
        return services;
    }

    public static void MapImportsApi(this IEndpointRouteBuilder app)
    {
        var max = app.ServiceProvider.GetRequiredService<IOptions<ImportLimits>>().Value.MaxUploadBytes;
        var imports = app.MapGroup("/api/v1/imports").WithTags("Imports").RequireAuthorization();
        // Integrations post files with a bearer token; the antiforgery token belongs to the UI's forms. The upload is spooled
        // to disk and read as a stream; the server stops reading past the limit, and the handler answers 413.
        imports.MapPost("/{kind}", RunImport.HandleAsync).DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(max + RunImport.MultipartOverhead))
            .WithFormOptions(multipartBodyLengthLimit: max);
        imports.MapGet("/{kind}/template", GetImportTemplate.HandleAsync);
    }
}
