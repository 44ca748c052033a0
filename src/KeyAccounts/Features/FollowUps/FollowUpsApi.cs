namespace KeyAccounts.Features.FollowUps;

public static class FollowUpsApi
{
    public static void MapFollowUpsApi(this IEndpointRouteBuilder app)
    {
        // Tagged "Visits" as before the split, so the OpenAPI document is unchanged.
        var api = app.MapGroup("/api/v1").WithTags("Visits").RequireAuthorization();
        api.MapGet("/follow-ups", ListFollowUps.HandleAsync);
        api.MapPost("/follow-ups", LogFollowUp.HandleAsync);
        api.MapGet("/follow-ups/contact-today", ContactToday.HandleAsync);
    }
}
