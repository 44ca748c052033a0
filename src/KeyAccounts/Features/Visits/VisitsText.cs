namespace KeyAccounts.Features.Visits;

/// <summary>Marker for the strings of visits, the visit policy, the coverage board and the account timeline (Resources/Features/Visits/VisitsText.*.resx).</summary>
public sealed class VisitsText;
