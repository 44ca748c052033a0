namespace KeyAccounts.Features.Accounts;

/// <summary>Marker for the account screens' strings (Resources/Features/Accounts/AccountsText.*.resx).</summary>
public sealed class AccountsText;
