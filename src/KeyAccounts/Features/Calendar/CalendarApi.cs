namespace KeyAccounts.Features.Calendar;

public static class CalendarApi
{
    public static void MapCalendarApi(this IEndpointRouteBuilder app)
    {
        // Tagged "Visits" as before the split, so the OpenAPI document is unchanged.
        var api = app.MapGroup("/api/v1").WithTags("Visits").RequireAuthorization();
        api.MapGet("/calendar", GetCalendar.HandleAsync);
        api.MapGet("/calendar/feed", CalendarFeeds.GetAsync);
        api.MapPost("/calendar/feed", CalendarFeeds.RegenerateAsync);
        api.MapDelete("/calendar/feed", CalendarFeeds.RevokeAsync);

        // The subscription URL carries its own secret: calendar apps cannot sign in.
        app.MapGet("/ical/{token}.ics", CalendarExport.FeedAsync).AllowAnonymous().ExcludeFromDescription();
    }
}
