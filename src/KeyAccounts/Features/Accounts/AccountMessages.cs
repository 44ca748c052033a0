using KeyAccounts.Analytics;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace KeyAccounts.Features.Accounts;

/// <summary>The use cases answer in English (the API's language); the screens say the same in the user's language.</summary>
public static class AccountMessages
{
    /// <summary>Why a credit code is refused, checked as the user types; null when it is valid or empty.</summary>
    public static string? CreditCodeError(IStringLocalizer reasons, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : CreditCode.Validate(value)?.In(reasons);

    /// <summary>A term with a prefixed key (<c>Tier.Key</c>, <c>Field.Name</c>) in the user's language (both cultures have it).</summary>
    public static string Term(this IStringLocalizer<AccountsText> L, string key) => L[key].Value;
}
