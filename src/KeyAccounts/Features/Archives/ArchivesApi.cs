namespace KeyAccounts.Features.Archives;

public static class ArchivesApi
{
    public static void MapArchivesApi(this IEndpointRouteBuilder app)
    {
        var archives = app.MapGroup("/api/v1").WithTags("Archives").RequireAuthorization();
    }
}
