namespace KeyAccounts.Features.Transactions;

/// <summary>Marker for the strings of the transaction views (Resources/Features/Transactions/TransactionsText.*.resx).</summary>
public sealed class TransactionsText;
