namespace KeyAccounts.Features.Care;

/// <summary>Marker for the customer-care strings (Resources/Features/Care/CareText.*.resx).</summary>
public sealed class CareText;
