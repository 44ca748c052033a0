using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Features.Transactions;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Receivables;

public sealed record PlanView(long Id, long AccountId, string AccountCode, string AccountName, string? OrderNo, string? InvoiceNo, decimal Amount,
    string? Note, DateTime CreatedAt, IReadOnlyList<InstalmentView> Instalments);

/// <summary>Collection plans (回款计划): create, read, void an instalment, record a payment against a plan.</summary>
public static class CollectionPlans
{
    public const int MaxInstalments = 120;

    public sealed record InstalmentInput(DateOnly? DueOn, decimal? Amount);

    public sealed record CreateRequest(string? OrderNo, string? InvoiceNo, string? Note, IReadOnlyList<InstalmentInput>? Instalments);

    /// <summary>The accounts whose receivables the user may write: their own (as the imports), every visible one for Finance.</summary>
    public static IQueryable<Account> Writable(AppDb db, CurrentUser user) =>
        user.IsInRole(Roles.Finance) ? db.Accounts.VisibleTo(db, user) : db.Accounts.EditableBy(db, user);

    /// <summary>POST /api/v1/collection-plans: a plan for an order or an invoice whose instalments add up to its amount.</summary>
    public static async Task<Results<Created<PlanView>, ValidationProblem>> CreateAsync(CreateRequest request, AppDb db, CurrentUser user, TimeProvider clock,
        CancellationToken ct)
    {
        var v = new Validation();
        var orderNo = request.OrderNo.Trimmed();
        var invoiceNo = request.InvoiceNo.Trimmed();
        if ((orderNo is null) == (invoiceNo is null)) v.Add("invoiceNo", $"Name either an invoiceNo or an orderNo, not both.");
        v.MaxLength("note", request.Note, 500);
        var items = request.Instalments ?? [];
        if (items.Count == 0) v.Add("instalments", $"Give at least one instalment.");
        else if (items.Count > MaxInstalments) v.Add("instalments", $"A plan has at most {MaxInstalments} instalments.");
        for (var i = 0; i < items.Count && i < MaxInstalments; i++)
        {
            if (items[i].DueOn is null) v.Add($"instalments[{i}].dueOn", $"dueOn is required.");
            if (items[i].Amount is not { } a) v.Add($"instalments[{i}].amount", $"amount is required.");
            else if (a <= 0) v.Add($"instalments[{i}].amount", $"amount must be more than 0.");
            else if (decimal.Round(a, 2) != a) v.Add($"instalments[{i}].amount", $"amount has at most 2 decimals.");
            if (i > 0 && items[i].DueOn is { } d && items[i - 1].DueOn is { } before && d < before)
                v.Add($"instalments[{i}].dueOn", $"Instalment {i + 1} is due before instalment {i}.");
        }
        if (!v.IsValid) return v.Problem();

        var field = invoiceNo is not null ? "invoiceNo" : "orderNo";
        var writable = Writable(db, user).Select(a => a.Id);
        long accountId;
        decimal amount;
        if (invoiceNo is not null)
        {
            var invoice = await db.Invoices.AsNoTracking().Where(i => i.InvoiceNo == invoiceNo && writable.Contains(i.AccountId))
                .Select(i => new { i.AccountId, i.Amount }).FirstOrDefaultAsync(ct);
            if (invoice is null) return Validation.Single(field, $"There is no invoice {invoiceNo} you may plan.");
            (accountId, amount) = (invoice.AccountId, invoice.Amount);
        }
        else
        {
            var order = await db.Orders.AsNoTracking().Where(o => o.OrderNo == orderNo && writable.Contains(o.AccountId))
                .Select(o => new { o.Id, o.AccountId }).FirstOrDefaultAsync(ct);
            if (order is null) return Validation.Single(field, $"There is no order {orderNo} you may plan.");
            var lines = await db.OrderLines.AsNoTracking().Where(l => l.OrderId == order.Id).Select(l => new { l.Quantity, l.UnitPrice }).ToListAsync(ct);
            (accountId, amount) = (order.AccountId, decimal.Round(lines.Sum(l => l.Quantity * l.UnitPrice), 2, MidpointRounding.AwayFromZero));
        }
        if (amount <= 0) return Validation.Single(field, $"{field} has nothing to collect (its amount is {amount}).");
        var sum = items.Sum(i => i.Amount!.Value);
        if (sum != amount) return Validation.Single("instalments", $"The instalments add up to {sum}; the amount to collect is {amount}.");
        if (await db.CollectionPlans.AnyAsync(p => invoiceNo != null ? p.InvoiceNo == invoiceNo : p.OrderNo == orderNo, ct))
            return Validation.Single(field, $"{field} already has a collection plan.");

        var plan = new CollectionPlan
        {
            AccountId = accountId,
            OrderNo = orderNo,
            InvoiceNo = invoiceNo,
            Amount = amount,
            Note = request.Note.Trimmed(),
            CreatedById = user.Id,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Instalments = [.. items.Select((i, n) => new Instalment { AccountId = accountId, No = n + 1, DueOn = i.DueOn!.Value, Amount = i.Amount!.Value })],
        };
        db.CollectionPlans.Add(plan);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request planned the same order or invoice in between (the unique index).
            return Validation.Single(field, $"{field} already has a collection plan.");
        }
        var view = (await ViewsAsync(db, [plan.Id], GetAgeing.Today(clock), ct))[0];
        return TypedResults.Created($"/api/v1/collection-plans/{plan.Id}", view);
    }

    /// <summary>GET /api/v1/collection-plans/{id}.</summary>
    public static async Task<Results<Ok<PlanView>, NotFound>> GetAsync(long id, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var visible = db.VisibleAccountIds(user);
        if (!await db.CollectionPlans.AnyAsync(p => p.Id == id && visible.Contains(p.AccountId), ct)) return TypedResults.NotFound();
        return TypedResults.Ok((await ViewsAsync(db, [id], GetAgeing.Today(clock), ct))[0]);
    }

    /// <summary>GET /api/v1/accounts/{id}/collection-plans?page=&amp;pageSize=: the account's plans, newest first.</summary>
    public static async Task<Results<Ok<Paged<PlanView>>, NotFound>> OfAccountAsync(long id, int? page, int? pageSize, AppDb db, CurrentUser user,
        TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        var ids = await db.CollectionPlans.Where(p => p.AccountId == id).OrderByDescending(p => p.Id).Select(p => p.Id).ToPagedAsync(page, pageSize, ct);
        return TypedResults.Ok(new Paged<PlanView>(await ViewsAsync(db, ids.Items, GetAgeing.Today(clock), ct), ids.Total, ids.Page, ids.PageSize));
    }

    public sealed record VoidRequest(string? Reason);

    /// <summary>POST /api/v1/collection-plans/{id}/instalments/{no}/void: the instalment no longer expects money (reason required).</summary>
    public static async Task<Results<Ok<PlanView>, NotFound, ValidationProblem>> VoidAsync(long id, int no, VoidRequest request, AppDb db, CurrentUser user,
        TimeProvider clock, CancellationToken ct)
    {
        var writable = Writable(db, user).Select(a => a.Id);
        var instalment = await db.Instalments.FirstOrDefaultAsync(i => i.PlanId == id && i.No == no && writable.Contains(i.AccountId), ct);
        if (instalment is null) return TypedResults.NotFound();
        var v = new Validation().Require("reason", request.Reason, 500);
        if (instalment.VoidedAt is not null) v.Add("no", $"Instalment {no} is void already.");
        if (!v.IsValid) return v.Problem();
        instalment.VoidedAt = clock.GetUtcNow().UtcDateTime;
        instalment.VoidReason = request.Reason!.Trim();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ViewsAsync(db, [id], GetAgeing.Today(clock), ct))[0]);
    }

    public sealed record PaymentRequest(string? PaymentNo, DateOnly? PaidOn, decimal? Amount, string? InvoiceNo, PaymentMethod? Method);

    /// <summary>
    /// POST /api/v1/collection-plans/{id}/payments: money received against the plan, allocated explicitly to its invoice (for an
    /// order's plan, to the invoice named). A payment beyond what the invoice still owes is refused, naming <c>amount</c>.
    /// </summary>
    public static async Task<Results<Ok<PlanView>, NotFound, ValidationProblem>> RecordPaymentAsync(long id, PaymentRequest request, AppDb db,
        CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var writable = Writable(db, user).Select(a => a.Id);
        var plan = await db.CollectionPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && writable.Contains(p.AccountId), ct);
        if (plan is null) return TypedResults.NotFound();
        var v = new Validation().Require("paymentNo", request.PaymentNo, 40);
        if (request.PaidOn is null) v.Add("paidOn", $"paidOn is required.");
        if (request.Amount is not { } amount) v.Add("amount", $"amount is required.");
        else if (amount <= 0) v.Add("amount", $"amount must be more than 0.");
        else if (decimal.Round(amount, 2) != amount) v.Add("amount", $"amount has at most 2 decimals.");
        if (request.Method is null) v.Add("method", $"method is required.");
        var invoiceNo = plan.InvoiceNo ?? request.InvoiceNo.Trimmed();
        if (invoiceNo is null) v.Add("invoiceNo", $"Name the invoice of the order this payment is for.");
        if (!v.IsValid) return v.Problem();
        var invoice = await db.Invoices.AsNoTracking().FirstOrDefaultAsync(i => i.InvoiceNo == invoiceNo && i.AccountId == plan.AccountId
            && (plan.InvoiceNo != null || i.OrderNo == plan.OrderNo), ct);
        if (invoice is null) return Validation.Single("invoiceNo", $"Invoice {invoiceNo} does not bill this plan's order.");
        var paymentNo = request.PaymentNo!.Trim();
        if (await db.Payments.AnyAsync(p => p.PaymentNo == paymentNo, ct)) return Validation.Single("paymentNo", $"paymentNo {paymentNo} is taken.");
        var paidOn = request.PaidOn!.Value;
        // What the invoice still owes on the payment's day, counting every payment already received (also later-dated ones).
        var day = paidOn > GetAgeing.Today(clock) ? paidOn : GetAgeing.Today(clock);
        var owed = (await OpenInvoices.OwedOfAsync(db, AccountScope.One(plan.AccountId), day, ct)).GetValueOrDefault(invoice.Id);
        if (request.Amount!.Value > owed)
            return Validation.Single("amount", $"amount {request.Amount.Value} is more than invoice {invoiceNo} still owes ({owed}).");
        db.Payments.Add(new Payment
        {
            PaymentNo = paymentNo,
            AccountId = plan.AccountId,
            PaidOn = paidOn,
            Amount = request.Amount.Value,
            InvoiceNo = invoiceNo,
            Method = request.Method,
            UpdatedAt = clock.GetUtcNow().UtcDateTime,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Validation.Single("paymentNo", $"paymentNo {paymentNo} is taken.");
        }
        return TypedResults.Ok((await ViewsAsync(db, [id], GetAgeing.Today(clock), ct))[0]);
    }

    public static async Task<List<PlanView>> ViewsAsync(AppDb db, IReadOnlyList<long> planIds, DateOnly on, CancellationToken ct)
    {
        long[] ids = [.. planIds];
        var plans = await db.CollectionPlans.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Join(db.Accounts, p => p.AccountId, a => a.Id, (p, a) => new { p.Id, p.AccountId, a.Code, a.Name, p.OrderNo, p.InvoiceNo, p.Amount, p.Note, p.CreatedAt })
            .ToListAsync(ct);
        var instalments = (await InstalmentStates.OfPlansAsync(db, ids, on, ct)).ToLookup(i => i.PlanId);
        var byId = plans.ToDictionary(p => p.Id);
        return [.. ids.Where(byId.ContainsKey).Select(id => byId[id]).Select(p =>
            new PlanView(p.Id, p.AccountId, p.Code, p.Name, p.OrderNo, p.InvoiceNo, p.Amount, p.Note, p.CreatedAt, [.. instalments[p.Id]]))];
    }
}
