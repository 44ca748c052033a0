using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Quotes;

public static class QuotesApi
{
    public static void MapQuotesApi(this IEndpointRouteBuilder app)
    {
        var quotes = app.MapGroup("/api/v1/quotes").WithTags("Quotes").RequireAuthorization();
        quotes.MapGet("/", ListQuotes.HandleAsync);
        quotes.MapPost("/", SaveQuote.CreateAsync);
        quotes.MapPost("/preview", SaveQuote.PreviewAsync);
        quotes.MapGet("/{id:long}", GetQuote.HandleAsync);
        quotes.MapPut("/{id:long}", SaveQuote.UpdateAsync);
        quotes.MapPost("/{id:long}/submit", SubmitQuote.HandleAsync);
        quotes.MapPost("/{id:long}/order", ConvertQuoteToOrder.HandleAsync);
        quotes.MapPost("/{id:long}/cancel", CancelQuote.HandleAsync);

        var lists = app.MapGroup("/api/v1/price-lists").WithTags("Quotes").RequireAuthorization();
        lists.MapGet("/", PriceLists.ListAsync);
        lists.MapGet("/{id:long}", PriceLists.GetAsync);
        lists.MapPost("/", PriceLists.CreateAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        lists.MapPut("/{id:long}", PriceLists.UpdateAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        lists.MapDelete("/{id:long}", PriceLists.DeleteAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);

        app.MapGet("/api/v1/products", Products.ListAsync).WithTags("Quotes").RequireAuthorization();

        // The printable quote is a page for people, not part of the API document.
        app.MapGet("/quotes/{id:long}/print", PrintQuote.HandleAsync).RequireAuthorization().ExcludeFromDescription();
    }
}
