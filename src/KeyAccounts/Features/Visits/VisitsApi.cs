using KeyAccounts.Features.Calendar;
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
        api.MapPut("/visits/policy", EditVisitPolicy.HandleAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        api.MapGet("/visits/going-cold", GoingCold.HandleAsync);
        api.MapGet("/visits/{id:long}", GetVisit.HandleAsync);
        api.MapPost("/visits/{id:long}/record", RecordVisit.HandleAsync);
        api.MapPost("/visits/{id:long}/cancel", CancelVisit.HandleAsync);
        api.MapGet("/visits/{id:long}/calendar.ics", CalendarExport.VisitAsync);
        api.MapGet("/accounts/{id:long}/timeline", GetAccountTimeline.HandleAsync);
    }
}
