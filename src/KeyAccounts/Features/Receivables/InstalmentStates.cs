using KeyAccounts.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Receivables;

/// <summary>An instalment as the screens and the API show it: its plan's target, the money allocated to it and its state.</summary>
public sealed record InstalmentView(long Id, long PlanId, long AccountId, string? OrderNo, string? InvoiceNo, int No, DateOnly DueOn, decimal Amount,
    decimal Paid, InstalmentState State, string? VoidReason)
{
    public decimal Outstanding => State == InstalmentState.Void ? 0 : Amount - Paid;
}

/// <summary>
/// The states of instalments on a day. The money paid against a plan is what the receivables rule (<see cref="OpenInvoices"/>)
/// has allocated to its invoice (or, for an order's plan, to the invoices that name the order) by that day; it pays the plan's
/// instalments that are not void in their order (第 1 期 first). An instalment fully paid is Completed; otherwise past its due
/// date Overdue, partly paid Partial, else Pending.
/// </summary>
public static class InstalmentStates
{
    private const int AccountsPerQuery = 400;

    public static InstalmentState StateOf(bool isVoid, decimal amount, decimal paid, DateOnly dueOn, DateOnly on) =>
        isVoid ? InstalmentState.Void
        : paid >= amount ? InstalmentState.Completed
        : dueOn < on ? InstalmentState.Overdue
        : paid > 0 ? InstalmentState.Partial
        : InstalmentState.Pending;

    /// <summary>Every instalment of these plans on <paramref name="on"/>, in plan and instalment order.</summary>
    public static async Task<List<InstalmentView>> OfPlansAsync(AppDb db, IReadOnlyCollection<long> planIds, DateOnly on, CancellationToken ct)
    {
        if (planIds.Count == 0) return [];
        long[] ids = [.. planIds.Distinct()];
        var plans = await db.CollectionPlans.AsNoTracking().Where(p => ids.Contains(p.Id)).Include(p => p.Instalments).ToListAsync(ct);
        var paid = await PaidAsync(db, plans, on, ct);
        var views = new List<InstalmentView>();
        foreach (var plan in plans.OrderBy(p => p.Id))
        {
            var money = paid.GetValueOrDefault(plan.Id);
            foreach (var i in plan.Instalments.OrderBy(i => i.No))
            {
                var isVoid = i.VoidedAt is not null;
                var share = isVoid ? 0 : Math.Min(Math.Max(money, 0), i.Amount);
                if (!isVoid) money -= share;
                views.Add(new InstalmentView(i.Id, plan.Id, plan.AccountId, plan.OrderNo, plan.InvoiceNo, i.No, i.DueOn, i.Amount, share,
                    StateOf(isVoid, i.Amount, share, i.DueOn, on), i.VoidReason));
            }
        }
        return views;
    }

    /// <summary>The money allocated to each plan's invoices by <paramref name="on"/>.</summary>
    private static async Task<Dictionary<long, decimal>> PaidAsync(AppDb db, List<CollectionPlan> plans, DateOnly on, CancellationToken ct)
    {
        string[] invoiceNos = [.. plans.Where(p => p.InvoiceNo is not null).Select(p => p.InvoiceNo!)];
        string[] orderNos = [.. plans.Where(p => p.OrderNo is not null).Select(p => p.OrderNo!)];
        var invoices = await db.Invoices.AsNoTracking()
            .Where(i => invoiceNos.Contains(i.InvoiceNo) || (i.OrderNo != null && orderNos.Contains(i.OrderNo)))
            .Select(i => new { i.Id, i.AccountId, i.InvoiceNo, i.OrderNo, i.IssuedOn, i.Amount }).ToListAsync(ct);
        var owed = new Dictionary<long, decimal>();
        foreach (var chunk in invoices.Select(i => i.AccountId).Distinct().Chunk(AccountsPerQuery))
            foreach (var (id, amount) in await OpenInvoices.OwedOfAsync(db, AccountScope.Many(chunk), on, ct))
                owed[id] = amount;
        // An invoice's allocated money is its amount less what is still owed; one not issued yet (or a credit note) has none.
        decimal PaidOf(long id, DateOnly issued, decimal amount) => issued > on || amount <= 0 ? 0 : amount - owed.GetValueOrDefault(id);
        var result = new Dictionary<long, decimal>();
        foreach (var plan in plans)
        {
            var mine = invoices.Where(i => i.AccountId == plan.AccountId
                && (plan.InvoiceNo is not null ? i.InvoiceNo == plan.InvoiceNo : i.OrderNo == plan.OrderNo));
            result[plan.Id] = mine.Sum(i => PaidOf(i.Id, i.IssuedOn, i.Amount));
        }
        return result;
    }
}
