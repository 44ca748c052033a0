using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyAccounts.Features.Quotes;

public static class ListQuotes
{
    /// <summary>Which quotes: of one account, in one state, of the accounts one user owns.</summary>
    public sealed record Filter(long? AccountId = null, QuoteState? State = null, string? OwnerId = null);

    public static async Task<Ok<Paged<QuoteSummary>>> HandleAsync(long? accountId, QuoteState? state, string? ownerId, int? page, int? pageSize,
        AppDb db, CurrentUser user, CancellationToken ct) =>
        TypedResults.Ok(await QueryAsync(new Filter(accountId, state, ownerId), page, pageSize, db, user, ct));

    public static Task<Paged<QuoteSummary>> QueryAsync(Filter f, int? page, int? pageSize, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var accounts = db.Accounts.VisibleTo(db, user);
        if (!string.IsNullOrEmpty(f.OwnerId)) accounts = accounts.Where(a => a.OwnerId == f.OwnerId);
        var ids = accounts.Select(a => a.Id);
        var q = db.Quotes.Where(x => ids.Contains(x.AccountId));
        if (f.AccountId is { } a) q = q.Where(x => x.AccountId == a);
        if (f.State is { } s) q = q.Where(x => x.State == s);
        return q.OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id).Select(QuoteSummary.Projection(db)).ToPagedAsync(page, pageSize, ct);
    }
}

public static class GetQuote
{
    public static async Task<Results<Ok<QuoteDto>, NotFound>> HandleAsync(long id, AppDb db, CurrentUser user, HttpContext? http, CancellationToken ct)
    {
        var quote = await QuoteReads.FindAsync(db, id, user, ct);
        if (quote is null) return TypedResults.NotFound();
        http?.Response.Headers.ETag = ETags.For(quote.Version);
        return TypedResults.Ok(quote);
    }
}
