namespace KeyAccounts.Features.Quotes;

/// <summary>Marker for the strings of quotes and price lists (Resources/Features/Quotes/QuotesText.*.resx).</summary>
public sealed class QuotesText;
