using KeyAccounts.Data;
using KeyAccounts.Features.Approvals;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Quotes;

/// <summary>
/// The quote's side of the approval of a discount beyond policy. <see cref="RequestAsync"/> is where a submitted quote goes to
/// the approval engine (document type "Quote"); the engine's decision comes back through <see cref="ApproveQuoteAsync"/>,
/// <see cref="RejectQuoteAsync"/> and <see cref="ReturnQuoteAsync"/>.
/// </summary>
public static class QuoteApproval
{
    public const string DocumentType = "Quote";

    /// <summary>The facts an approval flow's conditions read (e.g. discount above 10 % → a leader too).</summary>
    public sealed record Facts(decimal DiscountPercent, decimal DiscountBeyondPolicy, decimal Amount);

    public static Facts FactsOf(Quote quote)
    {
        var discount = QuotePricing.DiscountPercent(quote.ListTotal, quote.Total);
        var policy = quote.Lines.Select(l => l.PolicyDiscountPercent).DefaultIfEmpty(0).Max();
        return new Facts(discount, Math.Max(0, discount - policy), quote.Total);
    }

    /// <summary>A submitted quote waits for approval as PendingApproval (saved by the caller, with the quote, before <see cref="RequestAsync"/>).</summary>
    public static void MarkPending(Quote quote)
    {
        quote.State = QuoteState.PendingApproval;
        quote.DecidedAt = null;
        quote.DecidedById = null;
        foreach (var line in quote.Lines)
        {
            line.ApprovedById = null;
            line.ApprovedAt = null;
        }
    }

    public static ApprovalSubmission Submission(Quote quote, string submitterId)
    {
        var facts = FactsOf(quote);
        return new ApprovalSubmission(DocumentType, quote.Id, quote.AccountId, submitterId, $"报价单 {quote.Number}", $"/quotes/{quote.Id}",
            new Dictionary<string, decimal>
            {
                ["discountPercent"] = facts.DiscountPercent,
                ["discountBeyondPolicy"] = facts.DiscountBeyondPolicy,
                ["amount"] = facts.Amount,
            });
    }

    /// <summary>
    /// Sends a saved PendingApproval quote to the approval engine (document type "Quote"), inside the caller's transaction: the flow
    /// its facts choose decides it (<see cref="QuoteApprovalDocument"/>); with no flow for quotes it is approved at once.
    /// </summary>
    public static Task RequestAsync(AppDb db, Quote quote, string submitterId, IServiceProvider? services, CancellationToken ct) =>
        db.SubmitForApprovalAsync(Submission(quote, submitterId), services, ct);

    /// <summary>The approver's yes: the quote is Approved, and each line's explanation names the approver.</summary>
    public static async Task<Results<Ok, NotFound, Conflict<ProblemDetails>>> ApproveQuoteAsync(AppDb db, long quoteId, string approverId, CancellationToken ct = default)
    {
        var quote = await db.Quotes.Include(q => q.Lines).FirstOrDefaultAsync(q => q.Id == quoteId, ct);
        if (quote is null) return TypedResults.NotFound();
        if (quote.State != QuoteState.PendingApproval) return QuoteRules.NotIn(quote, "approved");
        var now = db.Clock.GetUtcNow().UtcDateTime;
        quote.State = QuoteState.Approved;
        quote.DecidedAt = now;
        quote.DecidedById = approverId;
        quote.DecisionNote = null;
        quote.UpdatedAt = now;
        foreach (var line in quote.Lines)
        {
            line.ApprovedById = approverId;
            line.ApprovedAt = now;
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok();
    }

    /// <summary>The approver's no, with the reason the submitter reads; the quote can be edited and submitted again.</summary>
    public static Task<Results<Ok, NotFound, Conflict<ProblemDetails>, ValidationProblem>> RejectQuoteAsync(AppDb db, long quoteId, string? reason, CancellationToken ct = default) =>
        DecideAsync(db, quoteId, QuoteState.Rejected, reason, approverId: null, "rejected", ct);

    /// <summary>Sent back to the submitter (退回) to change and submit again; the reason says what to change.</summary>
    public static Task<Results<Ok, NotFound, Conflict<ProblemDetails>, ValidationProblem>> ReturnQuoteAsync(AppDb db, long quoteId, string? reason, CancellationToken ct = default) =>
        DecideAsync(db, quoteId, QuoteState.Returned, reason, approverId: null, "returned", ct);

    private static async Task<Results<Ok, NotFound, Conflict<ProblemDetails>, ValidationProblem>> DecideAsync(
        AppDb db, long quoteId, QuoteState to, string? reason, string? approverId, string action, CancellationToken ct)
    {
        var v = new Validation().Require("reason", reason, 2000);
        if (!v.IsValid) return v.Problem();
        var quote = await db.Quotes.FirstOrDefaultAsync(q => q.Id == quoteId, ct);
        if (quote is null) return TypedResults.NotFound();
        if (quote.State != QuoteState.PendingApproval) return QuoteRules.NotIn(quote, action);
        var now = db.Clock.GetUtcNow().UtcDateTime;
        quote.State = to;
        quote.DecidedAt = now;
        quote.DecidedById = approverId ?? db.Actor.UserId;
        quote.DecisionNote = reason!.Trim();
        quote.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok();
    }
}
