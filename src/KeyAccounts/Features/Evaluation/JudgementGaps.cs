using System.Globalization;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KeyAccounts.Features.Evaluation;

/// <summary>
/// What a judged criterion's missing judgements become: the median of the judgements given (the PopulationMedian rule with at
/// least one judgement), 0 by the Zero rule, or 0 because nobody was judged at all (either rule: there is no median to take).
/// </summary>
public enum GapEffect { Median, Zero, NoneJudged }

/// <summary>
/// One judged criterion whose missing judgements a run fills by the model's rule: before a run (<see cref="Missing"/> and
/// <see cref="Accounts"/> unknown) or after it. <see cref="Points"/> and <see cref="Contribution"/> are what every account gets on
/// the criterion when nobody was judged (all accounts get the same raw 0).
/// </summary>
public sealed record JudgementGap(
    string Criterion, string Name, decimal Weight, MissingJudgementRule Rule, GapEffect Effect, int Judged, double Fill, double Points,
    int? Missing = null, int? Accounts = null)
{
    public decimal Contribution => Scoring.Contribution(Points, Weight);

    /// <summary>The gap a criterion has, given the judgements found (null when the run uses no rule for it).</summary>
    public static JudgementGap Of(Criterion c, MissingJudgementRule rule, IReadOnlyList<double> judged, int? missing = null, int? accounts = null)
    {
        var effect = judged.Count == 0 ? GapEffect.NoneJudged : rule == MissingJudgementRule.PopulationMedian ? GapEffect.Median : GapEffect.Zero;
        var fill = effect == GapEffect.Median ? Math.Round(Scoring.Median(judged), 2) : 0;
        // Nobody judged: every account has the same raw 0, and the normalisation of one value is what each of them gets.
        var points = effect == GapEffect.NoneJudged ? Math.Round(Scoring.Normalize([0d], c.Normalization, c.Direction, c.Bands)[0], 2) : 0;
        return new JudgementGap(c.Key, c.Name, c.Weight, rule, effect, judged.Count, fill, points, missing, accounts);
    }

    /// <summary>Before a run: the warning (nobody judged) or the note (some judged) in the reader's language.</summary>
    public string Warning(IStringLocalizer l, DateOnly start, DateOnly end)
    {
        var name = l[Name].Value;
        var (from, to) = (Day(start), Day(end));
        return (Effect, Rule) switch
        {
            (GapEffect.NoneJudged, MissingJudgementRule.PopulationMedian) => l[
                "{0} (weight {1}): nobody has been judged on it for {2} – {3}. The model's rule gives an account without a judgement the median of the judgements given, and there are none, so every account gets 0 on it: {4} points, {5} points of its score. The criterion will tell no account from another.",
                name, Percent(Weight), from, to, Number(Points), Number((double)Contribution)],
            (GapEffect.NoneJudged, _) => l[
                "{0} (weight {1}): nobody has been judged on it for {2} – {3}. The model's rule counts a missing judgement as 0, so every account gets 0 on it: {4} points, {5} points of its score. The criterion will tell no account from another.",
                name, Percent(Weight), from, to, Number(Points), Number((double)Contribution)],
            (GapEffect.Median, _) => l[
                "{0}: {1} accounts judged for {2} – {3}. By the model's rule an account without a judgement gets the median of the judgements given, now {4}.",
                name, Judged, from, to, Number(Fill)],
            _ => l["{0}: {1} accounts judged for {2} – {3}. By the model's rule an account without a judgement gets 0.", name, Judged, from, to],
        };
    }

    /// <summary>After a run: what the rule did, in the reader's language.</summary>
    public string Note(IStringLocalizer l)
    {
        var name = l[Name].Value;
        return (Effect, Rule) switch
        {
            (GapEffect.NoneJudged, MissingJudgementRule.PopulationMedian) => l[
                "{0}: none of the {1} accounts had a judgement. With no judgement to take the median of, every account got 0 on it ({2} points, {3} points of its score).",
                name, Accounts ?? 0, Number(Points), Number((double)Contribution)],
            (GapEffect.NoneJudged, _) => l[
                "{0}: none of the {1} accounts had a judgement. By the model's rule every account got 0 on it ({2} points, {3} points of its score).",
                name, Accounts ?? 0, Number(Points), Number((double)Contribution)],
            (GapEffect.Median, _) => l["{0}: {1} of {2} accounts had no judgement and got the median of the others, {3}.", name, Missing ?? 0, Accounts ?? 0, Number(Fill)],
            _ => l["{0}: {1} of {2} accounts had no judgement and got 0 by the model's rule.", name, Missing ?? 0, Accounts ?? 0],
        };
    }

    /// <summary>One result's stored form for this criterion: "Key:Effect:Fill", culture-neutral, worded when read (<see cref="JudgementWords.Explain"/>).</summary>
    public string Token => string.Create(CultureInfo.InvariantCulture, $"{Criterion}:{Effect}:{Fill}");

    public bool IsWarning => Effect == GapEffect.NoneJudged;

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string Percent(decimal weight) => (weight * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>
/// The evaluation area's words outside a page or a request's services (run notes in the answers, notifications): the same
/// resources as <c>IStringLocalizer&lt;EvaluationText&gt;</c>, in the current UI culture.
/// </summary>
public static class JudgementWords
{
    public static readonly IStringLocalizer L = new ResourceManagerStringLocalizerFactory(
        Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance).Create(typeof(EvaluationText));

    /// <summary>A run's notes in the reader's language; a run stored before gaps were kept shows its English notes.</summary>
    public static string? Notes(EvaluationRun run, IStringLocalizer? l = null) =>
        run.Gaps is { Count: > 0 } gaps ? string.Join(" ", gaps.Select(g => g.Note(l ?? L))) : run.Notes;

    /// <summary>A result's explanation in the reader's language from its tokens ("Key:Effect:Fill …"); older free text as it is.</summary>
    public static string? Explain(string? stored, IReadOnlyDictionary<string, string>? names, IStringLocalizer? l = null)
    {
        if (string.IsNullOrEmpty(stored)) return null;
        l ??= L;
        var parts = new List<string>();
        foreach (var token in stored.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var bits = token.Split(':');
            if (bits.Length != 3 || !Enum.TryParse<GapEffect>(bits[1], out var effect)) return stored;
            var name = l[names?.GetValueOrDefault(bits[0]) ?? bits[0]].Value;
            parts.Add(effect switch
            {
                GapEffect.Median => l["{0}: no judgement for the period; the median of the judgements given, {1}, was used.", name, bits[2]],
                GapEffect.Zero => l["{0}: no judgement for the period; 0 was used, by the model's rule.", name],
                _ => l["{0}: nobody was judged for the period, so 0 was used.", name],
            });
        }
        return string.Join(" ", parts);
    }

    /// <summary>Runs <paramref name="write"/> in <paramref name="culture"/>: words for someone who is not the current reader.</summary>
    public static T In<T>(CultureInfo culture, Func<T> write)
    {
        var before = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = culture;
        try
        {
            return write();
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = before;
        }
    }
}

/// <summary>
/// Before a run: for each judged criterion of the model, how many accounts were judged for the period and what the model's
/// rule will make of the missing judgements, in the reader's language. Nobody judged is a warning: every account then gets 0.
/// </summary>
public static class CheckRun
{
    public sealed record Item(
        string Criterion, string Name, decimal Weight, string Severity, int Judged, MissingJudgementRule Rule, GapEffect Effect, double Fill,
        double Points, decimal Contribution, string Message);

    public sealed record Response(long ModelId, string ModelName, int ModelVersion, DateOnly PeriodStart, DateOnly PeriodEnd, MissingJudgementRule Rule,
        bool HasWarnings, IReadOnlyList<Item> Items);

    /// <summary><c>GET /api/v1/evaluation/runs/check?modelId=&amp;periodStart=&amp;periodEnd=</c>.</summary>
    public static async Task<Results<Ok<Response>, ValidationProblem>> HandleAsync(
        long? modelId, DateOnly? periodStart, DateOnly? periodEnd, AppDb db, CancellationToken ct)
    {
        var v = new Validation();
        if (periodStart is null) v.Add("periodStart", $"periodStart is required.");
        if (periodEnd is null) v.Add("periodEnd", $"periodEnd is required.");
        if (periodStart > periodEnd) v.Add("periodEnd", $"The period ends before it starts.");
        if (!v.IsValid) return v.Problem();
        var id = modelId ?? await EvaluationModels.DefaultModelIdAsync(db, ct);
        var model = id is null ? null : await db.EvaluationModels.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (model is null) return Validation.Single("modelId", $"There is no active evaluation model.");
        var gaps = await ForAsync(db, model, periodStart!.Value, periodEnd!.Value, ct);
        var items = gaps.Select(g => new Item(g.Criterion, JudgementWords.L[g.Name].Value, g.Weight, g.IsWarning ? "Warning" : "Info", g.Judged, g.Rule,
            g.Effect, g.Fill, g.Points, g.Contribution, g.Warning(JudgementWords.L, periodStart.Value, periodEnd.Value))).ToList();
        return TypedResults.Ok(new Response(model.Id, model.Name, model.ModelVersion, periodStart.Value, periodEnd.Value, model.MissingJudgements,
            items.Any(i => i.Severity == "Warning"), items));
    }

    /// <summary>The judged criteria of the model with the judgements given for the period on accounts not closed.</summary>
    public static async Task<List<JudgementGap>> ForAsync(AppDb db, EvaluationModel model, DateOnly start, DateOnly end, CancellationToken ct)
    {
        var judgedCriteria = model.Criteria.Where(c => c.Source == CriterionSource.Judged).ToList();
        if (judgedCriteria.Count == 0) return [];
        var keys = judgedCriteria.Select(c => c.Key).ToArray();
        var scores = await (from j in db.JudgedScores.AsNoTracking()
                            join a in db.Accounts on j.AccountId equals a.Id
                            where j.PeriodStart == start && j.PeriodEnd == end && keys.Contains(j.Criterion) && a.Status != AccountStatus.Closed
                            select new { j.Criterion, j.Score }).ToListAsync(ct);
        var byKey = scores.GroupBy(s => s.Criterion).ToDictionary(g => g.Key, g => g.Select(s => (double)s.Score).ToList());
        return [.. judgedCriteria.Select(c => JudgementGap.Of(c, model.MissingJudgements, byKey.GetValueOrDefault(c.Key) ?? []))];
    }
}
