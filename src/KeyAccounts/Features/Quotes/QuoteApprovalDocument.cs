using KeyAccounts.Data;
using KeyAccounts.Features.Approvals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Quotes;

/// <summary>
/// A quote with a discount beyond policy as a document of the approval engine: the final decision of its request moves the quote
/// (approved: each line's explanation names the approver; rejected or returned: the reason is kept; withdrawn: back to its author).
/// </summary>
public sealed class QuoteApprovalDocument : IApprovalDocument
{
    public string DocumentType => QuoteApproval.DocumentType;

    public async Task OnDecidedAsync(AppDb db, ApprovalOutcome outcome, CancellationToken ct)
    {
        IResult result = outcome.State switch
        {
            ApprovalState.Approved => (await QuoteApproval.ApproveQuoteAsync(db, outcome.DocumentId, outcome.DecidedById, ct)).Result,
            ApprovalState.Rejected => (await QuoteApproval.RejectQuoteAsync(db, outcome.DocumentId, outcome.Reason, ct)).Result,
            // Returned, or withdrawn by its author: the quote can be changed and submitted again.
            _ => (await QuoteApproval.ReturnQuoteAsync(db, outcome.DocumentId, string.IsNullOrWhiteSpace(outcome.Reason) ? "—" : outcome.Reason, ct)).Result,
        };
        switch (result)
        {
            case NotFound:
                throw new ApprovalConflictException($"Quote {outcome.DocumentId} no longer exists.");
            case Conflict<ProblemDetails> conflict:
                throw new ApprovalConflictException(conflict.Value?.Detail ?? $"Quote {outcome.DocumentId} cannot be decided now.");
            case ValidationProblem problem:
                throw new ApprovalConflictException(string.Join(" ", problem.ProblemDetails.Errors.SelectMany(e => e.Value)));
        }
    }
}
