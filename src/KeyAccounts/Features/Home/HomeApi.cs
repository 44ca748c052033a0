namespace KeyAccounts.Features.Home;

public static class HomeApi
{
    public static void MapHomeApi(this IEndpointRouteBuilder app)
    {
        var home = app.MapGroup("/api/v1/home").WithTags("Home").RequireAuthorization();
        home.MapGet("/", GetWorkbench.HandleAsync);
    }
}
