using KeyAccounts.Analytics;
using KeyAccounts.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Evaluation;

/// <summary>
/// 标准评级模型: the rating standard a fresh installation starts with, so accounts and orders can be rated as soon as they
/// are imported. The eight criteria of DOMAIN.md §1 (合同数量, 单价, 销售收入, 收款率, 利润水平, 质量损失, 客户行业影响力,
/// 商业声誉). The administrator reviews it on the rating-standard page; an edit becomes its next version.
/// </summary>
public static class StandardModel
{
    public const string Name = "大客户评价标准";

    /// <summary>
    /// Revenue and profit weigh most (45%), then collection (15%), then contracts, quality and industry influence (10% each),
    /// unit price and reputation (5% each). Scale-dependent figures are ranked within the population, so the standard fits a
    /// company of any size; collection rate and quality losses have absolute bands, since 95% collected or a quality dispute
    /// mean the same everywhere (losses in CNY).
    /// </summary>
    public static List<Criterion> Criteria() =>
    [
        new("ContractCount", "合同数量", CriterionSource.ContractCount, Direction.HigherIsBetter, Normalization.PercentileRank, 0.10m),
        new("AverageUnitPrice", "单价", CriterionSource.AverageUnitPrice, Direction.HigherIsBetter, Normalization.PercentileRank, 0.05m),
        new("SalesRevenue", "销售收入", CriterionSource.SalesRevenue, Direction.HigherIsBetter, Normalization.PercentileRank, 0.25m),
        new("CollectionRate", "收款率", CriterionSource.CollectionRate, Direction.HigherIsBetter, Normalization.Bands, 0.15m,
            [new(0.95, 100), new(0.85, 80), new(0.7, 50), new(0.5, 20), new(0, 0)]),
        new("Profit", "利润水平", CriterionSource.Profit, Direction.HigherIsBetter, Normalization.PercentileRank, 0.20m),
        new("QualityLoss", "质量损失", CriterionSource.QualityLoss, Direction.LowerIsBetter, Normalization.Bands, 0.10m,
            [new(100_000, 0), new(20_000, 40), new(0.01, 70), new(0, 100)]),
        new("IndustryInfluence", "客户行业影响力", CriterionSource.Judged, Direction.HigherIsBetter, Normalization.Points, 0.10m),
        new("BusinessReputation", "商业声誉", CriterionSource.Judged, Direction.HigherIsBetter, Normalization.Points, 0.05m),
    ];

    /// <summary>
    /// Cut-offs a little under the defaults: until people score the two judged criteria (15%), an account can reach about 85,
    /// and the best fifth of a book (top ranks, collected, no disputes) should come out as key accounts.
    /// </summary>
    public static readonly TierRules Tiers = new(75, 55, 35);

    public static EvaluationModels.SaveRequest Request() =>
        new(Name, Criteria(), WeightMethod.Direct, null, Tiers, MissingJudgementRule.PopulationMedian, EvaluationSchedule.None);

    /// <summary>
    /// Installs and activates the standard when the database has no rating standard at all (a fresh installation); otherwise
    /// changes nothing. Written through the same use cases as the administrator's edits, so it is audited (as the context's actor).
    /// </summary>
    public static async Task<long?> InstallIfNoModelAsync(AppDb db, TimeProvider clock, CancellationToken ct = default)
    {
        if (await db.EvaluationModels.AnyAsync(ct)) return null;
        var created = await EvaluationModels.CreateAsync(Request(), db, clock, ct);
        if (created.Result is not Created<EvaluationModelDto> { Value: { } model })
            throw new InvalidOperationException("The standard rating model does not pass the model's own validation.");
        await EvaluationModels.ActivateAsync(model.Id, db, clock, ct);
        return model.Id;
    }
}
