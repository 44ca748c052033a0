using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Transactions;

public sealed record OrderLineDto(int LineNo, string ProductCode, string ProductName, decimal Quantity, decimal UnitPrice, decimal UnitCost, decimal Amount);

public sealed record OrderDto(long Id, string OrderNo, DateOnly OrderDate, decimal Amount, decimal Cost, bool IsReturn, IReadOnlyList<OrderLineDto> Lines);

public sealed record InvoiceDto(long Id, string InvoiceNo, DateOnly IssuedOn, DateOnly DueOn, decimal Amount, decimal Paid, decimal Outstanding, bool Overdue);

public sealed record PaymentDto(long Id, string PaymentNo, DateOnly PaidOn, decimal Amount, string? InvoiceNo);

public sealed record QualityIncidentDto(long Id, string IncidentNo, DateOnly OccurredOn, decimal LossAmount, string? Description);

/// <summary>GET /api/v1/accounts/{id}/orders|invoices|payments|quality-incidents: an account's transactions, newest first, paged on the server.</summary>
public static class AccountTransactions
{
    private static Task<bool> VisibleAsync(long id, AppDb db, CurrentUser user, CancellationToken ct) =>
        db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct);

    public static async Task<Results<Ok<Paged<OrderDto>>, NotFound>> OrdersAsync(long id, int? page, int? pageSize, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!await VisibleAsync(id, db, user, ct)) return TypedResults.NotFound();
        var orders = await db.Orders.Where(o => o.AccountId == id).OrderByDescending(o => o.OrderDate).ThenByDescending(o => o.Id)
            .Select(o => new { o.Id, o.OrderNo, o.OrderDate }).ToPagedAsync(page, pageSize, ct);
        var ids = orders.Items.Select(o => o.Id).ToArray();
        var lines = (await db.OrderLines.Where(l => ids.Contains(l.OrderId))
                .Join(db.Products, l => l.ProductId, p => p.Id, (l, p) => new { l.OrderId, l.LineNo, p.Code, p.Name, l.Quantity, l.UnitPrice, l.UnitCost })
                .ToListAsync(ct))
            .ToLookup(l => l.OrderId);
        var items = orders.Items.Select(o =>
        {
            var ls = lines[o.Id].OrderBy(l => l.LineNo)
                .Select(l => new OrderLineDto(l.LineNo, l.Code, l.Name, l.Quantity, l.UnitPrice, l.UnitCost, l.Quantity * l.UnitPrice)).ToList();
            return new OrderDto(o.Id, o.OrderNo, o.OrderDate, ls.Sum(l => l.Amount), ls.Sum(l => l.Quantity * l.UnitCost), ls.Count > 0 && ls.All(l => l.Quantity < 0), ls);
        }).ToList();
        return TypedResults.Ok(new Paged<OrderDto>(items, orders.Total, orders.Page, orders.PageSize));
    }

    public static async Task<Results<Ok<Paged<InvoiceDto>>, NotFound>> InvoicesAsync(long id, int? page, int? pageSize, AppDb db, CurrentUser user, TimeProvider clock,
        CancellationToken ct)
    {
        if (!await VisibleAsync(id, db, user, ct)) return TypedResults.NotFound();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var invoices = await db.Invoices.Where(i => i.AccountId == id).OrderByDescending(i => i.IssuedOn).ThenByDescending(i => i.Id).ToPagedAsync(page, pageSize, ct);
        var numbers = invoices.Items.Select(i => i.InvoiceNo).ToArray();
        var paid = await db.Payments.Where(p => p.AccountId == id && p.InvoiceNo != null && numbers.Contains(p.InvoiceNo))
            .GroupBy(p => p.InvoiceNo!).Select(g => new { g.Key, Paid = g.Sum(p => p.Amount) }).ToDictionaryAsync(g => g.Key, g => g.Paid, ct);
        var items = invoices.Items.Select(i =>
        {
            var p = paid.GetValueOrDefault(i.InvoiceNo);
            var outstanding = Math.Max(0, i.Amount - p);
            return new InvoiceDto(i.Id, i.InvoiceNo, i.IssuedOn, i.DueOn, i.Amount, p, outstanding, outstanding > 0 && i.DueOn < today);
        }).ToList();
        return TypedResults.Ok(new Paged<InvoiceDto>(items, invoices.Total, invoices.Page, invoices.PageSize));
    }

    public static async Task<Results<Ok<Paged<PaymentDto>>, NotFound>> PaymentsAsync(long id, int? page, int? pageSize, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!await VisibleAsync(id, db, user, ct)) return TypedResults.NotFound();
        return TypedResults.Ok(await db.Payments.Where(p => p.AccountId == id).OrderByDescending(p => p.PaidOn).ThenByDescending(p => p.Id)
            .Select(p => new PaymentDto(p.Id, p.PaymentNo, p.PaidOn, p.Amount, p.InvoiceNo)).ToPagedAsync(page, pageSize, ct));
    }

    public static async Task<Results<Ok<Paged<QualityIncidentDto>>, NotFound>> QualityIncidentsAsync(long id, int? page, int? pageSize, AppDb db, CurrentUser user,
        CancellationToken ct)
    {
        if (!await VisibleAsync(id, db, user, ct)) return TypedResults.NotFound();
        return TypedResults.Ok(await db.QualityIncidents.Where(q => q.AccountId == id).OrderByDescending(q => q.OccurredOn).ThenByDescending(q => q.Id)
            .Select(q => new QualityIncidentDto(q.Id, q.IncidentNo, q.OccurredOn, q.LossAmount, q.Description)).ToPagedAsync(page, pageSize, ct));
    }
}

public sealed record TransactionSummary(DateOnly? From, DateOnly? To, decimal Revenue, decimal Cost, decimal Profit, decimal Returns, int OrderCount, int LineCount,
    decimal Invoiced, decimal Paid, decimal Outstanding, decimal Overdue, decimal QualityLosses, int QualityIncidentCount);

/// <summary>
/// GET /api/v1/accounts/{id}/transaction-summary?from=&amp;to=: totals of the period (all time when open). Revenue and cost are
/// Σ quantity × price / cost over the lines (returns count negative); invoiced and paid are by issue and payment date in the
/// period; outstanding and overdue are the receivables as of the period's end (or today): invoices issued by then less
/// what was paid against them, overdue when past due.
/// </summary>
public static class GetTransactionSummary
{
    public static async Task<Results<Ok<TransactionSummary>, NotFound, ValidationProblem>> HandleAsync(long id, DateOnly? from, DateOnly? to, AppDb db, CurrentUser user,
        TimeProvider clock, CancellationToken ct)
    {
        if (from is { } f && to is { } t && t < f) return Validation.Single("to", $"to must not be before from.");
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var asOf = to is { } end && end < today ? end : today;
        var start = from ?? DateOnly.MinValue;
        var finish = to ?? DateOnly.MaxValue;

        var lines = await db.OrderLines.Where(l => l.AccountId == id && l.OrderDate >= start && l.OrderDate <= finish)
            .GroupBy(l => 1)
            .Select(g => new
            {
                Revenue = g.Sum(l => l.Quantity * l.UnitPrice),
                Cost = g.Sum(l => l.Quantity * l.UnitCost),
                Returns = g.Sum(l => l.Quantity < 0 ? -l.Quantity * l.UnitPrice : 0),
                Lines = g.Count(),
            }).FirstOrDefaultAsync(ct);
        var orders = await db.Orders.CountAsync(o => o.AccountId == id && o.OrderDate >= start && o.OrderDate <= finish, ct);
        var invoiced = await db.Invoices.Where(i => i.AccountId == id && i.IssuedOn >= start && i.IssuedOn <= finish).SumAsync(i => i.Amount, ct);
        var paid = await db.Payments.Where(p => p.AccountId == id && p.PaidOn >= start && p.PaidOn <= finish).SumAsync(p => p.Amount, ct);
        var receivables = await db.Invoices.Where(i => i.AccountId == id && i.IssuedOn <= asOf)
            .Select(i => new
            {
                i.Amount,
                i.DueOn,
                Paid = db.Payments.Where(p => p.AccountId == id && p.InvoiceNo == i.InvoiceNo && p.PaidOn <= asOf).Sum(p => p.Amount),
            })
            .Select(i => new { Open = i.Amount > i.Paid ? i.Amount - i.Paid : 0, i.DueOn })
            .GroupBy(i => 1)
            .Select(g => new { Outstanding = g.Sum(i => i.Open), Overdue = g.Sum(i => i.DueOn < asOf ? i.Open : 0) })
            .FirstOrDefaultAsync(ct);
        var quality = await db.QualityIncidents.Where(q => q.AccountId == id && q.OccurredOn >= start && q.OccurredOn <= finish)
            .GroupBy(q => 1).Select(g => new { Loss = g.Sum(q => q.LossAmount), Count = g.Count() }).FirstOrDefaultAsync(ct);

        var revenue = lines?.Revenue ?? 0;
        var cost = lines?.Cost ?? 0;
        return TypedResults.Ok(new TransactionSummary(from, to, Math.Round(revenue, 2), Math.Round(cost, 2), Math.Round(revenue - cost, 2), Math.Round(lines?.Returns ?? 0, 2),
            orders, lines?.Lines ?? 0, invoiced, paid, Math.Round(receivables?.Outstanding ?? 0, 2), Math.Round(receivables?.Overdue ?? 0, 2), quality?.Loss ?? 0,
            quality?.Count ?? 0));
    }
}
