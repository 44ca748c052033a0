namespace KeyAccounts.Features.Archives;

public static class ArchivesApi
{
    public static void MapArchivesApi(this IEndpointRouteBuilder app)
    {
        var archives = app.MapGroup("/api/v1").WithTags("Archives").RequireAuthorization();
        archives.MapGet("/accounts/{id:long}/archive", GetArchive.HandleAsync);
        archives.MapPut("/accounts/{id:long}/archive", SaveArchive.HandleAsync);
        archives.MapGet("/accounts/{id:long}/archive/completeness", GetArchiveCompleteness.HandleAsync);
        archives.MapGet("/archives/completeness", ListArchiveCompleteness.HandleAsync);
    }
}
