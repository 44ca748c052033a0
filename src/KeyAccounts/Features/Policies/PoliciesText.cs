namespace KeyAccounts.Features.Policies;

/// <summary>Marker for the sales policy strings (Resources/Features/Policies/PoliciesText.*.resx).</summary>
public sealed class PoliciesText;
