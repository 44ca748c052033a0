using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using KeyAccounts.Analytics;
using KeyAccounts.Components;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Approvals;
using KeyAccounts.Features.Archives;
using KeyAccounts.Features.Complaints;
using KeyAccounts.Features.Contacts;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Features.FollowUps;
using KeyAccounts.Features.Home;
using KeyAccounts.Features.Imports;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Features.Surveys;
using KeyAccounts.Features.Tasks;
using KeyAccounts.Features.Visits;
using KeyAccounts.Infrastructure;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Resources;

/// <summary>
/// Terms are the keys built at run time from a value (<c>L[$"Status.{c.Status}"]</c>). English has no text of its own for them,
/// so each needs a resource in both cultures; the English UI showed "Status.New", "Tier.Key" and "Festival.SpringFestival".
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TermsTests(TestApp app)
{
    /// <summary>
    /// Strings whose page is being rewritten on another branch (the home page): their terms still read as words (the fallback),
    /// and they leave this list when that branch gives them their English resources.
    /// </summary>
    private static readonly string[] Pending = [];

    private static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KeyAccounts.slnx"))) directory = directory.Parent;
        Assert.NotNull(directory);
        return Path.Combine(directory.FullName, "src", "KeyAccounts");
    }

    private static HashSet<string> Keys(string file) =>
        File.Exists(file) ? [.. XDocument.Load(file).Root!.Elements("data").Select(d => (string)d.Attribute("name")!)] : [];

    [Fact]
    public void ResourceFiles_EveryTermAndEveryEnglishKey_InBothCultures()
    {
        var missing = new List<string>();
        foreach (var zhFile in Directory.EnumerateFiles(Path.Combine(Root(), "Resources"), "*.zh-CN.resx", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(zhFile).Replace(".zh-CN.resx", "");
            if (Pending.Contains(name)) continue;
            var zh = Keys(zhFile);
            var en = Keys(zhFile.Replace(".zh-CN.resx", ".en.resx"));
            missing.AddRange(zh.Where(k => Texts.IsTerm(k) && !en.Contains(k)).Select(k => $"{name}.en: {k}"));
            missing.AddRange(en.Where(k => !zh.Contains(k)).Select(k => $"{name}.zh-CN: {k}"));
        }
        Assert.Empty(missing);
    }

    /// <summary>The values each term prefix is built from, by the strings it is looked up in.</summary>
    private Dictionary<(string Marker, string Prefix), string[]> Values()
    {
        static string[] Of<T>() where T : struct, Enum => Enum.GetNames<T>();
        var kinds = app.Services.GetRequiredService<ImportKinds>().Names.ToArray();
        return new()
        {
            [("ApprovalsText", "Action")] = Of<ApprovalActionKind>(),
            [("ApprovalsText", "DocumentType")] = [ApprovalFlows.EvaluationRun],
            [("ApprovalsText", "Fact")] = ["accounts", "discountPercent"],
            [("ApprovalsText", "Kind")] = Of<ApproverKind>(),
            [("ApprovalsText", "Mode")] = Of<ApprovalMode>(),
            [("ApprovalsText", "Operator")] = Of<ConditionOperator>(),
            [("ApprovalsText", "Role")] = [.. Roles.All],
            [("ApprovalsText", "State")] = Of<ApprovalState>(),
            [("ApprovalsText", "TaskState")] = Of<ApprovalTaskState>(),
            [("ArchivesText", "Position")] = Of<CompetitorPosition>(),
            [("ArchivesText", "Section")] = [.. ArchiveCompleteness.Score(new ArchiveFacts(false, false, false, false, 0, 0, 0, false, 0, 0, 0, false, 0)).Missing],
            [("ArchivesText", "Tier")] = Of<Tier>(),
            [("CalendarText", "LevelShort")] = Of<VisitLevel>(),
            [("CareText", "Day")] = Of<DayOfWeek>(),
            [("CareText", "Festival")] = [.. CareCalendar.FestivalsIn(2026).Select(f => f.Key).Distinct()],
            [("CareText", "Occasion")] = Of<CareOccasion>(),
            [("ComplaintsText", "Category")] = Of<ComplaintCategory>(),
            [("ComplaintsText", "Event")] = Of<ComplaintEventKind>(),
            [("ComplaintsText", "Move")] = [.. Of<ComplaintStatus>().Where(s => s != nameof(ComplaintStatus.New))],
            [("ComplaintsText", "Severity")] = Of<ComplaintSeverity>(),
            [("ComplaintsText", "Status")] = Of<ComplaintStatus>(),
            [("ContactsText", "Attitude")] = Of<Attitude>(),
            [("ContactsText", "Role")] = Of<BuyingRole>(),
            [("EvaluationText", "Change")] = Of<TierChange>(),
            [("EvaluationText", "Decision")] = [nameof(RunStatus.Returned), nameof(RunStatus.Rejected), nameof(RunStatus.Published)],
            [("EvaluationText", "Direction")] = Of<Direction>(),
            [("EvaluationText", "Missing")] = Of<MissingJudgementRule>(),
            [("EvaluationText", "ModelStatus")] = Of<ModelStatus>(),
            [("EvaluationText", "Normalization")] = Of<Normalization>(),
            [("EvaluationText", "Quadrant")] = Of<PriorityQuadrant>(),
            [("EvaluationText", "RunStatus")] = Of<RunStatus>(),
            [("EvaluationText", "RunTrigger")] = Of<RunTrigger>(),
            [("EvaluationText", "Schedule")] = Of<EvaluationSchedule>(),
            [("EvaluationText", "Source")] = Of<CriterionSource>(),
            [("EvaluationText", "Tier")] = Of<Tier>(),
            [("EvaluationText", "WeightMethod")] = Of<WeightMethod>(),
            [("FollowUpsText", "Method")] = Of<FollowUpMethod>(),
            [("PoliciesText", "Tier")] = Of<Tier>(),
            [("PoliciesText", "AccountType")] = Of<AccountType>(),
            [("PoliciesText", "Benefit")] = [.. KeyAccounts.Analytics.SalesTerms.AllBenefits.Select(KeyAccounts.Analytics.SalesTerms.FieldOf)],
            [("PoliciesText", "Check")] = ["tiers", "accountTypes", "minRevenue12m", "minContracts12m", "minCollectionRate", "maxQualityLoss12m", "minActiveMonths12m", "minAverageUnitPrice12m"],
            [("GettingStartedText", "Hint")] = Of<GetGettingStarted.StepKey>(),
            [("GettingStartedText", "Step")] = Of<GetGettingStarted.StepKey>(),
            [("HomeText", "Approval")] = ["EvaluationRun"],
            [("HomeText", "Level")] = Of<VisitLevel>(),
            [("HomeText", "Method")] = Of<FollowUpMethod>(),
            [("HomeText", "Severity")] = Of<ComplaintSeverity>(),
            [("HomeText", "Status")] = Of<ComplaintStatus>(),
            [("HomeText", "Tier")] = Of<Tier>(),
            [("ImportsText", "Kind")] = kinds,
            [("NotificationsText", "Channel")] = Of<NotificationChannel>(),
            [("NotificationsText", "Delivery")] = Of<DeliveryStatus>(),
            [("NotificationsText", "Event")] = Of<NotificationEvent>(),
            [("OrganisationText", "Role")] = [.. Roles.All],
            [("OrganisationText", "Language")] = [.. Texts.Cultures.Select(c => c.Name)],
            [("ReceivablesText", "Grouping")] = Of<KeyAccounts.Features.Receivables.CollectionRates.Grouping>(),
            [("ReceivablesText", "State")] = Of<KeyAccounts.Features.Receivables.InstalmentState>(),
            [("QuotesText", "Scope")] = Of<KeyAccounts.Features.Quotes.PriceListScope>(),
            [("QuotesText", "State")] = Of<KeyAccounts.Features.Quotes.QuoteState>(),
            [("QuotesText", "Tier")] = Of<Tier>(),
            [("SurveysText", "Kind")] = Of<QuestionKind>(),
            [("TasksText", "TaskState")] = Of<TaskState>(),
            [("VisitsText", "Level")] = Of<VisitLevel>(),
            [("VisitsText", "Method")] = Of<FollowUpMethod>(),
            [("VisitsText", "Status")] = Of<VisitStatus>(),
            [("VisitsText", "Tier")] = Of<Tier>(),
        };
    }

    /// <summary>Every <c>X[$"Prefix.{value}suffix"]</c> of the pages: its strings (by the page's or its folder's @inject), prefix and suffix.</summary>
    private static List<(string Marker, string Prefix, string Suffix, string Page)> TermsUsedByPages()
    {
        var inject = new Regex(@"(?:@inject\s+|\[Inject\][^\n]*?)IStringLocalizer<(\w+)>\s+(\w+)");
        var term = new Regex("""(\w+)\[\$"(\w+)\.\{[^}]*\}([^"]*)"\]""");
        var used = new List<(string, string, string, string)>();
        foreach (var page in Directory.EnumerateFiles(Root(), "*.razor", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(page);
            var localizers = new Dictionary<string, string>();
            foreach (Match m in inject.Matches(text)) localizers.TryAdd(m.Groups[2].Value, m.Groups[1].Value);
            var imports = Path.Combine(Path.GetDirectoryName(page)!, "_Imports.razor");
            if (File.Exists(imports))
                foreach (Match m in inject.Matches(File.ReadAllText(imports))) localizers.TryAdd(m.Groups[2].Value, m.Groups[1].Value);
            foreach (Match m in term.Matches(text))
                used.Add((localizers.GetValueOrDefault(m.Groups[1].Value, "?" + m.Groups[1].Value), m.Groups[2].Value, m.Groups[3].Value, Path.GetFileName(page)));
        }
        return used;
    }

    [Fact]
    public void Lookup_EveryTermThePagesBuild_TranslatedInBothCultures()
    {
        var values = Values();
        var used = TermsUsedByPages().Where(u => !Pending.Contains(u.Marker)).ToList();
        Assert.NotEmpty(used);
        var unknown = used.Where(u => !values.ContainsKey((u.Marker, u.Prefix))).Select(u => $"{u.Page}: {u.Marker} {u.Prefix}.{{…}}").Distinct().ToList();
        Assert.True(unknown.Count == 0, "Name the values of these terms in TermsTests.Values: " + string.Join("; ", unknown));

        var markers = typeof(Program).Assembly.GetTypes().Where(t => t.Name.EndsWith("Text", StringComparison.Ordinal)).ToDictionary(t => t.Name);
        var missing = new List<string>();
        foreach (var (marker, prefix, suffix) in used.Select(u => (u.Marker, u.Prefix, u.Suffix)).Distinct())
            foreach (var culture in Texts.Cultures)
            {
                var text = Texts.For(markers[marker]);
                missing.AddRange(values[(marker, prefix)].Select(v => $"{prefix}.{v}{suffix}")
                    .Where(key => Texts.In(culture, () => text[key].ResourceNotFound))
                    .Select(key => $"{marker}.{culture.Name}: {key}"));
            }
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("zh-CN", "紧急")]
    [InlineData("en", "Critical")]
    public void Lookup_Term_InTheCurrentCulture(string culture, string expected) =>
        Assert.Equal(expected, Texts.In(new CultureInfo(culture), () => Texts.For<ComplaintsText>()["Severity.Critical"].Value));

    [Theory]
    [InlineData("Status.Nowhere", "Nowhere")]
    [InlineData("Festival.SpringFestival", "Spring festival")]
    [InlineData("Missing.PopulationMedian.Text", "Population median")]
    public void Lookup_TermWithoutResource_ReadsAsWordsNotTheKey(string key, string expected)
    {
        var text = Texts.In(new CultureInfo("en"), () => Texts.For<SharedText>()[key]);
        Assert.True(text.ResourceNotFound);
        Assert.Equal(expected, text.Value);
    }

    [Fact]
    public void Lookup_EnglishSentenceWithoutResource_IsItself() =>
        Assert.Equal("Save all.", Texts.In(new CultureInfo("en"), () => Texts.For<SharedText>()["Save all."].Value));
}
