using System.Security.Claims;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Approvals;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Features.Quotes;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Demo;

/// <summary>
/// Price lists (last year's and this year's standard list, a key-account list, a dealer's own list) and quotes in every state,
/// made through the quote use cases by the accounts' owners and approved or turned down by a leader.
/// </summary>
public static class SeedDemoQuotes
{
    /// <summary>This year's list prices of the demo catalogue (SeedDemoTransactions' products).</summary>
    private static readonly (string Code, decimal Price)[] ListPrices =
    [
        ("BRG-6205", 38m), ("BRG-22220", 1_450m), ("BRG-32316", 980m), ("BRG-NU2320", 2_300m), ("BRG-YRT200", 8_600m), ("GBX-ZLY250", 26_000m),
        ("GBX-H3SH9", 68_000m), ("GBX-WIND2", 1_250_000m), ("GBX-P80", 4_800m), ("HYD-A4VSO", 32_000m), ("HYD-CYL160", 9_500m), ("HYD-VALVE", 6_200m),
        ("HYD-STATION", 185_000m), ("CPL-GICL5", 3_600m), ("SRV-OVERHAUL", 120_000m), ("SRV-INSPECT", 48_000m),
    ];

    private enum Outcome { Draft, Pending, AutoApproved, ApprovedBeyondPolicy, Rejected, Returned, Ordered, Expired, Cancelled }

    public static async Task<int> SeedAsync(AppDb db, IReadOnlyList<Account> accounts, DateTime now, CancellationToken ct)
    {
        var products = await db.Products.Where(p => ListPrices.Select(l => l.Code).Contains(p.Code)).ToDictionaryAsync(p => p.Code, p => p.Id, ct);
        if (products.Count == 0 || accounts.Count == 0) return 0;
        var today = SaveQuote.Today(new FixedClock(now));
        var yearStart = new DateOnly(today.Year, 1, 1);
        var priced = ListPrices.Where(l => products.ContainsKey(l.Code)).ToList();

        PriceList List(string name, DateOnly from, DateOnly? to, decimal factor, Tier? tier = null, long? accountId = null, int take = int.MaxValue) => new()
        {
            Name = name,
            Scope = accountId is not null ? PriceListScope.Account : tier is not null ? PriceListScope.Tier : PriceListScope.Standard,
            Tier = tier,
            AccountId = accountId,
            ValidFrom = from,
            ValidTo = to,
            UpdatedAt = now,
            Version = 1,
            Lines = [.. priced.Take(take).Select(l => new PriceListLine { ProductId = products[l.Code], UnitPrice = Math.Round(l.Price * factor, 0, MidpointRounding.AwayFromZero) })],
        };
        var dealer = accounts.FirstOrDefault(a => a.Type == AccountType.Dealer) ?? accounts[0];
        db.PriceLists.AddRange(
            List($"{today.Year - 1} 年标准价目表", yearStart.AddYears(-1), yearStart.AddDays(-1), 0.95m),
            List($"{today.Year} 年标准价目表", yearStart, null, 1m),
            List($"{today.Year} 年大客户价目表", yearStart, null, 0.96m, tier: Tier.Key, take: 10),
            List($"{dealer.Name} 经销协议价", yearStart, null, 0.92m, accountId: dealer.Id, take: 6));
        await db.SaveChangesAsync(ct);

        var leader = await db.Users.Where(u => u.UserName == "wangjianguo").Select(u => u.Id).FirstOrDefaultAsync(ct);
        var outcomes = Enum.GetValues<Outcome>();
        var quoted = accounts.OrderBy(a => a.Tier).ThenBy(a => a.Id).Take(outcomes.Length * 2).ToList();
        var count = 0;
        for (var i = 0; i < quoted.Count; i++)
        {
            var account = quoted[i];
            var outcome = outcomes[i % outcomes.Length];
            // Spread over the last weeks; the expired one was made long enough ago to have run out.
            var clock = new FixedClock(now.AddDays(outcome == Outcome.Expired ? -45 : -(i * 2 % 25)));
            var owner = CurrentUser.For(new ClaimsPrincipal(new ClaimsIdentity(
                [new(ClaimTypes.NameIdentifier, account.OwnerId), new(ClaimTypes.Name, "demo"), new(ClaimTypes.Role, Roles.Rep)], "seed")));
            var extra = outcome is Outcome.Pending or Outcome.ApprovedBeyondPolicy or Outcome.Rejected or Outcome.Returned ? 3m + i % 3 * 2 : 0m;
            var lines = priced.Skip(i % priced.Count).Concat(priced).Take(1 + i % 3)
                .Select((l, n) => new QuotePricing.LineRequest(products[l.Code], l.Price > 100_000m ? 1 : 2 + (i + n) % 20, n == 0 ? extra : 0))
                .ToList();
            var created = await SaveQuote.CreateAsync(new SaveQuote.Request(account.Id, null, i % 4 == 0 ? "含运费及现场安装指导" : null, lines), db, owner, clock, null, ct);
            if (created.Result is not Microsoft.AspNetCore.Http.HttpResults.Created<QuoteDto> { Value: { } quote }) continue;
            count++;
            db.ChangeTracker.Clear();
            if (outcome is Outcome.Draft) continue;
            if (outcome == Outcome.Expired)
            {
                // Nobody submitted it in time: the next action on it finds it past its day and marks it Expired.
                await SubmitQuote.HandleAsync(quote.Id, new SubmitQuote.Request(), db, owner, new FixedClock(now), null, null, ct);
                db.ChangeTracker.Clear();
                continue;
            }
            await SubmitQuote.HandleAsync(quote.Id, new SubmitQuote.Request(), db, owner, clock, null, null, ct);
            db.ChangeTracker.Clear();
            switch (outcome)
            {
                case Outcome.ApprovedBeyondPolicy or Outcome.Rejected or Outcome.Returned when leader is not null:
                    // Decided through the approval engine, as the leader would in 待我审批.
                    var (decision, reason) = outcome switch
                    {
                        Outcome.ApprovedBeyondPolicy => (ApprovalState.Approved, (string?)null),
                        Outcome.Rejected => (ApprovalState.Rejected, "额外折扣超出本季度区域授权，请按政策价重新报价"),
                        _ => (ApprovalState.Returned, "请补充竞品报价及预计年用量后再提交"),
                    };
                    var by = CurrentUser.For(new ClaimsPrincipal(new ClaimsIdentity(
                        [new(ClaimTypes.NameIdentifier, leader), new(ClaimTypes.Name, "wangjianguo"), new(ClaimTypes.Role, Roles.Leader)], "seed")));
                    var submitted = await db.Quotes.Include(q => q.Lines).FirstAsync(q => q.Id == quote.Id, ct);
                    await db.DecideForDocumentAsync(QuoteApproval.DocumentType, quote.Id, decision, reason, by,
                        () => QuoteApproval.Submission(submitted, account.OwnerId), null, ct);
                    break;
                case Outcome.Ordered:
                    await ConvertQuoteToOrder.HandleAsync(quote.Id, db, owner, clock, ct);
                    break;
                case Outcome.Cancelled:
                    await CancelQuote.HandleAsync(quote.Id, new CancelQuote.Request("客户项目延期，暂停采购"), db, owner, clock, ct);
                    break;
            }
            db.ChangeTracker.Clear();
        }
        return count;
    }

    private sealed class FixedClock(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now, TimeSpan.Zero);
    }
}
