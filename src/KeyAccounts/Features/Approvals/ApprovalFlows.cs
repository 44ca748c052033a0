using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Approvals;

public sealed record ApprovalFlowDto(int Id, string DocumentType, string Name, string? Description, int Priority, bool IsActive,
    IReadOnlyList<ApprovalCondition> Conditions, IReadOnlyList<ApprovalStep> Steps, DateTime CreatedAt, DateTime UpdatedAt, int Version)
{
    public static ApprovalFlowDto From(ApprovalFlow f) =>
        new(f.Id, f.DocumentType, f.Name, f.Description, f.Priority, f.IsActive, f.Conditions, f.Steps, f.CreatedAt, f.UpdatedAt, f.Version);
}

/// <summary>The flows (Admin): per document type, by priority, with their conditions and steps.</summary>
public static class ApprovalFlows
{
    public const string EvaluationRun = "EvaluationRun";
    public const string Quote = "Quote";

    /// <summary>
    /// The default flows, each installed when its document type has no flow at all: evaluation runs by a leader (any one); quotes
    /// beyond policy by the owner's manager, and by a leader too when the discount beyond policy is above 10 %.
    /// </summary>
    public static async Task InstallDefaultsAsync(AppDb db, TimeProvider clock, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var installed = await db.ApprovalFlows.Select(f => f.DocumentType).Distinct().ToListAsync(ct);
        ApprovalFlow Flow(string type, string name, string description, int priority, List<ApprovalCondition> conditions, List<ApprovalStep> steps) => new()
        {
            DocumentType = type,
            Name = name,
            Description = description,
            Priority = priority,
            Conditions = conditions,
            Steps = steps,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (!installed.Contains(EvaluationRun))
            db.ApprovalFlows.Add(Flow(EvaluationRun, "评价结果发布审批", "公司领导审批后发布，客户等级与大客户名单随之更新。", 0, [],
                [new ApprovalStep("公司领导审批", ApproverKind.Role, ApprovalMode.Any, Role: Roles.Leader)]));
        if (!installed.Contains(Quote))
        {
            db.ApprovalFlows.Add(Flow(Quote, "报价折扣审批", "超出政策的折扣由客户负责人的直属上级审批。", 0, [],
                [new ApprovalStep("直属上级审批", ApproverKind.OwnerManager, ApprovalMode.Any)]));
            db.ApprovalFlows.Add(Flow(Quote, "大幅折扣审批", "超出政策 10% 以上的折扣，直属上级审批后再由公司领导审批。", 10,
                [new ApprovalCondition("discountBeyondPolicy", ConditionOperator.Gt, 10)],
                [new ApprovalStep("直属上级审批", ApproverKind.OwnerManager, ApprovalMode.Any),
                 new ApprovalStep("公司领导审批", ApproverKind.Role, ApprovalMode.Any, Role: Roles.Leader)]));
        }
        await db.SaveChangesAsync(ct);
    }

    public sealed record DocumentTypeDto(string Key);

    /// <summary><c>GET /api/v1/approvals/document-types</c>: the document types the engine handles.</summary>
    public static Ok<List<DocumentTypeDto>> DocumentTypes(IServiceProvider services) =>
        TypedResults.Ok(ApprovalDocuments.All(services).Select(d => new DocumentTypeDto(d.DocumentType)).OrderBy(d => d.Key, StringComparer.Ordinal).ToList());

    public static async Task<Ok<Paged<ApprovalFlowDto>>> ListAsync(string? documentType, int? page, int? pageSize, AppDb db, CancellationToken ct)
    {
        var flows = db.ApprovalFlows.AsNoTracking();
        if (documentType.Trimmed() is { } type) flows = flows.Where(f => f.DocumentType == type);
        var paged = await flows.OrderBy(f => f.DocumentType).ThenByDescending(f => f.Priority).ThenBy(f => f.Id).ToPagedAsync(page, pageSize, ct);
        return TypedResults.Ok(new Paged<ApprovalFlowDto>([.. paged.Items.Select(ApprovalFlowDto.From)], paged.Total, paged.Page, paged.PageSize));
    }

    public static async Task<Results<Ok<ApprovalFlowDto>, NotFound>> GetAsync(int id, AppDb db, HttpContext? http, CancellationToken ct)
    {
        var flow = await db.ApprovalFlows.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct);
        if (flow is null) return TypedResults.NotFound();
        http?.Response.Headers.ETag = ETags.For(flow.Version);
        return TypedResults.Ok(ApprovalFlowDto.From(flow));
    }

    public sealed record Request(string? DocumentType, string? Name, string? Description, int? Priority, bool? IsActive,
        IReadOnlyList<ApprovalCondition>? Conditions, IReadOnlyList<ApprovalStep>? Steps, int? Version = null);

    public static async Task<Results<Created<ApprovalFlowDto>, ValidationProblem>> CreateAsync(
        Request request, AppDb db, TimeProvider clock, IServiceProvider services, CancellationToken ct)
    {
        var v = await ValidateAsync(request, db, services, ct);
        if (!v.IsValid) return v.Problem();
        var now = clock.GetUtcNow().UtcDateTime;
        var flow = new ApprovalFlow { DocumentType = request.DocumentType!.Trim(), Name = "", CreatedAt = now };
        Apply(flow, request, now);
        db.ApprovalFlows.Add(flow);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/approval-flows/{flow.Id}", ApprovalFlowDto.From(flow));
    }

    /// <summary>Replaces the flow; requests under way keep the steps they were submitted with. A stale If-Match (or body version) answers 412.</summary>
    public static async Task<Results<Ok<ApprovalFlowDto>, NotFound, ValidationProblem, ProblemHttpResult, Conflict<ProblemDetails>>> UpdateAsync(
        int id, Request request, AppDb db, TimeProvider clock, IServiceProvider services, HttpContext? http, CancellationToken ct)
    {
        var flow = await db.ApprovalFlows.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (flow is null) return TypedResults.NotFound();
        var expected = ETags.IfMatch(http) ?? request.Version;
        if (expected is { } e && e != flow.Version) return Problems.PreconditionFailed($"The flow is at version {flow.Version}; reload it and edit again.");
        var v = await ValidateAsync(request, db, services, ct);
        if (!v.IsValid) return v.Problem();
        flow.DocumentType = request.DocumentType!.Trim();
        Apply(flow, request, clock.GetUtcNow().UtcDateTime);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.PreconditionFailed("The flow was changed by someone else; reload it and edit again.");
        }
        http?.Response.Headers.ETag = ETags.For(flow.Version);
        return TypedResults.Ok(ApprovalFlowDto.From(flow));
    }

    /// <summary>Deletes the flow; requests under way go on with the steps they were submitted with.</summary>
    public static async Task<Results<NoContent, NotFound>> DeleteAsync(int id, AppDb db, CancellationToken ct)
    {
        var flow = await db.ApprovalFlows.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (flow is null) return TypedResults.NotFound();
        db.ApprovalFlows.Remove(flow);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static void Apply(ApprovalFlow flow, Request request, DateTime now)
    {
        flow.Name = request.Name!.Trim();
        flow.Description = request.Description.Trimmed();
        flow.Priority = request.Priority ?? 0;
        flow.IsActive = request.IsActive ?? true;
        flow.Conditions = [.. (request.Conditions ?? []).Select(c => c with { Fact = c.Fact.Trim() })];
        flow.Steps = [.. request.Steps!.Select(s => s with
        {
            Name = s.Name.Trim(),
            Levels = s.Kind == ApproverKind.ManagerLevelsUp ? s.Levels : null,
            DepartmentId = s.Kind == ApproverKind.DepartmentHead ? s.DepartmentId : null,
            Role = s.Kind == ApproverKind.Role ? s.Role : null,
            UserIds = s.Kind == ApproverKind.NamedUsers ? [.. s.UserIds!.Distinct()] : null,
        })];
        flow.UpdatedAt = now;
    }

    private static async Task<Validation> ValidateAsync(Request request, AppDb db, IServiceProvider services, CancellationToken ct)
    {
        var v = new Validation().Require("documentType", request.DocumentType, 50).Require("name", request.Name, 100).MaxLength("description", request.Description, 500);
        if (request.DocumentType.Trimmed() is { } type && ApprovalDocuments.For(type, services) is null)
            v.Add("documentType", $"No document type {type}: one of {string.Join(", ", ApprovalDocuments.All(services).Select(d => d.DocumentType))}.");
        if (request.Priority is < 0 or > 10_000) v.Add("priority", $"priority must be between {0} and {10_000}.");
        var conditions = request.Conditions ?? [];
        for (var i = 0; i < conditions.Count; i++)
        {
            if (conditions[i] is null) { v.Add($"conditions[{i}]", $"Give the condition."); continue; }
            v.Require($"conditions[{i}].fact", conditions[i].Fact, 50);
            if (!Enum.IsDefined(conditions[i].Operator)) v.Add($"conditions[{i}].operator", $"operator must be one of Gt, Ge, Lt, Le, Eq, Ne.");
        }
        var steps = request.Steps ?? [];
        if (steps.Count == 0) v.Add("steps", $"A flow needs at least one step.");
        if (steps.Count > 20) v.Add("steps", $"A flow has at most {20} steps.");
        var departmentIds = steps.Where(s => s?.DepartmentId is not null).Select(s => s.DepartmentId!.Value).Distinct().ToList();
        var departments = await db.Departments.Where(d => departmentIds.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct);
        var userIds = steps.Where(s => s?.UserIds is not null).SelectMany(s => s.UserIds!).Distinct().ToList();
        var users = await db.Users.Where(u => userIds.Contains(u.Id) && u.IsActive).Select(u => u.Id).ToListAsync(ct);
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            if (s is null) { v.Add($"steps[{i}]", $"Give the step."); continue; }
            v.Require($"steps[{i}].name", s.Name, 100);
            if (!Enum.IsDefined(s.Kind)) v.Add($"steps[{i}].kind", $"kind must be one of {string.Join(", ", Enum.GetNames<ApproverKind>())}.");
            if (!Enum.IsDefined(s.Mode)) v.Add($"steps[{i}].mode", $"mode must be one of {string.Join(", ", Enum.GetNames<ApprovalMode>())}.");
            switch (s.Kind)
            {
                case ApproverKind.ManagerLevelsUp when s.Levels is not (>= 1 and <= 10):
                    v.Add($"steps[{i}].levels", $"levels must be between {1} and {10}.");
                    break;
                case ApproverKind.DepartmentHead when s.DepartmentId is not { } d || !departments.Contains(d):
                    v.Add($"steps[{i}].departmentId", $"Name an existing department.");
                    break;
                case ApproverKind.Role when s.Role is null || !Roles.All.Contains(s.Role):
                    v.Add($"steps[{i}].role", $"role must be one of {string.Join(", ", Roles.All)}.");
                    break;
                case ApproverKind.NamedUsers when s.UserIds is not { Count: > 0 }:
                    v.Add($"steps[{i}].userIds", $"Name at least one person.");
                    break;
                case ApproverKind.NamedUsers when s.UserIds!.FirstOrDefault(u => !users.Contains(u)) is { } unknown:
                    v.Add($"steps[{i}].userIds", $"No active user has the id {unknown}.");
                    break;
            }
        }
        return v;
    }
}
