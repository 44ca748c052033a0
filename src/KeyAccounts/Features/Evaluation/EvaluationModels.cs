using System.Text.RegularExpressions;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Evaluation;

public sealed record EvaluationModelDto(
    long Id, long LineageId, string Name, int ModelVersion, ModelStatus Status, List<Criterion> Criteria, WeightMethod WeightMethod,
    List<List<double>>? AhpMatrix, double? ConsistencyRatio, TierRules TierRules, MissingJudgementRule MissingJudgements,
    EvaluationSchedule Schedule, DateTime CreatedAt, DateTime? ActivatedAt, bool IsDefault, int Version)
{
    public static EvaluationModelDto From(EvaluationModel m, long? defaultId) => new(
        m.Id, m.LineageId, m.Name, m.ModelVersion, m.Status, m.Criteria, m.WeightMethod, m.AhpMatrix, m.ConsistencyRatio,
        m.TierRules, m.MissingJudgements, m.Schedule, m.CreatedAt, m.ActivatedAt, m.Id == defaultId, m.Version);
}

/// <summary>The rating standards: list, read, save (a new version once a version is active or used), activate.</summary>
public static partial class EvaluationModels
{
    /// <summary>
    /// The standard eight criteria of DOMAIN.md §1, equally weighted: the starting point of a new model, named in the current
    /// UI language (a criterion's name is the model's data, shown as it was saved).
    /// </summary>
    public static List<Criterion> StandardCriteria()
    {
        var text = Texts.For<EvaluationText>();
        return
        [
            new("ContractCount", text["ContractCount"], CriterionSource.ContractCount, Direction.HigherIsBetter, Normalization.PercentileRank, 0.125m),
            new("AverageUnitPrice", text["AverageUnitPrice"], CriterionSource.AverageUnitPrice, Direction.HigherIsBetter, Normalization.PercentileRank, 0.125m),
            new("SalesRevenue", text["SalesRevenue"], CriterionSource.SalesRevenue, Direction.HigherIsBetter, Normalization.PercentileRank, 0.125m),
            new("CollectionRate", text["CollectionRate"], CriterionSource.CollectionRate, Direction.HigherIsBetter, Normalization.Bands, 0.125m,
                [new(0.95, 100), new(0.85, 80), new(0.7, 50), new(0, 0)]),
            new("Profit", text["Profit"], CriterionSource.Profit, Direction.HigherIsBetter, Normalization.PercentileRank, 0.125m),
            new("QualityLoss", text["QualityLoss"], CriterionSource.QualityLoss, Direction.LowerIsBetter, Normalization.MinMax, 0.125m),
            new("IndustryInfluence", text["IndustryInfluence"], CriterionSource.Judged, Direction.HigherIsBetter, Normalization.Points, 0.125m),
            new("BusinessReputation", text["BusinessReputation"], CriterionSource.Judged, Direction.HigherIsBetter, Normalization.Points, 0.125m),
        ];
    }

    public sealed record SaveRequest(
        string? Name, List<Criterion>? Criteria, WeightMethod? WeightMethod = null, List<List<double>>? AhpMatrix = null,
        TierRules? TierRules = null, MissingJudgementRule? MissingJudgements = null, EvaluationSchedule? Schedule = null, int? Version = null);

    public static async Task<long?> DefaultModelIdAsync(AppDb db, CancellationToken ct) =>
        await db.EvaluationModels.Where(m => m.Status == ModelStatus.Active)
            .OrderByDescending(m => m.ActivatedAt).ThenByDescending(m => m.Id).Select(m => (long?)m.Id).FirstOrDefaultAsync(ct);

    public static async Task<Ok<Paged<EvaluationModelDto>>> ListAsync(int? page, int? pageSize, bool? includeRetired, AppDb db, CancellationToken ct)
    {
        var defaultId = await DefaultModelIdAsync(db, ct);
        var q = db.EvaluationModels.AsQueryable();
        if (includeRetired != true) q = q.Where(m => m.Status != ModelStatus.Retired);
        var paged = await q.OrderByDescending(m => m.Status == ModelStatus.Active).ThenBy(m => m.Name).ThenByDescending(m => m.ModelVersion)
            .ToPagedAsync(page, pageSize, ct);
        return TypedResults.Ok(new Paged<EvaluationModelDto>([.. paged.Items.Select(m => EvaluationModelDto.From(m, defaultId))], paged.Total, paged.Page, paged.PageSize));
    }

    public static async Task<Results<Ok<EvaluationModelDto>, NotFound>> GetAsync(long id, AppDb db, CancellationToken ct)
    {
        var model = await db.EvaluationModels.FirstOrDefaultAsync(m => m.Id == id, ct);
        return model is null ? TypedResults.NotFound() : TypedResults.Ok(EvaluationModelDto.From(model, await DefaultModelIdAsync(db, ct)));
    }

    public static async Task<Results<Created<EvaluationModelDto>, ValidationProblem>> CreateAsync(SaveRequest request, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var checkedRequest = Validate(request, v);
        if (checkedRequest is null) return v.Problem();
        var now = clock.GetUtcNow().UtcDateTime;
        var model = new EvaluationModel { Name = request.Name!.Trim(), Status = ModelStatus.Draft, CreatedAt = now, UpdatedAt = now };
        checkedRequest(model);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.EvaluationModels.Add(model);
        await db.SaveChangesAsync(ct);
        model.LineageId = model.Id;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/v1/evaluation/models/{model.Id}", EvaluationModelDto.From(model, await DefaultModelIdAsync(db, ct)));
    }

    /// <summary>
    /// A draft nobody has run is edited in place; an active, retired or already-run version stays as it was (runs name
    /// it) and the edit becomes the next version, a draft to be activated.
    /// </summary>
    public static async Task<Results<Ok<EvaluationModelDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, SaveRequest request, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var model = await db.EvaluationModels.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (model is null) return TypedResults.NotFound();
        if (request.Version is { } expected && expected != model.Version)
            return Problems.PreconditionFailed($"Model {model.Name} v{model.ModelVersion} was changed by someone else. Reload it and apply your change again.");
        var v = new Validation();
        var apply = Validate(request, v);
        if (apply is null) return v.Problem();
        var now = clock.GetUtcNow().UtcDateTime;
        var used = await db.EvaluationRuns.AnyAsync(r => r.ModelId == id, ct);
        if (model.Status == ModelStatus.Draft && !used)
        {
            model.Name = request.Name!.Trim();
            apply(model);
            model.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(EvaluationModelDto.From(model, await DefaultModelIdAsync(db, ct)));
        }
        var last = await db.EvaluationModels.Where(m => m.LineageId == model.LineageId).MaxAsync(m => m.ModelVersion, ct);
        var next = new EvaluationModel
        {
            Name = request.Name!.Trim(),
            LineageId = model.LineageId,
            ModelVersion = last + 1,
            Status = ModelStatus.Draft,
            CreatedAt = now,
            UpdatedAt = now,
        };
        apply(next);
        db.EvaluationModels.Add(next);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(EvaluationModelDto.From(next, await DefaultModelIdAsync(db, ct)));
    }

    /// <summary>Makes a version the one in force (and the default for runs); the other versions of the standard retire.</summary>
    public static async Task<Results<Ok<EvaluationModelDto>, NotFound, ValidationProblem>> ActivateAsync(long id, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var model = await db.EvaluationModels.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (model is null) return TypedResults.NotFound();
        if (model.WeightMethod == WeightMethod.Ahp && model.ConsistencyRatio is { } cr && cr >= Ahp.ConsistencyLimit)
        {
            var names = model.Criteria.Select(c => c.Name).ToList();
            var worst = Ahp.Compute(model.AhpMatrix!.Select(r => (IReadOnlyList<double>)r).ToList()).MostInconsistent
                .Select(j => FormattableString.Invariant($"{names[j.Row]} : {names[j.Column]} {j.Given:0.##} → {j.Implied:0.##}"));
            // The judgements are listed without words of their own, so the message reads whole in either language.
            return Validation.Single("ahpMatrix",
                $"The AHP consistency ratio is {cr:0.000}; it must be under 0.1 before the model can be activated. Revisit the most inconsistent judgements (as given → as the weights imply): {string.Join("; ", worst)}.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var other in await db.EvaluationModels.Where(m => m.LineageId == model.LineageId && m.Id != id && m.Status == ModelStatus.Active).ToListAsync(ct))
        {
            other.Status = ModelStatus.Retired;
            other.UpdatedAt = now;
        }
        model.Status = ModelStatus.Active;
        model.ActivatedAt = now;
        model.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(EvaluationModelDto.From(model, await DefaultModelIdAsync(db, ct)));
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex KeyPattern();

    /// <summary>Checks a model as submitted; on success returns what to apply to the entity (AHP weights derived here).</summary>
    public static Action<EvaluationModel>? Validate(SaveRequest r, Validation v)
    {
        v.Require("name", r.Name, 100);
        var criteria = r.Criteria ?? [];
        if (criteria.Count == 0) v.Add("criteria", $"A model needs at least one criterion.");
        if (criteria.Count > Ahp.RandomIndex.Length) v.Add("criteria", $"A model has at most {Ahp.RandomIndex.Length} criteria.");
        for (var i = 0; i < criteria.Count; i++)
        {
            var c = criteria[i];
            if (c is null) { v.Add($"criteria[{i}]", $"The criterion is empty."); continue; }
            if (c.Key is null || !KeyPattern().IsMatch(c.Key)) v.Add($"criteria[{i}].key", $"A key is a letter followed by up to 39 letters or digits, e.g. StrategicFit.");
            if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Length > 60) v.Add($"criteria[{i}].name", $"Give the criterion a name of up to 60 characters.");
            if (c.Normalization == Normalization.Bands && (c.Bands is null || c.Bands.Count == 0))
                v.Add($"criteria[{i}].bands", $"Point bands need at least one band (\"value ≥ min → points\").");
            if (c.Bands?.Any(b => b.Points is < 0 or > 100) == true) v.Add($"criteria[{i}].bands", $"Band points are 0–100.");
            if (c.Weight < 0) v.Add($"criteria[{i}].weight", $"A weight cannot be negative.");
        }
        if (criteria.Where(c => c?.Key is not null).GroupBy(c => c.Key, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } dup)
            v.Add("criteria", $"The key {dup.Key} is used twice.");

        var method = r.WeightMethod ?? WeightMethod.Direct;
        decimal[] weights = [.. criteria.Select(c => c?.Weight ?? 0)];
        double? cr = null;
        if (method == WeightMethod.Direct && criteria.Count > 0)
        {
            var sum = weights.Sum();
            if (Math.Abs(sum - 1) > 0.001m) v.Add("weights", $"The weights add up to {sum:0.####}; they must add up to 1.");
        }
        else if (method == WeightMethod.Ahp && v.IsValid)
        {
            var ahp = CalculateAhp.Compute([.. criteria.Select(c => c.Name)], r.AhpMatrix, v, "ahpMatrix");
            if (ahp is not null)
            {
                weights = RoundToOne([.. ahp.Weights.Values]);
                cr = ahp.ConsistencyRatio;
            }
        }
        var rules = r.TierRules ?? TierRules.Default;
        if (rules.KeyMin is < 0 or > 100 || rules.MajorMin is < 0 or > 100 || rules.OrdinaryMin is < 0 or > 100)
            v.Add("tierRules", $"Cut-offs are scores from 0 to 100.");
        else if (!(rules.KeyMin >= rules.MajorMin && rules.MajorMin >= rules.OrdinaryMin))
            v.Add("tierRules", $"Cut-offs must fall from Key to Major to Ordinary.");
        if (rules.KeyCap < 0 || rules.MajorCap < 0 || rules.OrdinaryCap < 0) v.Add("tierRules", $"A cap cannot be negative.");
        if (!v.IsValid) return null;

        return m =>
        {
            m.Criteria = [.. criteria.Select((c, i) => c with { Key = c.Key.Trim(), Name = c.Name.Trim(), Weight = weights[i], Bands = c.Normalization == Normalization.Bands ? c.Bands : null })];
            m.WeightMethod = method;
            m.AhpMatrix = method == WeightMethod.Ahp ? r.AhpMatrix : null;
            m.ConsistencyRatio = cr;
            m.TierRules = rules;
            m.MissingJudgements = r.MissingJudgements ?? MissingJudgementRule.PopulationMedian;
            m.Schedule = r.Schedule ?? EvaluationSchedule.None;
        };
    }

    /// <summary>Weights to 4 places that add up to exactly 1: the rounding remainder goes to the largest weight.</summary>
    public static decimal[] RoundToOne(IReadOnlyList<double> weights)
    {
        decimal[] rounded = [.. weights.Select(w => Math.Round((decimal)w, 4, MidpointRounding.AwayFromZero))];
        var largest = Array.IndexOf(rounded, rounded.Max());
        rounded[largest] += 1 - rounded.Sum();
        return rounded;
    }
}
