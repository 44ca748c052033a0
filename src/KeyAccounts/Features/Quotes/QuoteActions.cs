using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Transactions;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Quotes;

public static class QuoteRules
{
    /// <summary>A 409 saying the quote cannot be <paramref name="action"/> in its state.</summary>
    public static Conflict<ProblemDetails> NotIn(Quote quote, string action) =>
        Problems.Conflict("The quote cannot do that now.",
            $"Quote {quote.Number} is {Texts.Of<QuotesText>($"State.{quote.State}")} and cannot be {Texts.Of<QuotesText>($"Action.{action}")}.");

    /// <summary>The quote, tracked with its lines, if the user may edit its account: null when it is not theirs to see, false when only to see.</summary>
    public static async Task<(Quote? Quote, bool CanEdit)> EditableAsync(AppDb db, long id, CurrentUser user, CancellationToken ct)
    {
        var quote = await db.Quotes.Include(q => q.Lines).FirstOrDefaultAsync(q => q.Id == id && db.VisibleAccountIds(user).Contains(q.AccountId), ct);
        if (quote is null) return (null, false);
        return (quote, await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == quote.AccountId, ct));
    }

    /// <summary>Marks a quote past its valid-until day Expired (saved by the caller); true when it is.</summary>
    public static bool ExpireIfPast(Quote quote, DateOnly today, DateTime now)
    {
        if (quote.ValidUntil >= today || quote.State is QuoteState.Ordered or QuoteState.Cancelled or QuoteState.Expired) return false;
        quote.State = QuoteState.Expired;
        quote.UpdatedAt = now;
        return true;
    }
}

/// <summary>
/// Submits a quote: within the account's policy it is approved at once; a line asking for an extra discount goes to approval
/// (<see cref="QuoteApproval"/>).
/// </summary>
public static class SubmitQuote
{
    public sealed record Request(int? Version = null);

    public static async Task<Results<Ok<QuoteDto>, NotFound, ForbidHttpResult, Conflict<ProblemDetails>, ProblemHttpResult>> HandleAsync(
        long id, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] Request request, AppDb db, CurrentUser user, TimeProvider clock, IServiceProvider? services,
        HttpContext? http, CancellationToken ct)
    {
        var (quote, canEdit) = await QuoteRules.EditableAsync(db, id, user, ct);
        if (quote is null) return TypedResults.NotFound();
        if (!canEdit) return TypedResults.Forbid();
        if ((ETags.IfMatch(http) ?? request?.Version) is { } version && version != quote.Version)
            return Problems.PreconditionFailed($"Quote {quote.Number} was changed by someone else since you opened it. Reload and submit again.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (QuoteRules.ExpireIfPast(quote, SaveQuote.Today(clock), now))
        {
            await db.SaveChangesAsync(ct);
            return QuoteRules.NotIn(quote, "submitted");
        }
        if (quote.State is not (QuoteState.Draft or QuoteState.Returned)) return QuoteRules.NotIn(quote, "submitted");

        quote.SubmittedAt = now;
        quote.SubmittedById = user.Id;
        quote.DecisionNote = null;
        quote.UpdatedAt = now;
        var beyondPolicy = quote.Lines.Any(l => l.RequestedDiscountPercent > 0);
        if (beyondPolicy) QuoteApproval.MarkPending(quote);
        else
        {
            quote.State = QuoteState.Approved;
            quote.DecidedAt = now;
            quote.DecidedById = null;
            foreach (var line in quote.Lines) line.ApprovedAt = now;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.PreconditionFailed($"Quote {quote.Number} was changed by someone else at the same time. Reload and submit again.");
        }
        if (beyondPolicy) await QuoteApproval.RequestAsync(db, quote, user.Id, services, ct);
        await tx.CommitAsync(ct);
        var dto = (await QuoteReads.FindAsync(db, id, user, ct))!;
        http?.Response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }
}

/// <summary>Turns an approved quote into a sales order in the order tables, once: the order is numbered after the quote and marked with it.</summary>
public static class ConvertQuoteToOrder
{
    public sealed record Response(long OrderId, string OrderNo, QuoteDto Quote);

    public static async Task<Results<Created<Response>, NotFound, ForbidHttpResult, Conflict<ProblemDetails>>> HandleAsync(
        long id, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var (quote, canEdit) = await QuoteRules.EditableAsync(db, id, user, ct);
        if (quote is null) return TypedResults.NotFound();
        if (!canEdit) return TypedResults.Forbid();
        var now = clock.GetUtcNow().UtcDateTime;
        var today = SaveQuote.Today(clock);
        if (quote.State == QuoteState.Ordered)
            return Problems.Conflict("The quote is already an order.", $"Quote {quote.Number} is already order {await db.Orders.Where(o => o.Id == quote.OrderId).Select(o => o.OrderNo).FirstOrDefaultAsync(ct)}.");
        if (QuoteRules.ExpireIfPast(quote, today, now))
        {
            await db.SaveChangesAsync(ct);
            return QuoteRules.NotIn(quote, "ordered");
        }
        if (quote.State != QuoteState.Approved) return QuoteRules.NotIn(quote, "ordered");

        long[] productIds = [.. quote.Lines.Select(l => l.ProductId).Distinct()];
        var costs = new Dictionary<long, decimal>();
        foreach (var productId in productIds)
            costs[productId] = await LatestCostAsync(db, productId, ct);

        // The order and its lines and the quote's new state are one change: all of it or none.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var order = new SalesOrder { OrderNo = $"SO-{quote.Number}", AccountId = quote.AccountId, OrderDate = today, UpdatedAt = now, QuoteId = quote.Id };
        db.Orders.Add(order);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone converted it at the same moment: the unique quote on orders kept it to one.
            return Problems.Conflict("The quote is already an order.", $"Quote {quote.Number} was turned into an order at the same time.");
        }
        foreach (var line in quote.Lines.OrderBy(l => l.LineNo))
            db.OrderLines.Add(new OrderLine
            {
                OrderId = order.Id,
                LineNo = line.LineNo,
                AccountId = quote.AccountId,
                OrderDate = today,
                ProductId = line.ProductId,
                Quantity = line.Quantity,
                UnitPrice = line.UnitPrice,
                UnitCost = costs[line.ProductId],
            });
        quote.State = QuoteState.Ordered;
        quote.OrderId = order.Id;
        quote.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("The quote is already an order.", $"Quote {quote.Number} was changed at the same time; reload it.");
        }
        await transaction.CommitAsync(ct);
        var dto = (await QuoteReads.FindAsync(db, id, user, ct))!;
        return TypedResults.Created($"/api/v1/quotes/{id}", new Response(order.Id, order.OrderNo, dto));
    }

    /// <summary>
    /// The product's cost as last known: the cost on its latest order line fed from the ERP that carries one; 0 when none does
    /// (the products have no cost field of their own).
    /// </summary>
    public static async Task<decimal> LatestCostAsync(AppDb db, long productId, CancellationToken ct) =>
        await db.OrderLines.Where(l => l.ProductId == productId && l.UnitCost > 0).OrderByDescending(l => l.Id).Select(l => l.UnitCost).FirstOrDefaultAsync(ct);
}

/// <summary>Cancels a quote that is not yet an order.</summary>
public static class CancelQuote
{
    public sealed record Request(string? Reason);

    public static async Task<Results<Ok<QuoteDto>, NotFound, ForbidHttpResult, Conflict<ProblemDetails>, ValidationProblem>> HandleAsync(
        long id, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var (quote, canEdit) = await QuoteRules.EditableAsync(db, id, user, ct);
        if (quote is null) return TypedResults.NotFound();
        if (!canEdit) return TypedResults.Forbid();
        var v = new Validation().MaxLength("reason", request?.Reason, 2000);
        if (!v.IsValid) return v.Problem();
        if (quote.State is QuoteState.Ordered or QuoteState.Cancelled or QuoteState.Expired) return QuoteRules.NotIn(quote, "cancelled");
        if (quote.State == QuoteState.PendingApproval)
            return Problems.Conflict("Quote pending approval", $"Quote {quote.Number} waits for approval: withdraw its approval request first, then cancel it.");
        quote.State = QuoteState.Cancelled;
        quote.DecisionNote = request?.Reason.Trimmed() ?? quote.DecisionNote;
        quote.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await QuoteReads.FindAsync(db, id, user, ct))!);
    }
}
