namespace KeyAccounts.Features.Visits;

/// <summary>Marker for the strings of visits, tasks, follow-ups, the calendar and the coverage board (Resources/Features/Visits/VisitsText.*.resx).</summary>
public sealed class VisitsText;
