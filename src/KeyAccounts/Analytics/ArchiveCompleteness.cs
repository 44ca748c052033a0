namespace KeyAccounts.Analytics;

/// <summary>What an archive holds, counted: the plain input of <see cref="ArchiveCompleteness"/>.</summary>
public sealed record ArchiveFacts(
    bool HasIndustry,
    bool HasLocation,
    bool HasCreditCode,
    bool HasProductionScale,
    int ProductLines,
    int ProductionLines,
    int DevelopmentPlans,
    bool HasMarketShare,
    int SalesNetworkEntries,
    int Competitors,
    int ActiveContacts,
    bool HasDecisionMaker,
    int ContactsWithKnownAttitude);

/// <summary>One section of the archive, its weight and how much of it is there (0–1).</summary>
public sealed record ArchiveSectionScore(string Section, int Weight, double Filled)
{
    public bool IsComplete => Filled >= 1;
}

public sealed record ArchiveCompletenessResult(int Score, IReadOnlyList<ArchiveSectionScore> Sections)
{
    public IEnumerable<string> Missing => Sections.Where(s => !s.IsComplete).Select(s => s.Section);
}

/// <summary>How complete an account's archive is, 0–100, and which sections are thin.</summary>
public static class ArchiveCompleteness
{
    public const int MinimumKeyPeople = 3;

    public static ArchiveCompletenessResult Score(ArchiveFacts f)
    {
        ArchiveSectionScore[] sections =
        [
            new("Basics", 10, ((f.HasIndustry ? 1 : 0) + (f.HasLocation ? 1 : 0) + (f.HasCreditCode ? 1 : 0)) / 3.0),
            new("ProductionScale", 10, f.HasProductionScale ? 1 : 0),
            new("ProductStructure", 10, f.ProductLines > 0 ? 1 : 0),
            new("ProductionLines", 10, f.ProductionLines > 0 ? 1 : 0),
            new("DevelopmentPlans", 10, f.DevelopmentPlans > 0 ? 1 : 0),
            new("MarketShare", 10, f.HasMarketShare ? 1 : 0),
            new("SalesNetwork", 10, f.SalesNetworkEntries > 0 ? 1 : 0),
            new("Competitors", 10, f.Competitors > 0 ? 1 : 0),
            new("KeyPeople", 10, Math.Min(1.0, (double)f.ActiveContacts / MinimumKeyPeople)),
            new("DecisionMaker", 5, f.HasDecisionMaker ? 1 : 0),
            new("Attitudes", 5, f.ActiveContacts == 0 ? 0 : (double)f.ContactsWithKnownAttitude / f.ActiveContacts),
        ];
        var total = sections.Sum(s => s.Weight);
        var score = (int)Math.Round(100 * sections.Sum(s => s.Weight * s.Filled) / total, MidpointRounding.AwayFromZero);
        return new ArchiveCompletenessResult(score, sections);
    }
}
