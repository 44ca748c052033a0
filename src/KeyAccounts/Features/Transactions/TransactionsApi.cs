namespace KeyAccounts.Features.Transactions;

public static class TransactionsApi
{
    public static void MapTransactionsApi(this IEndpointRouteBuilder app)
    {
        var feeds = app.MapGroup("/api/v1/transactions").WithTags("Transactions").RequireAuthorization();
        feeds.MapPost("/orders", PostTransactionBatch.OrdersAsync);
        feeds.MapPost("/invoices", PostTransactionBatch.InvoicesAsync);
        feeds.MapPost("/payments", PostTransactionBatch.PaymentsAsync);
        feeds.MapPost("/quality-incidents", PostTransactionBatch.QualityIncidentsAsync);

        var account = app.MapGroup("/api/v1/accounts/{id:long}").WithTags("Transactions").RequireAuthorization();
        account.MapGet("/orders", AccountTransactions.OrdersAsync);
        account.MapGet("/invoices", AccountTransactions.InvoicesAsync);
        account.MapGet("/payments", AccountTransactions.PaymentsAsync);
        account.MapGet("/quality-incidents", AccountTransactions.QualityIncidentsAsync);
        account.MapGet("/transaction-summary", GetTransactionSummary.HandleAsync);
    }
}
