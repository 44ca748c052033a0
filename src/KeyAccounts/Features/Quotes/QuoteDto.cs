using System.Linq.Expressions;
using KeyAccounts.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Quotes;

/// <summary>A quote in a list.</summary>
public sealed record QuoteSummary(long Id, string Number, long AccountId, string AccountCode, string AccountName, string? OwnerName,
    DateOnly QuoteDate, DateOnly ValidUntil, QuoteState State, decimal Total, string Currency, long? OrderId)
{
    public static Expression<Func<Quote, QuoteSummary>> Projection(AppDb db) => q => new QuoteSummary(
        q.Id, q.Number, q.AccountId,
        db.Accounts.Where(a => a.Id == q.AccountId).Select(a => a.Code).FirstOrDefault() ?? "",
        db.Accounts.Where(a => a.Id == q.AccountId).Select(a => a.Name).FirstOrDefault() ?? "",
        db.Accounts.Where(a => a.Id == q.AccountId).Select(a => a.Owner!.DisplayName).FirstOrDefault(),
        q.QuoteDate, q.ValidUntil, q.State, q.Total, q.Currency, q.OrderId);
}

/// <summary>A quote line with the explanation of its price.</summary>
public sealed record QuoteLineDto(int LineNo, long ProductId, string ProductCode, string ProductName, decimal Quantity, decimal ListPrice,
    long? PriceListId, string PriceListName, decimal PolicyDiscountPercent, string? PolicyRule, decimal RequestedDiscountPercent,
    decimal UnitPrice, decimal Amount, string? ApprovedById, string? ApprovedByName, DateTime? ApprovedAt);

/// <summary>A whole quote. <c>discountPercent</c> is the overall discount of the amounts against the list amounts.</summary>
public sealed record QuoteDto(long Id, string Number, long AccountId, string AccountCode, string AccountName, string? OwnerName,
    DateOnly QuoteDate, DateOnly ValidUntil, string Currency, QuoteState State, string? Note, decimal ListTotal, decimal Total,
    decimal DiscountPercent, DateTime? SubmittedAt, string? SubmittedByName, DateTime? DecidedAt, string? DecidedByName, string? DecisionNote,
    long? OrderId, string? OrderNo, DateTime CreatedAt, string? CreatedByName, int Version, IReadOnlyList<QuoteLineDto> Lines);

public static class QuoteReads
{
    /// <summary>The quote if the user may see its account; null otherwise (the API answers 404 either way).</summary>
    public static async Task<QuoteDto?> FindAsync(AppDb db, long id, Infrastructure.Auth.CurrentUser user, CancellationToken ct)
    {
        var visible = Accounts.AccountAccess.VisibleAccountIds(db, user);
        var head = await db.Quotes.Where(q => q.Id == id && visible.Contains(q.AccountId)).Select(q => new
        {
            Quote = q,
            Account = db.Accounts.Where(a => a.Id == q.AccountId).Select(a => new { a.Code, a.Name, Owner = a.Owner!.DisplayName }).First(),
            SubmittedBy = db.Users.Where(u => u.Id == q.SubmittedById).Select(u => u.DisplayName).FirstOrDefault(),
            DecidedBy = db.Users.Where(u => u.Id == q.DecidedById).Select(u => u.DisplayName).FirstOrDefault(),
            CreatedBy = db.Users.Where(u => u.Id == q.CreatedById).Select(u => u.DisplayName).FirstOrDefault(),
            OrderNo = db.Orders.Where(o => o.Id == q.OrderId).Select(o => o.OrderNo).FirstOrDefault(),
        }).AsNoTracking().FirstOrDefaultAsync(ct);
        if (head is null) return null;
        var lines = await db.QuoteLines.Where(l => l.QuoteId == id).OrderBy(l => l.LineNo).Select(l => new QuoteLineDto(
            l.LineNo, l.ProductId,
            db.Products.Where(p => p.Id == l.ProductId).Select(p => p.Code).First(),
            db.Products.Where(p => p.Id == l.ProductId).Select(p => p.Name).First(),
            l.Quantity, l.ListPrice, l.PriceListId, l.PriceListName, l.PolicyDiscountPercent, l.PolicyRule, l.RequestedDiscountPercent,
            l.UnitPrice, l.Amount, l.ApprovedById, db.Users.Where(u => u.Id == l.ApprovedById).Select(u => u.DisplayName).FirstOrDefault(), l.ApprovedAt))
            .ToListAsync(ct);
        var q = head.Quote;
        return new QuoteDto(q.Id, q.Number, q.AccountId, head.Account.Code, head.Account.Name, head.Account.Owner, q.QuoteDate, q.ValidUntil,
            q.Currency, q.State, q.Note, q.ListTotal, q.Total, QuotePricing.DiscountPercent(q.ListTotal, q.Total), q.SubmittedAt, head.SubmittedBy,
            q.DecidedAt, head.DecidedBy, q.DecisionNote, q.OrderId, head.OrderNo, q.CreatedAt, head.CreatedBy, q.Version, lines);
    }
}
