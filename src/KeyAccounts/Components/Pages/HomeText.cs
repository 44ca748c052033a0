namespace KeyAccounts.Components.Pages;

/// <summary>Marker for the strings of the home page (Resources/Components/Pages/HomeText.*.resx).</summary>
public sealed class HomeText;
