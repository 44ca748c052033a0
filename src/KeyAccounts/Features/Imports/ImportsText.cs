namespace KeyAccounts.Features.Imports;

/// <summary>Marker for the strings of the import page (Resources/Features/Imports/ImportsText.*.resx).</summary>
public sealed class ImportsText;
