namespace KeyAccounts.Features.Receivables;

/// <summary>Marker for the receivables strings (Resources/Features/Receivables/ReceivablesText.*.resx).</summary>
public sealed class ReceivablesText;
