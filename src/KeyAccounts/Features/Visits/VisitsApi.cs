using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Visits;

public static class VisitsApi
{
    public static void MapVisitsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Visits").RequireAuthorization();
        api.MapPost("/visits", PlanVisit.HandleAsync);
        api.MapGet("/visits", ListVisits.HandleAsync);
        api.MapGet("/visits/coverage", GetCoverage.HandleAsync);
        api.MapGet("/visits/coverage/board", GetCoverage.BoardAsync);
        api.MapGet("/visits/policy", GetVisitPolicy.HandleAsync);
        api.MapPut("/visits/policy", EditVisitPolicy.HandleAsync).RequireAuthorization(Policies.Admin);
        api.MapGet("/visits/going-cold", GoingCold.HandleAsync);
        api.MapGet("/visits/{id:long}", GetVisit.HandleAsync);
        api.MapPost("/visits/{id:long}/record", RecordVisit.HandleAsync);
        api.MapPost("/visits/{id:long}/cancel", CancelVisit.HandleAsync);
        api.MapGet("/visits/{id:long}/calendar.ics", CalendarExport.VisitAsync);
        api.MapGet("/accounts/{id:long}/timeline", GetAccountTimeline.HandleAsync);

        api.MapGet("/tasks", ListTasks.HandleAsync);
        api.MapPost("/tasks", CreateTask.HandleAsync);
        api.MapGet("/tasks/{id:long}", GetTask.HandleAsync);
        api.MapPut("/tasks/{id:long}", UpdateTask.HandleAsync);
        api.MapPost("/tasks/{id:long}/complete", CompleteTask.HandleAsync);

        api.MapGet("/follow-ups", ListFollowUps.HandleAsync);
        api.MapPost("/follow-ups", LogFollowUp.HandleAsync);
        api.MapGet("/follow-ups/contact-today", ContactToday.HandleAsync);

        api.MapGet("/calendar", GetCalendar.HandleAsync);
        api.MapGet("/calendar/feed", CalendarFeeds.GetAsync);
        api.MapPost("/calendar/feed", CalendarFeeds.RegenerateAsync);
        api.MapDelete("/calendar/feed", CalendarFeeds.RevokeAsync);

        // The subscription URL carries its own secret: calendar apps cannot sign in.
        app.MapGet("/ical/{token}.ics", CalendarExport.FeedAsync).AllowAnonymous().ExcludeFromDescription();
    }
}
