namespace KeyAccounts.Features.Archives;

/// <summary>Marker for the archive strings (Resources/Features/Archives/ArchivesText.*.resx).</summary>
public sealed class ArchivesText;
