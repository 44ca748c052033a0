using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Evaluation;

public static class EvaluationApi
{
    public static void MapEvaluationApi(this IEndpointRouteBuilder app)
    {
        var evaluation = app.MapGroup("/api/v1/evaluation").WithTags("Evaluation").RequireAuthorization();
        evaluation.MapPost("/ahp", CalculateAhp.Handle);
        evaluation.MapGet("/models", EvaluationModels.ListAsync);
        evaluation.MapGet("/models/{id:long}", EvaluationModels.GetAsync);
        evaluation.MapPost("/models", EvaluationModels.CreateAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        evaluation.MapPut("/models/{id:long}", EvaluationModels.UpdateAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        evaluation.MapPost("/models/{id:long}/activate", EvaluationModels.ActivateAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        evaluation.MapGet("/judgements", JudgedScores.ListAsync);
        evaluation.MapGet("/judgements/missing", JudgedScores.MissingAsync);
        evaluation.MapPut("/judgements", JudgedScores.SaveAsync).RequireAuthorization(Infrastructure.Auth.Policies.ManagerOrAbove);
        evaluation.MapGet("/runs", EvaluationRuns.ListAsync);
        evaluation.MapPost("/runs", RunEvaluation.HandleAsync).RequireAuthorization(Infrastructure.Auth.Policies.ManagerOrAbove);
        evaluation.MapGet("/runs/{id:long}", EvaluationRuns.GetAsync);
        evaluation.MapGet("/runs/{id:long}/results", EvaluationRuns.ResultsAsync);
        evaluation.MapPost("/runs/{id:long}/results/{accountId:long}/override", EvaluationRuns.OverrideAsync).RequireAuthorization(Infrastructure.Auth.Policies.ManagerOrAbove);
        evaluation.MapGet("/runs/check", CheckRun.HandleAsync);
        evaluation.MapGet("/runs/{id:long}/publication", RunPublication.SummaryAsync).RequireAuthorization(Infrastructure.Auth.Policies.LeaderOrAdmin);
        evaluation.MapGet("/runs/{id:long}/publication/accounts", RunPublication.AccountsAsync).RequireAuthorization(Infrastructure.Auth.Policies.LeaderOrAdmin);
        evaluation.MapPost("/runs/{id:long}/approve", RunDecisions.ApproveAsync).RequireAuthorization(Infrastructure.Auth.Policies.LeaderOrAdmin);
        evaluation.MapPost("/runs/{id:long}/reject", RunDecisions.RejectAsync).RequireAuthorization(Infrastructure.Auth.Policies.LeaderOrAdmin);
        evaluation.MapPost("/runs/{id:long}/return", RunDecisions.ReturnAsync).RequireAuthorization(Infrastructure.Auth.Policies.LeaderOrAdmin);
        evaluation.MapPost("/runs/{id:long}/submit", RunDecisions.SubmitAsync).RequireAuthorization(Infrastructure.Auth.Policies.ManagerOrAbove);
        evaluation.MapGet("/runs/{id:long}/priority", PriorityAnalysis.HandleAsync);
        evaluation.MapGet("/pareto", ParetoAnalysis.HandleAsync);
        evaluation.MapGet("/accounts/{accountId:long}/tiers", TierHistory.HandleAsync);

        var keyAccounts = app.MapGroup("/api/v1/key-accounts").WithTags("Evaluation").RequireAuthorization();
        keyAccounts.MapGet("/", KeyAccountList.HandleAsync);
        keyAccounts.MapGet("/export", KeyAccountList.ExportAsync);
    }
}
