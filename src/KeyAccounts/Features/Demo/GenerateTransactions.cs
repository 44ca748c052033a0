using System.Diagnostics;
using KeyAccounts.Data;
using KeyAccounts.Features.Transactions;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Demo;

/// <summary>
/// Synthetic transactions at scale over the accounts in the database, for the evaluation benchmark
/// (<c>generate --order-lines N --invoices N --payments N</c>): orders of ten lines over three years (2023–2025), invoices
/// due 30–90 days after issue and payments against them (mostly in full, some late, some partial, some missing), with
/// accounts drawn on a Pareto-like skew. Written with the bulk writer in transactions of a million rows, secondary indexes
/// of the transaction tables dropped during the load and rebuilt once; not audited. Deterministic: row k is a function of k.
/// </summary>
public static class GenerateTransactions
{
    public const string OrderPrefix = "GO";
    public const string InvoicePrefix = "GI";
    public const string PaymentPrefix = "GY";
    public const string ProductPrefix = "GPRD";
    private const int ProductCount = 2_000;
    private const int LinesPerOrder = 10;
    private const int RowsPerTransaction = 1_000_000;
    private static readonly DateOnly Start = new(2023, 1, 1);
    private const int Days = 3 * 365;

    public sealed record Result(long Orders, long OrderLines, long Invoices, long Payments, TimeSpan Elapsed);

    public static async Task<int> RunAsync(IServiceProvider services, long orderLines, long invoices, long payments, TextWriter output, CancellationToken ct)
    {
        if (orderLines < 0 || invoices < 0 || payments < 0)
        {
            output.WriteLine("generate: --order-lines, --invoices and --payments must not be negative.");
            return 2;
        }
        var result = await GenerateAsync(services.GetRequiredService<AppDb>(), orderLines, invoices, payments, output, ct);
        output.WriteLine($"Generated {result.Orders:N0} orders with {result.OrderLines:N0} lines, {result.Invoices:N0} invoices and {result.Payments:N0} payments " +
                         $"in {result.Elapsed.TotalSeconds:N1} s.");
        return 0;
    }

    public static async Task<Result> GenerateAsync(AppDb db, long orderLines, long invoices, long payments, TextWriter? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var accounts = await db.Accounts.OrderBy(a => a.Id).Select(a => a.Id).ToArrayAsync(ct);
        if (accounts.Length == 0) throw new InvalidOperationException("generate: there are no accounts to give transactions to; generate accounts first.");
        var now = DateTime.SpecifyKind(db.Clock.GetUtcNow().UtcDateTime, DateTimeKind.Utc);
        var products = await EnsureProductsAsync(db, now, ct);
        var firstOrder = await db.Orders.LongCountAsync(o => o.OrderNo.StartsWith(OrderPrefix), ct);
        var firstInvoice = await db.Invoices.LongCountAsync(i => i.InvoiceNo.StartsWith(InvoicePrefix), ct);
        var firstPayment = await db.Payments.LongCountAsync(p => p.PaymentNo.StartsWith(PaymentPrefix), ct);

        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        string[] tables = ["Orders", "OrderLines", "Invoices", "Payments"];
        var deferred = orderLines + invoices + payments >= RowsPerTransaction ? await db.Engine.DropSecondaryIndexesAsync(connection, tables, ct) : [];
        var orders = (orderLines + LinesPerOrder - 1) / LinesPerOrder;
        try
        {
            var orderTable = new BulkTable<SalesOrder>(db, nameof(SalesOrder.Id), nameof(SalesOrder.OrderNo), nameof(SalesOrder.AccountId), nameof(SalesOrder.OrderDate),
                nameof(SalesOrder.UpdatedAt));
            var lineTable = new BulkTable<OrderLine>(db, nameof(OrderLine.OrderId), nameof(OrderLine.LineNo), nameof(OrderLine.AccountId), nameof(OrderLine.OrderDate),
                nameof(OrderLine.ProductId), nameof(OrderLine.Quantity), nameof(OrderLine.UnitPrice), nameof(OrderLine.UnitCost));
            const int ordersPerBatch = RowsPerTransaction / LinesPerOrder;
            for (long done = 0; done < orders; done += ordersPerBatch)
            {
                var count = (int)Math.Min(ordersPerBatch, orders - done);
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var writer = BulkWriter.For(db);
                var ids = await writer.ReserveIdsAsync(orderTable, count, ct);
                var batch = new SalesOrder[count];
                for (var i = 0; i < count; i++)
                {
                    var k = firstOrder + done + i;
                    batch[i] = new SalesOrder { Id = ids[i], OrderNo = $"{OrderPrefix}{k:D10}", AccountId = accounts[Skewed(k, 1, accounts.Length)], OrderDate = Start.AddDays(Pick(k, 2, Days)), UpdatedAt = now };
                }
                await writer.InsertAsync(orderTable, batch, ct);
                var linesLeft = orderLines - done * LinesPerOrder;
                await writer.InsertAsync(lineTable, Lines(batch, firstOrder + done, products, linesLeft), ct);
                await transaction.CommitAsync(ct);
                progress?.WriteLine($"  {Math.Min(orderLines, (done + count) * LinesPerOrder):N0} order lines ({clock.Elapsed.TotalSeconds:N0} s)");
            }
            await WriteInBatchesAsync(db, invoices, k => Invoice(firstInvoice + k, accounts, now), ImportInvoices.Import.Table(db), "invoices", progress, clock, ct);
            await WriteInBatchesAsync(db, payments, k => Payment(firstPayment + k, accounts, now), ImportPayments.Import.Table(db), "payments", progress, clock, ct);
        }
        finally
        {
            if (deferred.Count > 0)
            {
                progress?.WriteLine($"  rebuilding {deferred.Count} indexes");
                await db.Engine.RebuildIndexesAsync(connection, deferred, largeMemory: false, CancellationToken.None);
            }
            await db.Engine.AnalyzeAsync(connection, tables, CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
        return new Result(orders, orderLines, invoices, payments, clock.Elapsed);
    }

    private static IEnumerable<OrderLine> Lines(SalesOrder[] batch, long firstSerial, long[] products, long linesLeft)
    {
        for (var i = 0; i < batch.Length; i++)
            for (var l = 1; l <= LinesPerOrder && (long)i * LinesPerOrder + l <= linesLeft; l++)
            {
                var k = (firstSerial + i) * LinesPerOrder + l;
                var product = Pick(k, 3, products.Length);
                var price = 20 + product % 480 + 0.5m;
                yield return new OrderLine
                {
                    OrderId = batch[i].Id,
                    LineNo = l,
                    AccountId = batch[i].AccountId,
                    OrderDate = batch[i].OrderDate,
                    ProductId = products[product],
                    Quantity = Pick(k, 4, 40) == 0 ? -1 - Pick(k, 5, 4) : 1 + Pick(k, 5, 99),
                    UnitPrice = price,
                    UnitCost = Math.Round(price * (0.55m + Pick(k, 6, 30) / 100m), 2),
                };
            }
    }

    /// <summary>Invoice k: an account on the same skew, issued within the three years, due 30, 60 or 90 days later.</summary>
    private static Invoice Invoice(long k, long[] accounts, DateTime now)
    {
        var issued = Start.AddDays(Pick(k, 7, Days));
        return new Invoice
        {
            InvoiceNo = $"{InvoicePrefix}{k:D10}",
            AccountId = accounts[Skewed(k, 8, accounts.Length)],
            IssuedOn = issued,
            DueOn = issued.AddDays(30 * (1 + Pick(k, 9, 3))),
            Amount = 1_000 + Pick(k, 10, 200_000),
            UpdatedAt = now,
        };
    }

    /// <summary>Payment k settles invoice k: 75% in full by the due date, 15% in full but late, 7% late with 60%, 3% late with 30%.</summary>
    private static Payment Payment(long k, long[] accounts, DateTime now)
    {
        var invoice = Invoice(k, accounts, now);
        var habit = Pick(k, 11, 100);
        var paidOn = habit < 75 ? invoice.DueOn.AddDays(-Pick(k, 12, 20)) : invoice.DueOn.AddDays(1 + Pick(k, 12, 120));
        var amount = habit < 90 ? invoice.Amount : Math.Round(invoice.Amount * (habit < 97 ? 0.6m : 0.3m), 2);
        return new Payment { PaymentNo = $"{PaymentPrefix}{k:D10}", AccountId = invoice.AccountId, PaidOn = paidOn, Amount = amount, InvoiceNo = invoice.InvoiceNo, UpdatedAt = now };
    }

    private static async Task WriteInBatchesAsync<T>(AppDb db, long count, Func<long, T> row, BulkTable<T> table, string what, TextWriter? progress, Stopwatch clock,
        CancellationToken ct) where T : class
    {
        for (long done = 0; done < count; done += RowsPerTransaction)
        {
            var n = Math.Min(RowsPerTransaction, count - done);
            var from = done;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await BulkWriter.For(db).InsertAsync(table, Sequence(from, n).Select(row), ct);
            await transaction.CommitAsync(ct);
            progress?.WriteLine($"  {done + n:N0} {what} ({clock.Elapsed.TotalSeconds:N0} s)");
        }
    }

    private static IEnumerable<long> Sequence(long from, long count)
    {
        for (var k = from; k < from + count; k++) yield return k;
    }

    private static async Task<long[]> EnsureProductsAsync(AppDb db, DateTime now, CancellationToken ct)
    {
        var existing = await db.Products.Where(p => p.Code.StartsWith(ProductPrefix)).OrderBy(p => p.Code).Select(p => p.Id).ToArrayAsync(ct);
        if (existing.Length >= ProductCount) return existing;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var writer = BulkWriter.For(db);
        var table = new BulkTable<Product>(db, nameof(Product.Id), nameof(Product.Code), nameof(Product.Name), nameof(Product.UpdatedAt), nameof(Product.Version));
        var ids = await writer.ReserveIdsAsync(table, ProductCount - existing.Length, ct);
        var products = ids.Select((id, i) => new Product { Id = id, Code = $"{ProductPrefix}{existing.Length + i + 1:D5}", Name = $"Generated product {existing.Length + i + 1}", UpdatedAt = now }).ToList();
        await writer.InsertAsync(table, products, ct);
        await transaction.CommitAsync(ct);
        return [.. existing, .. ids];
    }

    /// <summary>A well-mixed hash of (k, salt) in [0, n).</summary>
    private static int Pick(long k, int salt, int n) => (int)(Mix(k, salt) % (ulong)n);

    /// <summary>Index in [0, n) with most weight on the first ones: u³ puts half the rows on the first 12.5% of accounts.</summary>
    private static int Skewed(long k, int salt, int n)
    {
        var u = (Mix(k, salt) >> 11) * (1.0 / (1UL << 53));
        return Math.Min(n - 1, (int)(n * u * u * u));
    }

    private static ulong Mix(long k, int salt)
    {
        var z = (ulong)k * 0x9E3779B97F4A7C15UL + (ulong)salt * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
