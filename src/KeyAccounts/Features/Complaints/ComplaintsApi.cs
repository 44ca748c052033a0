using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Complaints;

public static class ComplaintsApi
{
    public static void MapComplaintsApi(this IEndpointRouteBuilder app)
    {
        var complaints = app.MapGroup("/api/v1/complaints").WithTags("Complaints").RequireAuthorization();
        complaints.MapGet("/", ListComplaints.HandleAsync);
        complaints.MapPost("/", CreateComplaint.HandleAsync);
        complaints.MapGet("/deadlines", ComplaintDeadlines.ListAsync);
        complaints.MapPut("/deadlines", ComplaintDeadlines.SaveAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        complaints.MapGet("/{id:long}", GetComplaint.HandleAsync);
        complaints.MapPost("/{id:long}/status", ChangeComplaintStatus.HandleAsync);
        complaints.MapPost("/{id:long}/assignee", AssignComplaint.HandleAsync);
        complaints.MapPost("/{id:long}/escalate", EscalateComplaint.HandleAsync);
        complaints.MapPost("/{id:long}/quality-incident", RecordQualityIncident.HandleAsync);
    }
}
