using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Care;

public static class CareApi
{
    public static void MapCareApi(this IEndpointRouteBuilder app)
    {
        var care = app.MapGroup("/api/v1").WithTags("Care").RequireAuthorization();
        care.MapGet("/care/calendar", GetCareCalendar.HandleAsync);
        care.MapGet("/care/budgets", CareBudgets.GetAsync);
        care.MapPut("/care/budgets", CareBudgets.SaveAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        care.MapGet("/accounts/{id:long}/care-actions", CareActions.ListAsync);
        care.MapPost("/accounts/{id:long}/care-actions", CareActions.RecordAsync);
        care.MapPut("/accounts/{id:long}/cooperation-since", CareActions.SetCooperationSinceAsync);
    }
}
