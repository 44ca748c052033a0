using KeyAccounts.Analytics;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyAccounts.Features.Evaluation;

/// <summary>API.md <c>POST /api/v1/evaluation/ahp</c>: weights and consistency of a pairwise comparison matrix.</summary>
public static class CalculateAhp
{
    public sealed record Request(List<string>? Criteria, List<List<double>>? Matrix);

    public sealed record Judgement(string Row, string Column, double Given, double Implied, double Deviation);

    public sealed record Response(
        Dictionary<string, double> Weights, double LambdaMax, double ConsistencyIndex, double ConsistencyRatio, bool IsConsistent,
        IReadOnlyList<Judgement> MostInconsistent);

    public static Results<Ok<Response>, ValidationProblem> Handle(Request request)
    {
        var v = new Validation();
        var criteria = request.Criteria ?? [];
        if (criteria.Count == 0) v.Add("criteria", $"Name the criteria being compared.");
        if (criteria.Any(string.IsNullOrWhiteSpace)) v.Add("criteria", $"Every criterion needs a name.");
        if (criteria.Distinct(StringComparer.Ordinal).Count() != criteria.Count) v.Add("criteria", $"Each criterion may appear only once.");
        if (!v.IsValid) return v.Problem();
        var result = Compute(criteria, request.Matrix, v, "matrix");
        return result is null ? v.Problem() : TypedResults.Ok(result);
    }

    /// <summary>Validates the matrix against the criteria and computes it; errors name the cell as <c>matrix[row][column]</c>.</summary>
    public static Response? Compute(IReadOnlyList<string> criteria, List<List<double>>? matrix, Validation v, string field)
    {
        if (matrix is null || matrix.Count != criteria.Count)
        {
            v.Add(field, $"The matrix must have one row per criterion: {criteria.Count} rows, it has {matrix?.Count ?? 0}.");
            return null;
        }
        var errors = Ahp.Validate(matrix.Select(r => (IReadOnlyList<double>)(r ?? [])).ToList());
        foreach (var e in errors)
        {
            var names = e.Row < criteria.Count && e.Column < criteria.Count ? $" ({criteria[e.Row]} vs {criteria[e.Column]})" : "";
            v.Add($"{field}[{e.Row}][{e.Column}]", $"{e.Message}{names}");
        }
        if (errors.Count > 0) return null;
        var r = Ahp.Compute(matrix.Select(x => (IReadOnlyList<double>)x).ToList());
        return new Response(
            criteria.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => r.Weights[x.i]),
            r.LambdaMax, r.ConsistencyIndex, r.ConsistencyRatio, r.IsConsistent,
            [.. r.MostInconsistent.Select(j => new Judgement(criteria[j.Row], criteria[j.Column], j.Given, j.Implied, j.Deviation))]);
    }
}
