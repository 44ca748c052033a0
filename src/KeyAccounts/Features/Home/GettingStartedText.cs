namespace KeyAccounts.Features.Home;

/// <summary>Marker for the getting-started checklist's strings (Resources/Features/Home/GettingStartedText.*.resx).</summary>
public sealed class GettingStartedText;
