using KeyAccounts.Analytics;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;

namespace KeyAccounts.Features.Policies;

public sealed record PolicyConditions(
    IReadOnlyList<string>? Tiers = null, IReadOnlyList<string>? AccountTypes = null, decimal? MinRevenue12m = null, int? MinContracts12m = null,
    decimal? MinCollectionRate = null, decimal? MaxQualityLoss12m = null, int? MinActiveMonths12m = null, decimal? MinAverageUnitPrice12m = null);

public sealed record PolicyVisits(int? Leadership = null, int? Technical = null, int? Business = null);

public sealed record PolicyBenefits(
    decimal? DiscountPercent = null, int? PaymentTermDays = null, decimal? CreditLimit = null, decimal? CommissionRate = null, decimal? ExpenseBudget = null,
    PolicyVisits? VisitsPerYear = null);

/// <summary>One dated version as the API and the editor see it (<see cref="Id"/> null for a new one).</summary>
public sealed record PolicyVersionDto(long? Id, int? Priority, DateOnly? ValidFrom, DateOnly? ValidTo, PolicyConditions? Conditions, PolicyBenefits? Benefits)
{
    public static PolicyVersionDto From(SalesPolicyVersion v) => new(v.Id, v.Priority, v.ValidFrom, v.ValidTo,
        new PolicyConditions(SalesPolicyVersion.Split(v.Tiers), SalesPolicyVersion.Split(v.AccountTypes), v.MinRevenue12m, v.MinContracts12m,
            v.MinCollectionRate, v.MaxQualityLoss12m, v.MinActiveMonths12m, v.MinAverageUnitPrice12m),
        new PolicyBenefits(v.DiscountPercent, v.PaymentTermDays, v.CreditLimit, v.CommissionRate, v.ExpenseBudget,
            v.LeadershipVisitsPerYear is null && v.TechnicalVisitsPerYear is null && v.BusinessVisitsPerYear is null
                ? null : new PolicyVisits(v.LeadershipVisitsPerYear, v.TechnicalVisitsPerYear, v.BusinessVisitsPerYear)));

    public TermsConditions ToConditions() => new(Conditions?.Tiers, Conditions?.AccountTypes, Conditions?.MinRevenue12m, Conditions?.MinContracts12m,
        Conditions?.MinCollectionRate, Conditions?.MaxQualityLoss12m, Conditions?.MinActiveMonths12m, Conditions?.MinAverageUnitPrice12m);
}

/// <summary>A policy with its versions; the top-level priority, dates, conditions and benefits are those of the current version.</summary>
public sealed record PolicyDto(
    long Id, string Name, int Priority, DateOnly ValidFrom, DateOnly? ValidTo, PolicyConditions? Conditions, PolicyBenefits? Benefits,
    IReadOnlyList<PolicyVersionDto> Versions, int Version, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static PolicyDto From(SalesPolicy p, DateOnly today)
    {
        var versions = p.Versions.OrderBy(v => v.ValidFrom).ToList();
        var current = versions.FirstOrDefault(v => v.HoldsOn(today)) ?? versions.LastOrDefault(v => v.ValidFrom <= today) ?? versions.First();
        var c = PolicyVersionDto.From(current);
        return new PolicyDto(p.Id, p.Name, current.Priority, current.ValidFrom, current.ValidTo, c.Conditions, c.Benefits,
            [.. versions.Select(PolicyVersionDto.From)], p.Version, p.CreatedAt, p.UpdatedAt);
    }
}

/// <summary>The checks of a policy's versions: each error names its field, with <c>prefix</c> in front (<c>versions[1].</c>).</summary>
public static class PolicyForm
{
    public const int MaxVisitsPerYear = 366;
    public const int MaxPaymentTermDays = 3650;

    public static void CheckVersion(Validation v, string prefix, PolicyVersionDto version)
    {
        if (version.Priority is null) v.Add(prefix + "priority", $"priority is required.");
        if (version.ValidFrom is null) v.Add(prefix + "validFrom", $"validFrom is required.");
        if (version.ValidFrom is { } from && version.ValidTo is { } to && to < from) v.Add(prefix + "validTo", $"validTo is before validFrom.");
        var c = version.Conditions;
        if (c is not null)
        {
            foreach (var t in c.Tiers ?? [])
                if (!Enum.TryParse<Tier>(t, true, out _) || int.TryParse(t, out _))
                    v.Add(prefix + "conditions.tiers", $"Unknown tier {t}: use Key, Major, Ordinary or Small.");
            foreach (var t in c.AccountTypes ?? [])
                if (!Enum.TryParse<AccountType>(t, true, out _) || int.TryParse(t, out _))
                    v.Add(prefix + "conditions.accountTypes", $"Unknown account type {t}: use Customer or Dealer.");
            if (c.MinRevenue12m < 0) v.Add(prefix + "conditions.minRevenue12m", $"minRevenue12m may not be negative.");
            if (c.MinContracts12m < 0) v.Add(prefix + "conditions.minContracts12m", $"minContracts12m may not be negative.");
            if (c.MinCollectionRate is < 0 or > 1) v.Add(prefix + "conditions.minCollectionRate", $"minCollectionRate is a fraction from 0 to 1 (0.95 = 95 %).");
            if (c.MaxQualityLoss12m < 0) v.Add(prefix + "conditions.maxQualityLoss12m", $"maxQualityLoss12m may not be negative.");
            if (c.MinActiveMonths12m is < 0 or > 12) v.Add(prefix + "conditions.minActiveMonths12m", $"minActiveMonths12m is from 0 to 12.");
            if (c.MinAverageUnitPrice12m < 0) v.Add(prefix + "conditions.minAverageUnitPrice12m", $"minAverageUnitPrice12m may not be negative.");
        }
        var b = version.Benefits;
        if (b is not null)
        {
            if (b.DiscountPercent is < 0 or > 100) v.Add(prefix + "benefits.discountPercent", $"discountPercent must be from 0 to 100.");
            if (b.PaymentTermDays is < 0 or > MaxPaymentTermDays) v.Add(prefix + "benefits.paymentTermDays", $"paymentTermDays must be from 0 to {MaxPaymentTermDays}.");
            if (b.CreditLimit < 0) v.Add(prefix + "benefits.creditLimit", $"creditLimit may not be negative.");
            if (b.CommissionRate is < 0 or > 1) v.Add(prefix + "benefits.commissionRate", $"commissionRate is a fraction from 0 to 1 (0.03 = 3 %).");
            if (b.ExpenseBudget < 0) v.Add(prefix + "benefits.expenseBudget", $"expenseBudget may not be negative.");
            foreach (var (level, n) in new[] { ("Leadership", b.VisitsPerYear?.Leadership), ("Technical", b.VisitsPerYear?.Technical), ("Business", b.VisitsPerYear?.Business) })
                if (n is < 0 or > MaxVisitsPerYear) v.Add(prefix + "benefits.visitsPerYear." + level, $"Visits per year must be from 0 to {MaxVisitsPerYear}.");
        }
    }

    /// <summary>Versions of one policy may not overlap: the later of two overlapping versions is named, by its validFrom.</summary>
    public static void CheckOverlaps(Validation v, IReadOnlyList<(string Prefix, DateOnly From, DateOnly? To)> versions)
    {
        var ordered = versions.OrderBy(x => x.From).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            var before = ordered[i - 1];
            if (before.To is null || before.To >= ordered[i].From)
                v.Add(ordered[i].Prefix + "validFrom",
                    $"This version overlaps the one from {before.From:yyyy-MM-dd}: versions of one policy may not overlap. End that one before {ordered[i].From:yyyy-MM-dd}.");
        }
    }

    public static string Canonical<T>(string value) where T : struct, Enum => Enum.Parse<T>(value, true).ToString();

    public static void Apply(SalesPolicyVersion target, PolicyVersionDto d)
    {
        target.Priority = d.Priority!.Value;
        target.ValidFrom = d.ValidFrom!.Value;
        target.ValidTo = d.ValidTo;
        var c = d.Conditions ?? new PolicyConditions();
        target.Tiers = SalesPolicyVersion.Join(c.Tiers?.Select(Canonical<Tier>).Distinct());
        target.AccountTypes = SalesPolicyVersion.Join(c.AccountTypes?.Select(Canonical<AccountType>).Distinct());
        target.MinRevenue12m = c.MinRevenue12m;
        target.MinContracts12m = c.MinContracts12m;
        target.MinCollectionRate = c.MinCollectionRate;
        target.MaxQualityLoss12m = c.MaxQualityLoss12m;
        target.MinActiveMonths12m = c.MinActiveMonths12m;
        target.MinAverageUnitPrice12m = c.MinAverageUnitPrice12m;
        var b = d.Benefits ?? new PolicyBenefits();
        target.DiscountPercent = b.DiscountPercent;
        target.PaymentTermDays = b.PaymentTermDays;
        target.CreditLimit = b.CreditLimit;
        target.CommissionRate = b.CommissionRate;
        target.ExpenseBudget = b.ExpenseBudget;
        target.LeadershipVisitsPerYear = b.VisitsPerYear?.Leadership;
        target.TechnicalVisitsPerYear = b.VisitsPerYear?.Technical;
        target.BusinessVisitsPerYear = b.VisitsPerYear?.Business;
    }
}
