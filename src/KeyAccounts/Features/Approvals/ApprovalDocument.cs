using KeyAccounts.Data;

namespace KeyAccounts.Features.Approvals;

/// <summary>
/// A kind of document that goes through the approval engine. One implementation per document type, registered in DI
/// (<c>services.AddScoped&lt;IApprovalDocument, X&gt;()</c>); one with a parameterless constructor is also found without DI.
/// </summary>
public interface IApprovalDocument
{
    /// <summary>Stable English key: "EvaluationRun", later "Quote", "HeldOrder", "CreditOverride", ...</summary>
    string DocumentType { get; }

    /// <summary>
    /// Called inside the same transaction as the final decision (approved / rejected / returned / withdrawn). Throw
    /// <see cref="ApprovalConflictException"/> to refuse it (the document can no longer take it): nothing is written, the caller gets 409.
    /// </summary>
    Task OnDecidedAsync(AppDb db, ApprovalOutcome outcome, CancellationToken ct);

    /// <summary>A returned request was submitted again through the engine (<c>POST /api/v1/approvals/{id}/resubmit</c>), in its transaction.</summary>
    Task OnResubmittedAsync(AppDb db, ApprovalRequest request, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Words the notice to newly assigned approvers itself; false lets the engine send its own.</summary>
    Task<bool> NotifyAssignedAsync(AppDb db, ApprovalRequest request, IReadOnlyCollection<string> approverIds, CancellationToken ct) => Task.FromResult(false);

    /// <summary>Words the notice of a decision to the submitter itself; false lets the engine send its own.</summary>
    Task<bool> NotifyDecidedAsync(AppDb db, ApprovalRequest request, ApprovalOutcome outcome, CancellationToken ct) => Task.FromResult(false);
}

public enum ApprovalState { Pending, Approved, Rejected, Returned, Withdrawn }

public sealed record ApprovalOutcome(long RequestId, long DocumentId, ApprovalState State, string? Reason, string DecidedById);

/// <param name="SubmitterId">The user who asks; empty for the system (a scheduled job).</param>
/// <param name="Link">App-relative link to the document, e.g. "/quotes/12".</param>
/// <param name="Facts">What flows' conditions test, e.g. <c>{ "discountPercent": 12.5 }</c>.</param>
public sealed record ApprovalSubmission(string DocumentType, long DocumentId, long? AccountId, string SubmitterId,
    string Title, string Link, IReadOnlyDictionary<string, decimal> Facts);

/// <summary>A document refuses a decision (it changed meanwhile): the engine writes nothing and answers 409 with this message.</summary>
public sealed class ApprovalConflictException(string message) : Exception(message);

/// <summary>Finds the handler of a document type: from DI when given, else the implementations in this assembly.</summary>
public static class ApprovalDocuments
{
    private static readonly Lazy<IReadOnlyList<IApprovalDocument>> Found = new(() => [.. typeof(IApprovalDocument).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IApprovalDocument).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (IApprovalDocument)Activator.CreateInstance(t)!)]);

    public static IEnumerable<IApprovalDocument> All(IServiceProvider? services)
    {
        var registered = services?.GetService(typeof(IEnumerable<IApprovalDocument>)) as IEnumerable<IApprovalDocument>;
        var list = registered?.ToList() ?? [];
        return list.Count > 0 ? list.Concat(Found.Value.Where(f => list.All(r => r.DocumentType != f.DocumentType))) : Found.Value;
    }

    public static IApprovalDocument? For(string documentType, IServiceProvider? services) =>
        All(services).FirstOrDefault(d => d.DocumentType == documentType);
}
