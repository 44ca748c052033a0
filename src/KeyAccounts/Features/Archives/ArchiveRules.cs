using KeyAccounts.Infrastructure;

namespace KeyAccounts.Features.Archives;

/// <summary>What a well-formed archive looks like; field names in errors are the JSON paths (<c>competitors[2].name</c>).</summary>
public static class ArchiveRules
{
    public const int MaxItems = 200;
    public const int MaxNetworkItems = 1000;
    public const int NameLength = 200;
    public const int ShortLength = 100;
    public const int NotesLength = 1000;
    public const int PlanLength = 2000;

    /// <summary>
    /// True when no section holds anything. Archives written by the demo seed or an import start at version 0 with content,
    /// so the version alone does not say whether anything was recorded.
    /// </summary>
    public static bool IsEmpty(ArchiveDto a) => a.ProductionScale == new ProductionScale() && a.ProductLines.Count == 0
        && a.ProductionLines.Count == 0 && a.DevelopmentPlans.Count == 0 && a.MarketShare == new MarketShare()
        && a.SalesRegions.Count == 0 && a.SubDealers.Count == 0 && a.Terminals.Count == 0 && a.Competitors.Count == 0;

    public static Validation Validate(SaveArchive.Request r)
    {
        var v = new Validation();
        if (r.ProductionScale is { } s)
        {
            NonNegative(v, "productionScale.employees", s.Employees);
            NonNegative(v, "productionScale.annualRevenue", s.AnnualRevenue);
            NonNegative(v, "productionScale.annualCapacity", s.AnnualCapacity);
            v.MaxLength("productionScale.capacityUnit", s.CapacityUnit, ShortLength);
            NonNegative(v, "productionScale.plantAreaSquareMetres", s.PlantAreaSquareMetres);
            v.MaxLength("productionScale.notes", s.Notes, NotesLength);
        }
        Each(v, "productLines", r.ProductLines, MaxItems, (p, f) =>
        {
            v.Require($"{f}.name", p.Name, NameLength);
            Percent(v, $"{f}.sharePercent", p.SharePercent);
            v.MaxLength($"{f}.description", p.Description, NotesLength);
        });
        SharesAddUp(v, "productLines", r.ProductLines?.Select(p => p?.SharePercent));
        Each(v, "productionLines", r.ProductionLines, MaxItems, (p, f) =>
        {
            v.Require($"{f}.name", p.Name, NameLength);
            NonNegative(v, $"{f}.count", p.Count);
            NonNegative(v, $"{f}.capacity", p.Capacity);
            Percent(v, $"{f}.utilisationPercent", p.UtilisationPercent);
            v.MaxLength($"{f}.equipment", p.Equipment, NotesLength);
            v.MaxLength($"{f}.notes", p.Notes, NotesLength);
        });
        Each(v, "developmentPlans", r.DevelopmentPlans, MaxItems, (p, f) =>
        {
            v.Require($"{f}.horizon", p.Horizon, ShortLength);
            v.Require($"{f}.plan", p.Plan, PlanLength);
            NonNegative(v, $"{f}.investment", p.Investment);
        });
        if (r.MarketShare is { } m)
        {
            Percent(v, "marketShare.sharePercent", m.SharePercent);
            if (m.IndustryRank is < 1) v.Add("marketShare.industryRank", $"marketShare.industryRank must be 1 or more.");
            if (m.AsOfYear is < 1900 or > 2200) v.Add("marketShare.asOfYear", $"marketShare.asOfYear must be a year such as 2025.");
            v.MaxLength("marketShare.notes", m.Notes, NotesLength);
        }
        Each(v, "salesRegions", r.SalesRegions, MaxItems, (p, f) =>
        {
            v.Require($"{f}.region", p.Region, ShortLength);
            Percent(v, $"{f}.sharePercent", p.SharePercent);
            v.MaxLength($"{f}.notes", p.Notes, NotesLength);
        });
        SharesAddUp(v, "salesRegions", r.SalesRegions?.Select(p => p?.SharePercent));
        Each(v, "subDealers", r.SubDealers, MaxNetworkItems, (p, f) =>
        {
            v.Require($"{f}.name", p.Name, NameLength);
            v.MaxLength($"{f}.region", p.Region, ShortLength);
            NonNegative(v, $"{f}.annualVolume", p.AnnualVolume);
            v.MaxLength($"{f}.contact", p.Contact, ShortLength);
        });
        Each(v, "terminals", r.Terminals, MaxNetworkItems, (p, f) =>
        {
            v.Require($"{f}.name", p.Name, NameLength);
            v.MaxLength($"{f}.region", p.Region, ShortLength);
            v.MaxLength($"{f}.kind", p.Kind, ShortLength);
        });
        Each(v, "competitors", r.Competitors, MaxItems, (p, f) =>
        {
            v.Require($"{f}.name", p.Name, NameLength);
            if (!Enum.IsDefined(p.Position))
                v.Add($"{f}.position", $"{f}.position must be one of {string.Join(", ", Enum.GetNames<CompetitorPosition>())}.");
            Percent(v, $"{f}.walletSharePercent", p.WalletSharePercent);
            v.MaxLength($"{f}.products", p.Products, NotesLength);
            v.MaxLength($"{f}.strengths", p.Strengths, NotesLength);
            v.MaxLength($"{f}.weaknesses", p.Weaknesses, NotesLength);
        });
        return v;
    }

    /// <summary>Copies a valid request onto the archive, trimmed; a section left out of the request is emptied (the archive is saved whole).</summary>
    public static void Apply(AccountArchive a, SaveArchive.Request r)
    {
        var s = r.ProductionScale ?? new ProductionScale();
        a.ProductionScale = s with { CapacityUnit = s.CapacityUnit.Trimmed(), Notes = s.Notes.Trimmed() };
        a.ProductLines = (r.ProductLines ?? []).Select(p => new ProductLine(p.Name.Trim(), p.SharePercent, p.Description.Trimmed())).ToList();
        a.ProductionLines = (r.ProductionLines ?? []).Select(p => p with { Name = p.Name.Trim(), Equipment = p.Equipment.Trimmed(), Notes = p.Notes.Trimmed() }).ToList();
        a.DevelopmentPlans = (r.DevelopmentPlans ?? []).Select(p => p with { Horizon = p.Horizon.Trim(), Plan = p.Plan.Trim() }).ToList();
        var m = r.MarketShare ?? new MarketShare();
        a.MarketShare = m with { Notes = m.Notes.Trimmed() };
        a.SalesRegions = (r.SalesRegions ?? []).Select(p => p with { Region = p.Region.Trim(), Notes = p.Notes.Trimmed() }).ToList();
        a.SubDealers = (r.SubDealers ?? []).Select(p => p with { Name = p.Name.Trim(), Region = p.Region.Trimmed(), Contact = p.Contact.Trimmed() }).ToList();
        a.Terminals = (r.Terminals ?? []).Select(p => p with { Name = p.Name.Trim(), Region = p.Region.Trimmed(), Kind = p.Kind.Trimmed() }).ToList();
        a.Competitors = (r.Competitors ?? []).Select(p => p with
        {
            Name = p.Name.Trim(),
            Products = p.Products.Trimmed(),
            Strengths = p.Strengths.Trimmed(),
            Weaknesses = p.Weaknesses.Trimmed(),
        }).ToList();
    }

    private static void Each<T>(Validation v, string list, List<T>? items, int max, Action<T, string> check) where T : class
    {
        if (items is null) return;
        if (items.Count > max)
        {
            v.Add(list, $"{list} may hold at most {max} entries.");
            return;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"{list}[{i}]";
            if (items[i] is { } item) check(item, field);
            else v.Add(field, $"{field} is empty.");
        }
    }

    private static void Percent(Validation v, string field, decimal? value)
    {
        if (value is < 0 or > 100) v.Add(field, $"{field} is a percentage: 0 to 100.");
    }

    private static void NonNegative(Validation v, string field, decimal? value)
    {
        if (value is < 0) v.Add(field, $"{field} cannot be negative.");
    }

    private static void NonNegative(Validation v, string field, int? value)
    {
        if (value is < 0) v.Add(field, $"{field} cannot be negative.");
    }

    private static void SharesAddUp(Validation v, string list, IEnumerable<decimal?>? shares)
    {
        if (shares?.Sum(s => s ?? 0) > 100) v.Add(list, $"The shares in {list} add up to more than 100%.");
    }
}
