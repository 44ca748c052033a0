using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Transactions;

namespace KeyAccounts.Features.Demo;

/// <summary>
/// Three years of business for the demo book: orders with lines (and a few returns), an invoice per order, payments
/// that arrive on time, late, partly or not at all depending on the account's habits, and a few quality incidents.
/// Revenue follows a Zipf curve over the accounts (key accounts first), so the top 20% of accounts bring about 80%.
/// </summary>
public static class SeedDemoTransactions
{
    private const int Seed = 2_024;
    private const decimal YearlyRevenue = 320_000_000m;

    private static readonly (string Code, string Name, decimal Price, decimal CostRatio)[] Catalogue =
    [
        ("BRG-6205", "深沟球轴承 6205", 38m, 0.62m), ("BRG-22220", "调心滚子轴承 22220", 1_450m, 0.66m), ("BRG-32316", "圆锥滚子轴承 32316", 980m, 0.64m),
        ("BRG-NU2320", "圆柱滚子轴承 NU2320", 2_300m, 0.65m), ("BRG-YRT200", "转台轴承 YRT200", 8_600m, 0.58m), ("GBX-ZLY250", "硬齿面减速机 ZLY250", 26_000m, 0.70m),
        ("GBX-H3SH9", "工业齿轮箱 H3SH9", 68_000m, 0.72m), ("GBX-WIND2", "风电主齿轮箱 2MW", 1_250_000m, 0.78m), ("GBX-P80", "行星减速机 P80", 4_800m, 0.63m),
        ("HYD-A4VSO", "轴向柱塞泵 A4VSO125", 32_000m, 0.69m), ("HYD-CYL160", "液压油缸 Φ160", 9_500m, 0.67m), ("HYD-VALVE", "比例换向阀 4WRE", 6_200m, 0.64m),
        ("HYD-STATION", "液压站 55kW", 185_000m, 0.74m), ("CPL-GICL5", "鼓形齿联轴器 GICL5", 3_600m, 0.60m), ("SRV-OVERHAUL", "齿轮箱大修服务", 120_000m, 0.45m),
        ("SRV-INSPECT", "状态监测服务（年）", 48_000m, 0.35m),
    ];

    private static readonly string[] IncidentTexts =
    [
        "轴承早期疲劳剥落，现场更换并赔偿停机损失", "齿轮箱漏油，返厂维修", "液压泵批次噪声超标，整批退换", "联轴器尺寸偏差导致安装返工",
        "减速机温升超标，现场整改", "包装破损导致运输锈蚀", "交付延误三周，按合同赔付违约金",
    ];

    public sealed record Summary(int Orders, int Lines, int Invoices, int Payments, int Incidents);

    public static async Task<Summary> SeedAsync(AppDb db, IReadOnlyList<Account> accounts, DateTime now, CancellationToken ct)
    {
        var random = new Random(Seed);
        var end = DateOnly.FromDateTime(now);
        var start = end.AddYears(-3);

        // Key accounts lead the curve, then major, ordinary and small ones, shuffled within their tier.
        var ranked = accounts.OrderBy(a => a.Tier switch { Tier.Key => 0, Tier.Major => 1, Tier.Ordinary => 2, _ => 3 }).ThenBy(_ => random.Next()).ToList();
        var weights = ranked.Select((_, i) => 1 / Math.Pow(i + 1, 1.1)).ToArray();
        var totalWeight = weights.Sum();

        var products = Catalogue.Select(c => new Product { Code = c.Code, Name = c.Name, UpdatedAt = now }).ToList();
        var orders = new List<SalesOrder>();
        var lines = new List<(SalesOrder Order, OrderLine Line)>();
        var invoices = new List<Invoice>();
        var payments = new List<Payment>();
        var incidents = new List<QualityIncident>();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var writer = BulkWriter.For(db);
        var productTable = new BulkTable<Product>(db, nameof(Product.Id), nameof(Product.Code), nameof(Product.Name), nameof(Product.UpdatedAt), nameof(Product.Version));
        var productIds = await writer.ReserveIdsAsync(productTable, products.Count, ct);
        for (var i = 0; i < products.Count; i++) products[i].Id = productIds[i];
        await writer.InsertAsync(productTable, products, ct);

        var serial = 0;
        for (var rank = 0; rank < ranked.Count; rank++)
        {
            var account = ranked[rank];
            var yearly = YearlyRevenue * (decimal)(weights[rank] / totalWeight);
            var growth = 0.75 + random.NextDouble() * 0.6;
            var terms = random.Next(3) switch { 0 => 30, 1 => 60, _ => 90 };
            var habit = random.Next(10) switch { < 6 => PayHabit.OnTime, < 9 => PayHabit.Late, _ => PayHabit.Poor };
            var ordersPerYear = (int)Math.Clamp((double)(yearly / 400_000m), 2, 48);
            for (var year = 0; year < 3; year++)
            {
                var revenue = yearly * (decimal)Math.Pow(growth, year - 2);
                for (var n = 0; n < ordersPerYear; n++)
                {
                    var date = start.AddDays(year * 365 + random.Next(365));
                    if (date >= end) continue;
                    var order = new SalesOrder { OrderNo = $"SO-{date.Year}-{++serial:D6}", AccountId = account.Id, OrderDate = date, UpdatedAt = now };
                    orders.Add(order);
                    var value = revenue / ordersPerYear * (decimal)(0.5 + random.NextDouble());
                    var count = random.Next(1, 5);
                    var amount = 0m;
                    var orderLines = new List<OrderLine>();
                    for (var l = 1; l <= count; l++)
                    {
                        var p = Catalogue[PickProduct(random, value / count)];
                        var quantity = Math.Max(1, Math.Round(value / count / p.Price));
                        var line = new OrderLine
                        {
                            LineNo = l,
                            AccountId = account.Id,
                            OrderDate = date,
                            ProductId = products.First(x => x.Code == p.Code).Id,
                            Quantity = quantity,
                            UnitPrice = p.Price,
                            UnitCost = Math.Round(p.Price * p.CostRatio, 2),
                        };
                        orderLines.Add(line);
                        amount += quantity * p.Price;
                    }
                    lines.AddRange(orderLines.Select(l => (order, l)));
                    var invoice = new Invoice
                    {
                        InvoiceNo = $"INV-{date.Year}-{serial:D6}",
                        AccountId = account.Id,
                        IssuedOn = date.AddDays(3),
                        DueOn = date.AddDays(3 + terms),
                        Amount = amount,
                        UpdatedAt = now,
                    };
                    if (invoice.IssuedOn < end) invoices.Add(invoice);
                    Pay(invoice, habit, end, random, payments, now);

                    // About one order in forty comes partly back.
                    if (random.Next(40) == 0)
                    {
                        var back = orderLines[0];
                        var returnDate = date.AddDays(random.Next(10, 40));
                        if (returnDate >= end) continue;
                        var returned = new SalesOrder { OrderNo = $"RT-{returnDate.Year}-{serial:D6}", AccountId = account.Id, OrderDate = returnDate, UpdatedAt = now };
                        orders.Add(returned);
                        lines.Add((returned, new OrderLine
                        {
                            LineNo = 1,
                            AccountId = account.Id,
                            OrderDate = returnDate,
                            ProductId = back.ProductId,
                            Quantity = -Math.Max(1, Math.Round(back.Quantity / 4)),
                            UnitPrice = back.UnitPrice,
                            UnitCost = back.UnitCost,
                        }));
                    }
                }
            }
            if (random.Next(100) < (rank < 60 ? 10 : 4))
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    var on = start.AddDays(random.Next(end.DayNumber - start.DayNumber));
                    incidents.Add(new QualityIncident
                    {
                        IncidentNo = $"QI-{on.Year}-{incidents.Count + 1:D4}",
                        AccountId = account.Id,
                        OccurredOn = on,
                        LossAmount = Math.Round((decimal)(50 + random.NextDouble() * 1_950)) * 100,
                        Description = IncidentTexts[random.Next(IncidentTexts.Length)],
                        UpdatedAt = now,
                    });
                }
        }

        var orderTable = new BulkTable<SalesOrder>(db, nameof(SalesOrder.Id), nameof(SalesOrder.OrderNo), nameof(SalesOrder.AccountId), nameof(SalesOrder.OrderDate),
            nameof(SalesOrder.UpdatedAt));
        var orderIds = await writer.ReserveIdsAsync(orderTable, orders.Count, ct);
        for (var i = 0; i < orders.Count; i++) orders[i].Id = orderIds[i];
        foreach (var (order, line) in lines) line.OrderId = order.Id;
        await writer.InsertAsync(orderTable, orders, ct);
        await writer.InsertAsync(new BulkTable<OrderLine>(db, nameof(OrderLine.OrderId), nameof(OrderLine.LineNo), nameof(OrderLine.AccountId), nameof(OrderLine.OrderDate),
            nameof(OrderLine.ProductId), nameof(OrderLine.Quantity), nameof(OrderLine.UnitPrice), nameof(OrderLine.UnitCost)), lines.Select(l => l.Line), ct);
        await writer.InsertAsync(ImportInvoices.Import.Table(db), invoices, ct);
        await writer.InsertAsync(ImportPayments.Import.Table(db), payments, ct);
        await writer.InsertAsync(ImportQualityIncidents.Import.Table(db), incidents, ct);
        await transaction.CommitAsync(ct);
        return new Summary(orders.Count, lines.Count, invoices.Count, payments.Count, incidents.Count);
    }

    private enum PayHabit { OnTime, Late, Poor }

    /// <summary>Big orders buy big things: the product is drawn among those whose price fits the line's value.</summary>
    private static int PickProduct(Random random, decimal lineValue)
    {
        var fitting = Enumerable.Range(0, Catalogue.Length).Where(i => Catalogue[i].Price <= Math.Max(lineValue, 40m)).ToList();
        return fitting[random.Next(fitting.Count)];
    }

    private static void Pay(Invoice invoice, PayHabit habit, DateOnly end, Random random, List<Payment> payments, DateTime now)
    {
        var (delay, share) = habit switch
        {
            PayHabit.OnTime => (random.Next(-10, 5), 1m),
            PayHabit.Late => (random.Next(10, 90), 1m),
            _ => (random.Next(30, 180), random.Next(4) == 0 ? 0m : 0.6m),
        };
        var paidOn = invoice.DueOn.AddDays(delay);
        if (share == 0 || paidOn >= end || invoice.IssuedOn >= end) return;
        payments.Add(new Payment
        {
            PaymentNo = $"PAY-{invoice.InvoiceNo[4..]}",
            AccountId = invoice.AccountId,
            PaidOn = paidOn,
            Amount = Math.Round(invoice.Amount * share, 2),
            InvoiceNo = invoice.InvoiceNo,
            UpdatedAt = now,
        });
    }
}
