// src/KeyAccounts/Features/Policies/AccountTerms.cs
using KeyAccounts.Data;
namespace KeyAccounts.Features.Policies;

public sealed record AccountTerms(decimal? DiscountPercent, int? PaymentTermDays, decimal? CreditLimit,
    decimal? CommissionRate, decimal? ExpenseBudget, IReadOnlyList<TermsRule> Rules);
public sealed record TermsRule(long PolicyId, string Name, IReadOnlyList<string> Met);
public static class AccountTermsQueries
{
    public static Task<AccountTerms> TermsOnAsync(this AppDb db, long accountId, DateOnly on, CancellationToken ct = default) =>
        Task.FromResult(new AccountTerms(null, null, null, null, null, []));
}
