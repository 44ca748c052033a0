namespace KeyAccounts.Components;

/// <summary>Marker for the strings shared by the layout and widgets (Resources/Components/SharedText.*.resx).</summary>
public sealed class SharedText;
