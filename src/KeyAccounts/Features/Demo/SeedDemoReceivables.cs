using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Receivables;
using KeyAccounts.Features.Transactions;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Demo;

/// <summary>
/// The demo's receivables side on top of its transactions: invoice titles for the accounts, invoice types, tax rates and order
/// links on the invoices, payment methods on the payments, and collection plans of three instalments for recent invoices — some
/// paid, some partly, some overdue (the seeded payment habits decide), so the Finance workspace has something in every list.
/// </summary>
public static class SeedDemoReceivables
{
    private const int Seed = 4_711;

    private static readonly string[] Banks = ["中国工商银行", "中国建设银行", "中国银行", "招商银行", "交通银行", "兴业银行"];

    public static async Task SeedAsync(AppDb db, IReadOnlyList<Account> accounts, DateTime now, CancellationToken ct)
    {
        var random = new Random(Seed);
        var today = DateOnly.FromDateTime(now);
        var titles = accounts.Select(a => new AccountInvoiceTitle
        {
            AccountId = a.Id,
            Name = a.Name,
            Address = $"{a.Province}{a.City}经济技术开发区{random.Next(1, 300)}号",
            Phone = $"0{random.Next(10, 999):D3}-{random.Next(10_000_000, 99_999_999)}",
            Bank = $"{Banks[random.Next(Banks.Length)]}{a.City}分行",
            BankAccount = $"{random.NextInt64(1_000_000_000_000_000, 9_999_999_999_999_999)}",
            UpdatedAt = now,
        }).ToList();
        db.InvoiceTitles.AddRange(titles);
        await db.SaveChangesAsync(ct);

        var byAccount = accounts.ToDictionary(a => a.Id);
        var titleOf = titles.ToDictionary(t => t.AccountId);
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.InvoiceNo.StartsWith("INV-")).ToListAsync(ct);
        foreach (var invoice in invoices)
        {
            if (!byAccount.TryGetValue(invoice.AccountId, out var account)) continue;
            var title = titleOf[account.Id];
            // The seeded invoice INV-yyyy-n bills order SO-yyyy-n.
            invoice.OrderNo = "SO-" + invoice.InvoiceNo[4..];
            invoice.Kind = account.Type == AccountType.Dealer || random.Next(10) < 8 ? InvoiceKind.Special : InvoiceKind.Ordinary;
            invoice.TaxRate = invoice.Kind == InvoiceKind.Special ? 0.13m : 0.03m;
            (invoice.BuyerName, invoice.BuyerTaxNo, invoice.BuyerAddress, invoice.BuyerPhone, invoice.BuyerBank, invoice.BuyerBankAccount) =
                (title.Name, account.CreditCode, title.Address, title.Phone, title.Bank, title.BankAccount);
        }
        var payments = await db.Payments.AsNoTracking().ToListAsync(ct);
        PaymentMethod[] methods = [PaymentMethod.WireTransfer, PaymentMethod.WireTransfer, PaymentMethod.WireTransfer, PaymentMethod.BankAcceptance,
            PaymentMethod.BankAcceptance, PaymentMethod.Cheque, PaymentMethod.Cash, PaymentMethod.WeChatPay, PaymentMethod.Alipay];
        foreach (var payment in payments) payment.Method = methods[random.Next(methods.Length)];

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var writer = BulkWriter.For(db);
            await writer.UpdateAsync(new BulkTable<Invoice>(db, nameof(Invoice.OrderNo), nameof(Invoice.Kind), nameof(Invoice.TaxRate), nameof(Invoice.BuyerName),
                nameof(Invoice.BuyerTaxNo), nameof(Invoice.BuyerAddress), nameof(Invoice.BuyerPhone), nameof(Invoice.BuyerBank), nameof(Invoice.BuyerBankAccount)),
                invoices, null, ct);
            await writer.UpdateAsync(new BulkTable<Payment>(db, nameof(Payment.Method)), payments, null, ct);
            await transaction.CommitAsync(ct);
        }

        // Plans for the invoices of the last four months, up to two per account: 30 % a month before the due date, 40 % on it, 30 % a month after.
        var recent = invoices.Where(i => i.IssuedOn >= today.AddDays(-120) && i.Amount > 0 && byAccount.ContainsKey(i.AccountId))
            .GroupBy(i => i.AccountId).SelectMany(g => g.OrderByDescending(i => i.IssuedOn).Take(2)).Take(60).ToList();
        foreach (var invoice in recent)
        {
            var first = decimal.Round(invoice.Amount * 0.3m, 2, MidpointRounding.AwayFromZero);
            var second = decimal.Round(invoice.Amount * 0.4m, 2, MidpointRounding.AwayFromZero);
            db.CollectionPlans.Add(new CollectionPlan
            {
                AccountId = invoice.AccountId,
                InvoiceNo = invoice.InvoiceNo,
                Amount = invoice.Amount,
                Note = "按合同约定分三期回款",
                CreatedById = byAccount[invoice.AccountId].OwnerId,
                CreatedAt = now,
                Instalments =
                [
                    new Instalment { AccountId = invoice.AccountId, No = 1, DueOn = invoice.DueOn.AddDays(-30) < invoice.IssuedOn ? invoice.IssuedOn : invoice.DueOn.AddDays(-30), Amount = first },
                    new Instalment { AccountId = invoice.AccountId, No = 2, DueOn = invoice.DueOn, Amount = second },
                    new Instalment { AccountId = invoice.AccountId, No = 3, DueOn = invoice.DueOn.AddDays(30), Amount = invoice.Amount - first - second },
                ],
            });
        }
        await db.SaveChangesAsync(ct);
    }
}
