using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Approvals;

public static class ApprovalsApi
{
    public static void MapApprovalsApi(this IEndpointRouteBuilder app)
    {
        var approvals = app.MapGroup("/api/v1/approvals").WithTags("Approvals").RequireAuthorization();
        approvals.MapGet("/", ApprovalViews.ListAsync);
        approvals.MapGet("/inbox", ApprovalViews.InboxAsync);
        approvals.MapGet("/inbox/count", ApprovalViews.InboxCountAsync);
        approvals.MapGet("/submitted", ApprovalViews.SubmittedAsync);
        approvals.MapGet("/copied", ApprovalViews.CopiedAsync);
        approvals.MapGet("/document-types", ApprovalFlows.DocumentTypes);
        approvals.MapGet("/{id:long}", ApprovalViews.GetAsync);
        approvals.MapPost("/{id:long}/approve", ApprovalActions.ApproveAsync);
        approvals.MapPost("/{id:long}/reject", ApprovalActions.RejectAsync);
        approvals.MapPost("/{id:long}/return", ApprovalActions.ReturnAsync);
        approvals.MapPost("/{id:long}/add-approver", ApprovalActions.AddApproverAsync);
        approvals.MapPost("/{id:long}/copy", ApprovalActions.CopyAsync);
        approvals.MapPost("/{id:long}/withdraw", ApprovalActions.WithdrawAsync);
        approvals.MapPost("/{id:long}/resubmit", ApprovalActions.ResubmitAsync);

        var flows = app.MapGroup("/api/v1/approval-flows").WithTags("Approvals").RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        flows.MapGet("/", ApprovalFlows.ListAsync);
        flows.MapGet("/{id:int}", ApprovalFlows.GetAsync);
        flows.MapPost("/", ApprovalFlows.CreateAsync);
        flows.MapPut("/{id:int}", ApprovalFlows.UpdateAsync);
        flows.MapDelete("/{id:int}", ApprovalFlows.DeleteAsync);
    }
}
