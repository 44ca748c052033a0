using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Transactions;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Receivables;

/// <summary>An account's invoice title (开票抬头): 名称, 税号 (the account's credit code), address, phone, bank and bank account.</summary>
public static class InvoiceTitles
{
    public sealed record TitleView(long AccountId, string? Name, string? TaxNo, string? Address, string? Phone, string? Bank, string? BankAccount, int Version);

    public sealed record TitleRequest(string? Name, string? Address, string? Phone, string? Bank, string? BankAccount);

    /// <summary>GET /api/v1/accounts/{id}/invoice-title: the title, empty but for the tax number when none was kept yet.</summary>
    public static async Task<Results<Ok<TitleView>, NotFound>> GetAsync(long id, AppDb db, CurrentUser user, HttpContext http, CancellationToken ct)
    {
        var view = await ReadAsync(db, user, id, ct);
        if (view is null) return TypedResults.NotFound();
        http.Response.Headers.ETag = ETags.For(view.Version);
        return TypedResults.Ok(view);
    }

    public static async Task<TitleView?> ReadAsync(AppDb db, CurrentUser user, long id, CancellationToken ct)
    {
        var account = await db.Accounts.VisibleTo(db, user).Where(a => a.Id == id).Select(a => new { a.Id, a.Name, a.CreditCode }).FirstOrDefaultAsync(ct);
        if (account is null) return null;
        var t = await db.InvoiceTitles.AsNoTracking().FirstOrDefaultAsync(x => x.AccountId == id, ct);
        return t is null
            ? new TitleView(id, null, account.CreditCode, null, null, null, null, 0)
            : new TitleView(id, t.Name, account.CreditCode, t.Address, t.Phone, t.Bank, t.BankAccount, t.Version);
    }

    /// <summary>PUT /api/v1/accounts/{id}/invoice-title (If-Match with the ETag; a stale one → 412): audited like every edit.</summary>
    public static async Task<Results<Ok<TitleView>, NotFound, ValidationProblem, ProblemHttpResult>> PutAsync(long id, TitleRequest request, AppDb db,
        CurrentUser user, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var result = await SaveAsync(db, user, clock, id, request, ETags.IfMatch(http), ct);
        if (result.Result is Ok<TitleView> ok) http.Response.Headers.ETag = ETags.For(ok.Value!.Version);
        return result;
    }

    public static async Task<Results<Ok<TitleView>, NotFound, ValidationProblem, ProblemHttpResult>> SaveAsync(AppDb db, CurrentUser user, TimeProvider clock,
        long id, TitleRequest request, int? ifMatch, CancellationToken ct)
    {
        if (!await CollectionPlans.Writable(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        var v = new Validation().Require("name", request.Name, 200).MaxLength("address", request.Address, 300).MaxLength("phone", request.Phone, 40)
            .MaxLength("bank", request.Bank, 200).MaxLength("bankAccount", request.BankAccount, 60);
        if (request.BankAccount.Trimmed() is { } number && !number.All(c => char.IsAsciiDigit(c) || c is ' ' or '-'))
            v.Add("bankAccount", $"bankAccount holds digits only.");
        if (!v.IsValid) return v.Problem();
        var title = await db.InvoiceTitles.FirstOrDefaultAsync(t => t.AccountId == id, ct);
        if (ifMatch is { } version && version != (title?.Version ?? 0)) return Problems.PreconditionFailed("The invoice title was changed by someone else.");
        if (title is null)
        {
            title = new AccountInvoiceTitle { AccountId = id, Name = request.Name!.Trim() };
            db.InvoiceTitles.Add(title);
        }
        title.Name = request.Name!.Trim();
        title.Address = request.Address.Trimmed();
        title.Phone = request.Phone.Trimmed();
        title.Bank = request.Bank.Trimmed();
        title.BankAccount = request.BankAccount.Trimmed();
        title.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.PreconditionFailed("The invoice title was changed by someone else.");
        }
        catch (DbUpdateException)
        {
            return Problems.PreconditionFailed("The invoice title was changed by someone else.");
        }
        return TypedResults.Ok((await ReadAsync(db, user, id, ct))!);
    }

    /// <summary>Copies the accounts' titles onto new invoices (those without a buyer yet): an invoice keeps the title it was issued under.</summary>
    public static async Task CopyOntoAsync(AppDb db, IReadOnlyList<Invoice> invoices, CancellationToken ct)
    {
        long[] ids = [.. invoices.Where(i => i.BuyerName is null).Select(i => i.AccountId).Distinct()];
        if (ids.Length == 0) return;
        var titles = new Dictionary<long, (AccountInvoiceTitle? Title, string? TaxNo)>();
        foreach (var chunk in ids.Chunk(1000))
        {
            var rows = await db.Accounts.AsNoTracking().Where(a => chunk.Contains(a.Id))
                .Select(a => new { a.Id, a.CreditCode, Title = db.InvoiceTitles.FirstOrDefault(t => t.AccountId == a.Id) }).ToListAsync(ct);
            foreach (var r in rows) titles[r.Id] = (r.Title, r.CreditCode);
        }
        foreach (var invoice in invoices.Where(i => i.BuyerName is null))
        {
            if (!titles.TryGetValue(invoice.AccountId, out var t) || t.Title is null) continue;
            invoice.BuyerName = t.Title.Name;
            invoice.BuyerTaxNo = t.TaxNo;
            invoice.BuyerAddress = t.Title.Address;
            invoice.BuyerPhone = t.Title.Phone;
            invoice.BuyerBank = t.Title.Bank;
            invoice.BuyerBankAccount = t.Title.BankAccount;
        }
    }
}
