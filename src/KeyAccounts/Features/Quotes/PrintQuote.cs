using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyAccounts.Features.Quotes;

/// <summary>The company's letterhead on printed documents, from configuration (Company:Name, Company:Address, Company:Phone).</summary>
public sealed record CompanyHeader(string Name, string? Address, string? Phone)
{
    public static CompanyHeader From(IConfiguration config) =>
        new(config["Company:Name"].Trimmed() ?? "KeyAccounts", config["Company:Address"].Trimmed(), config["Company:Phone"].Trimmed());
}

/// <summary>GET /quotes/{id}/print: the quote as a printable HTML page, for those who may see its account.</summary>
public static class PrintQuote
{
    public static async Task<Results<RazorComponentResult<QuotePrint>, NotFound>> HandleAsync(long id, AppDb db, CurrentUser user, IConfiguration config,
        HttpContext http, CancellationToken ct)
    {
        var quote = await QuoteReads.FindAsync(db, id, user, ct);
        if (quote is null) return TypedResults.NotFound();
        return new RazorComponentResult<QuotePrint>(new
        {
            Quote = quote,
            Company = CompanyHeader.From(config),
            Nonce = SecurityHeaders.Nonce(http),
        });
    }
}
