namespace KeyAccounts.Features.Receivables;

public static class ReceivablesApi
{
    public static void MapReceivablesApi(this IEndpointRouteBuilder app)
    {
        var receivables = app.MapGroup("/api/v1/receivables").WithTags("Receivables").RequireAuthorization();
        receivables.MapGet("/ageing", GetAgeing.HandleAsync);
        receivables.MapGet("/ageing/export", GetAgeing.ExportAsync);
        receivables.MapGet("/collection-rates", CollectionRates.HandleAsync);
        receivables.MapGet("/overdue-instalments", FinanceBoard.OverdueAsync);
        receivables.MapGet("/collections-this-month", FinanceBoard.ThisMonthAsync);

        var plans = app.MapGroup("/api/v1/collection-plans").WithTags("Receivables").RequireAuthorization();
        plans.MapPost("/", CollectionPlans.CreateAsync);
        plans.MapGet("/{id:long}", CollectionPlans.GetAsync);
        plans.MapPost("/{id:long}/instalments/{no:int}/void", CollectionPlans.VoidAsync);
        plans.MapPost("/{id:long}/payments", CollectionPlans.RecordPaymentAsync);

        var account = app.MapGroup("/api/v1/accounts/{id:long}").WithTags("Receivables").RequireAuthorization();
        account.MapGet("/collection-plans", CollectionPlans.OfAccountAsync);
        account.MapGet("/credit-exposure", CreditExposureQueries.HandleAsync);
        account.MapGet("/invoice-title", InvoiceTitles.GetAsync);
        account.MapPut("/invoice-title", InvoiceTitles.PutAsync);
    }
}
