using System.Data.Common;
using System.Text.Json;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Approvals;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Evaluation;

public sealed record EvaluationRunDto(
    long Id, long ModelId, int ModelVersion, string ModelName, DateOnly PeriodStart, DateOnly PeriodEnd, RunStatus Status,
    RunTrigger Trigger, int AccountCount, string? Notes, DateTime CreatedAt, DateTime? PublishedAt, long? PreviousRunId, int Version,
    IReadOnlyList<JudgementGap>? Gaps = null, string? CreatedById = null, string? DecidedById = null, DateTime? DecidedAt = null,
    string? DecisionReason = null)
{
    /// <summary>The run with its notes in the reader's language (the current UI culture: the request's, or the page's).</summary>
    public static EvaluationRunDto From(EvaluationRun r) => new(
        r.Id, r.ModelId, r.ModelVersion, r.ModelName, r.PeriodStart, r.PeriodEnd, r.Status, r.Trigger, r.AccountCount, JudgementWords.Notes(r),
        r.CreatedAt, r.PublishedAt, r.PreviousRunId, r.Version, r.Gaps, r.CreatedById, r.DecidedById, r.DecidedAt, r.DecisionReason);
}

/// <summary>
/// API.md <c>POST /api/v1/evaluation/runs</c>: scores every account with transactions in the period (and every account of
/// the published list, so it can leave it) with one exact model version. The period's transactions are aggregated in
/// the database (one GROUP BY per table) and streamed; only one row of figures per account is held, never the order
/// lines; results are written in bulk, in rank order (<see cref="BulkWriter"/>: binary COPY on PostgreSQL, one prepared insert
/// bound through SQLite's own API on SQLite).
/// </summary>
public static class RunEvaluation
{
    public sealed record Request(long? ModelId, DateOnly? PeriodStart, DateOnly? PeriodEnd);

    public static async Task<Results<Created<EvaluationRunDto>, NotFound, ForbidHttpResult, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (!user.IsManagerOrAbove) return TypedResults.Forbid();
        var v = new Validation();
        if (request.PeriodStart is null) v.Add("periodStart", $"periodStart is required.");
        if (request.PeriodEnd is null) v.Add("periodEnd", $"periodEnd is required.");
        if (request.PeriodStart > request.PeriodEnd) v.Add("periodEnd", $"The period ends before it starts.");
        if (!v.IsValid) return v.Problem();
        var modelId = request.ModelId ?? await EvaluationModels.DefaultModelIdAsync(db, ct);
        if (modelId is null) return Validation.Single("modelId", $"There is no active evaluation model: create one and activate it first.");
        var model = await db.EvaluationModels.FirstOrDefaultAsync(m => m.Id == modelId, ct);
        if (model is null) return TypedResults.NotFound();
        var outcome = await EvaluateAsync(db, model, request.PeriodStart!.Value, request.PeriodEnd!.Value, RunTrigger.Manual, null, user.Id, clock, ct);
        return outcome switch
        {
            { Run: { } run } => TypedResults.Created($"/api/v1/evaluation/runs/{run.Id}", EvaluationRunDto.From(run)),
            { Conflict: { } c } => Problems.Conflict("Run exists", c),
            _ => Validation.Single(outcome.Field!, outcome.Error!),
        };
    }

    public sealed record Outcome(EvaluationRun? Run, string? Field = null, FormattableString? Error = null, FormattableString? Conflict = null, Phases? Took = null);

    /// <summary>Where a run's time went: reading the period's figures, scoring, writing the results (and committing).</summary>
    public sealed record Phases(TimeSpan Aggregation, TimeSpan Scoring, TimeSpan Writing)
    {
        public override string ToString() =>
            $"aggregation {Aggregation.TotalSeconds:F1} s, scoring {Scoring.TotalSeconds:F1} s, writing {Writing.TotalSeconds:F1} s";
    }

    private enum Raw { Contracts, Revenue, Cost, Quantity, Due, Paid, Loss }

    public static async Task<Outcome> EvaluateAsync(
        AppDb db, EvaluationModel model, DateOnly start, DateOnly end, RunTrigger trigger, string? scheduleKey, string? userId,
        TimeProvider clock, CancellationToken ct)
    {
        if (model.Status != ModelStatus.Active)
            return new Outcome(null, "modelId", $"Model {model.Name} v{model.ModelVersion} is {model.Status}: only an active model version can be run. Activate it first.");
        if (!await HasTransactionsAsync(db, start, end, ct))
            return new Outcome(null, "periodStart",
                $"There are no transactions between {start:yyyy-MM-dd} and {end:yyyy-MM-dd} (no orders, invoices, payments or quality incidents), so there is nothing to evaluate. Import the period's transactions first, or choose another period.");
        if (scheduleKey is not null && await db.EvaluationRuns.AnyAsync(r => r.ScheduleKey == scheduleKey, ct))
            return new Outcome(null, Conflict: $"The scheduled run {scheduleKey} already exists.");

        var previousRunId = await LatestPublishedRunIdAsync(db, ct);
        // Read first, write after: the aggregation runs outside the write transaction (PostgreSQL may plan it in parallel
        // there), and the transaction that claims the run and writes its results stays short.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var population = await AggregateAsync(db, start, end, DueBy(end, clock), previousRunId ?? -1, ct);
        var aggregated = watch.Elapsed;
        var n = population.Ids.Count;
        var criteria = model.Criteria;
        var raw = new double[criteria.Count][];
        var explanations = new string?[n];
        var gaps = new List<JudgementGap>();
        for (var k = 0; k < criteria.Count; k++)
        {
            var c = criteria[k];
            raw[k] = c.Source == CriterionSource.Judged
                ? await JudgedValuesAsync(db, c, population.Ids, start, end, model.MissingJudgements, explanations, gaps, ct)
                : RawValues(c.Source, population.Figures);
        }
        var normalized = new double[criteria.Count][];
        for (var k = 0; k < criteria.Count; k++)
            normalized[k] = Scoring.Normalize(raw[k], criteria[k].Normalization, criteria[k].Direction, criteria[k].Bands);

        var weights = criteria.Select(c => c.Weight).ToArray();
        var scores = new decimal[n];
        var rawRow = new double[criteria.Count];
        var normRow = new double[criteria.Count];
        for (var i = 0; i < n; i++)
        {
            Row(raw, normalized, i, rawRow, normRow);
            scores[i] = Scoring.Total(weights, normRow);
        }
        var bestFirst = Scoring.BestFirst(scores);
        var tiers = TierScoring.AssignTiers(scores, model.TierRules, bestFirst);

        // In rank order: see EvaluationResultConfiguration.
        IEnumerable<EvaluationResult> Rows(long runId)
        {
            var rr = new double[criteria.Count];
            var nr = new double[criteria.Count];
            var contributions = new decimal[criteria.Count];
            var text = new System.Text.StringBuilder();
            for (var rank = 1; rank <= n; rank++)
            {
                var i = bestFirst[rank - 1];
                Row(raw, normalized, i, rr, nr);
                for (var k = 0; k < contributions.Length; k++) contributions[k] = Scoring.Contribution(nr[k], weights[k]);
                text.Clear();
                RunCriteria.Write(text, rr, nr, contributions);
                var previous = population.PreviousTiers[i];
                yield return new EvaluationResult
                {
                    RunId = runId,
                    AccountId = population.Ids[i],
                    Score = scores[i],
                    Rank = rank,
                    ProposedTier = tiers[i],
                    Tier = tiers[i],
                    PreviousTier = previous,
                    Change = TierScoring.Classify(previous, tiers[i]),
                    FactorValues = text.ToString(),
                    Explanation = explanations[i],
                };
            }
        }
        var run = new EvaluationRun
        {
            ModelId = model.Id,
            ModelVersion = model.ModelVersion,
            ModelName = model.Name,
            PeriodStart = start,
            PeriodEnd = end,
            Status = RunStatus.Proposed,
            Trigger = trigger,
            ScheduleKey = scheduleKey,
            PreviousRunId = previousRunId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            CreatedById = userId,
        };

        var scored = watch.Elapsed;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.EvaluationRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (scheduleKey is not null)
        {
            return new Outcome(null, Conflict: $"The scheduled run {scheduleKey} was created by another node.");
        }

        await BulkWriter.For(db).InsertAsync(new BulkTable<EvaluationResult>(db,
            nameof(EvaluationResult.RunId), nameof(EvaluationResult.AccountId), nameof(EvaluationResult.Score), nameof(EvaluationResult.Rank),
            nameof(EvaluationResult.ProposedTier), nameof(EvaluationResult.Tier), nameof(EvaluationResult.PreviousTier), nameof(EvaluationResult.Change),
            nameof(EvaluationResult.FactorValues), nameof(EvaluationResult.Explanation)), Rows(run.Id), ct);

        run.AccountCount = n;
        run.Gaps = gaps.Count == 0 ? null : gaps;
        // The English wording kept for logs and the command line; screens and answers word the gaps in their reader's language.
        var english = JudgementWords.In(System.Globalization.CultureInfo.InvariantCulture, () => JudgementWords.Notes(run));
        run.Notes = english is { Length: > 2000 } ? english[..2000] : english;
        await db.SaveChangesAsync(ct);
        // The run's approval request: the default flow asks the leaders, who are told what publishing would change.
        await db.SubmitForApprovalAsync(EvaluationRunApproval.Submission(run, userId), null, ct);
        await tx.CommitAsync(ct);
        return new Outcome(run, Took: new Phases(aggregated, scored - aggregated, watch.Elapsed - scored));
    }

    public static Task<long?> LatestPublishedRunIdAsync(AppDb db, CancellationToken ct) =>
        db.EvaluationRuns.Where(r => r.Status == RunStatus.Published)
            .OrderByDescending(r => r.PublishedAt).ThenByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);

    public static async Task<bool> HasTransactionsAsync(AppDb db, DateOnly start, DateOnly end, CancellationToken ct) =>
        await db.OrderLines.AnyAsync(l => l.OrderDate >= start && l.OrderDate <= end, ct)
        || await db.Invoices.AnyAsync(i => i.DueOn >= start && i.DueOn <= end, ct)
        || await db.Payments.AnyAsync(p => p.PaidOn >= start && p.PaidOn <= end, ct)
        || await db.QualityIncidents.AnyAsync(q => q.OccurredOn >= start && q.OccurredOn <= end, ct);

    private static void Row(double[][] raw, double[][] normalized, int i, double[] rawRow, double[] normRow)
    {
        for (var k = 0; k < raw.Length; k++)
        {
            rawRow[k] = raw[k][i];
            normRow[k] = normalized[k][i];
        }
    }

    private sealed record Population(List<long> Ids, List<Tier?> PreviousTiers, List<double[]> Figures);

    /// <summary>
    /// The bare aggregation of a period, one row per account, in account order: what the benchmark compares the whole run
    /// with. Collection rate is money paid in the period over money invoiced due in the period by <c>@due</c> (the run's
    /// date in a period not yet over): an invoice not yet due cannot be late.
    /// </summary>
    public static string AggregationSql(SqlDialect engine)
    {
        var dbl = engine.DoubleType;
        return $"""
            WITH o AS (SELECT "AccountId", COUNT(*) AS n FROM "Orders" WHERE "OrderDate" >= @s AND "OrderDate" <= @e GROUP BY "AccountId"),
            l AS (SELECT "AccountId", CAST(SUM("Quantity" * "UnitPrice") AS {dbl}) AS revenue, CAST(SUM("Quantity" * "UnitCost") AS {dbl}) AS cost,
                         CAST(SUM("Quantity") AS {dbl}) AS quantity
                  FROM "OrderLines" WHERE "OrderDate" >= @s AND "OrderDate" <= @e GROUP BY "AccountId"),
            i AS (SELECT "AccountId", CAST(SUM("Amount") AS {dbl}) AS due FROM "Invoices" WHERE "DueOn" >= @s AND "DueOn" <= @due GROUP BY "AccountId"),
            p AS (SELECT "AccountId", CAST(SUM("Amount") AS {dbl}) AS paid FROM "Payments" WHERE "PaidOn" >= @s AND "PaidOn" <= @e GROUP BY "AccountId"),
            q AS (SELECT "AccountId", CAST(SUM("LossAmount") AS {dbl}) AS loss FROM "QualityIncidents" WHERE "OccurredOn" >= @s AND "OccurredOn" <= @e GROUP BY "AccountId"),
            pr AS (SELECT "AccountId", "Tier" FROM "EvaluationResults" WHERE "RunId" = @prev),
            ids AS (SELECT "AccountId" FROM o UNION SELECT "AccountId" FROM l UNION SELECT "AccountId" FROM i
                    UNION SELECT "AccountId" FROM p UNION SELECT "AccountId" FROM q UNION SELECT "AccountId" FROM pr)
            SELECT a."Id", o.n, l.revenue, l.cost, l.quantity, i.due, p.paid, q.loss, pr."Tier"
            FROM ids JOIN "Accounts" a ON a."Id" = ids."AccountId"
            LEFT JOIN o ON o."AccountId" = a."Id" LEFT JOIN l ON l."AccountId" = a."Id" LEFT JOIN i ON i."AccountId" = a."Id"
            LEFT JOIN p ON p."AccountId" = a."Id" LEFT JOIN q ON q."AccountId" = a."Id" LEFT JOIN pr ON pr."AccountId" = a."Id"
            WHERE a."Status" <> 'Closed'
            ORDER BY a."Id"
            """;
    }

    public static DbCommand AggregationCommand(DbConnection connection, SqlDialect engine, DateOnly start, DateOnly end, long previousRunId, DateOnly? dueBy = null)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = AggregationSql(engine);
        cmd.CommandTimeout = 0;
        Add(cmd, "s", start);
        Add(cmd, "e", end);
        Add(cmd, "due", dueBy is { } d && d < end ? d : end);
        Add(cmd, "prev", previousRunId);
        return cmd;
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    /// <summary>The last due date a run counts: the period's end, or the run's date while the period is not over.</summary>
    public static DateOnly DueBy(DateOnly end, TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return today < end ? today : end;
    }

    private static async Task<Population> AggregateAsync(AppDb db, DateOnly start, DateOnly end, DateOnly dueBy, long previousRunId, CancellationToken ct)
    {
        // Opened here, so closed here: a pooled context would otherwise keep its connection out of the pool.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await ReadPopulationAsync(db, start, end, dueBy, previousRunId, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<Population> ReadPopulationAsync(AppDb db, DateOnly start, DateOnly end, DateOnly dueBy, long previousRunId, CancellationToken ct)
    {
        await using var cmd = AggregationCommand(db.Database.GetDbConnection(), db.Engine, start, end, previousRunId, dueBy);
        var ids = new List<long>();
        var previous = new List<Tier?>();
        var figures = new List<double[]>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetInt64(0));
            var f = new double[7];
            f[(int)Raw.Contracts] = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
            for (var c = 2; c <= 7; c++) f[c - 1] = reader.IsDBNull(c) ? 0 : reader.GetDouble(c);
            figures.Add(f);
            previous.Add(reader.IsDBNull(8) ? null : Enum.Parse<Tier>(reader.GetString(8)));
        }
        return new Population(ids, previous, figures);
    }

    private static double[] RawValues(CriterionSource source, List<double[]> figures)
    {
        var result = new double[figures.Count];
        for (var i = 0; i < figures.Count; i++)
        {
            var f = figures[i];
            result[i] = source switch
            {
                CriterionSource.ContractCount => f[(int)Raw.Contracts],
                CriterionSource.SalesRevenue => Math.Round(f[(int)Raw.Revenue], 2),
                CriterionSource.AverageUnitPrice => f[(int)Raw.Quantity] > 0 ? Math.Round(f[(int)Raw.Revenue] / f[(int)Raw.Quantity], 4) : 0,
                CriterionSource.Profit => Math.Round(f[(int)Raw.Revenue] - f[(int)Raw.Cost], 2),
                // Nothing due in the period means nothing overdue: fully collected.
                CriterionSource.CollectionRate => f[(int)Raw.Due] > 0 ? Math.Round(Math.Min(1, f[(int)Raw.Paid] / f[(int)Raw.Due]), 4) : 1,
                CriterionSource.QualityLoss => Math.Round(f[(int)Raw.Loss], 2),
                _ => 0,
            };
        }
        return result;
    }

    private static async Task<double[]> JudgedValuesAsync(
        AppDb db, Criterion criterion, List<long> ids, DateOnly start, DateOnly end, MissingJudgementRule rule,
        string?[] explanations, List<JudgementGap> gaps, CancellationToken ct)
    {
        var judged = new Dictionary<long, double>();
        await foreach (var j in db.JudgedScores.AsNoTracking()
                           .Where(j => j.PeriodStart == start && j.PeriodEnd == end && j.Criterion == criterion.Key)
                           .Select(j => new { j.AccountId, j.Score }).AsAsyncEnumerable().WithCancellation(ct))
            judged[j.AccountId] = (double)j.Score;
        var result = new double[ids.Count];
        var present = new List<double>();
        for (var i = 0; i < ids.Count; i++)
            if (judged.TryGetValue(ids[i], out var s)) present.Add(s);
        var missing = ids.Count - present.Count;
        var gap = JudgementGap.Of(criterion, rule, present, missing, ids.Count);
        // Stored culture-neutral ("Key:Effect:Fill") and worded when read, in the reader's language.
        var text = gap.Token;
        // Most accounts miss the same judgements: one explanation string per distinct combination, not one per account.
        var joined = new Dictionary<string, string>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < ids.Count; i++)
        {
            if (judged.TryGetValue(ids[i], out var s)) { result[i] = s; continue; }
            result[i] = gap.Fill;
            if (explanations[i] is not { } before) explanations[i] = text;
            else if (joined.TryGetValue(before, out var both)) explanations[i] = both;
            else explanations[i] = joined[before] = before + " " + text;
        }
        if (missing > 0) gaps.Add(gap);
        return result;
    }
}
