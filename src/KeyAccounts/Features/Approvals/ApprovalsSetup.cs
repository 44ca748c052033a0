using KeyAccounts.Features.Evaluation;

namespace KeyAccounts.Features.Approvals;

public static class ApprovalsSetup
{
    /// <summary>The document types the engine handles; each feature with approvals adds its <see cref="IApprovalDocument"/> here or in its own setup.</summary>
    public static IServiceCollection AddApprovals(this IServiceCollection services)
    {
        services.AddScoped<IApprovalDocument, EvaluationRunApproval>();
        services.AddScoped<IApprovalDocument, Quotes.QuoteApprovalDocument>();
        return services;
    }
}
