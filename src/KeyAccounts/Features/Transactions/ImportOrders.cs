using KeyAccounts.Data;
using KeyAccounts.Features.Audit;
using KeyAccounts.Infrastructure.Auth;
using KeyAccounts.Infrastructure.Imports;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Transactions;

/// <summary>
/// <c>orders</c>: one row per order line, <c>orderNo,accountCode,orderDate,productCode,productName,quantity,unitPrice,unitCost</c>.
/// A line's key is its order number and its 1-based position among that order's rows in the file; re-importing an order
/// updates its lines and removes stored lines beyond the file's count (the file carries whole orders). A negative
/// quantity is a return. Products are upserted from productCode/productName. Rows stream in chunks: memory holds one
/// chunk plus one small entry per order number seen.
/// </summary>
public static class ImportOrders
{
    public static readonly ImportSchema Schema = new("orders",
        ["orderNo", "accountCode", "orderDate", "productCode", "productName", "quantity", "unitPrice", "unitCost"],
        ["orderNo", "accountCode", "orderDate", "productCode", "quantity", "unitPrice", "unitCost"]);

    private const int ChunkRows = 50_000;
    private const int Lookup = 5000;

    private static readonly int OrderNoColumn = Schema.IndexOf("orderNo"), AccountColumn = Schema.IndexOf("accountCode"), DateColumn = Schema.IndexOf("orderDate"),
        ProductColumn = Schema.IndexOf("productCode"), ProductNameColumn = Schema.IndexOf("productName"), QuantityColumn = Schema.IndexOf("quantity"),
        PriceColumn = Schema.IndexOf("unitPrice"), CostColumn = Schema.IndexOf("unitCost");

    /// <summary>What the import knows of one order number: the file's first row of it, its line count, and the stored order.</summary>
    private sealed class OrderState(string accountCode, DateOnly date, int firstLine)
    {
        public string AccountCode { get; } = accountCode;
        public DateOnly Date { get; } = date;
        public int FirstLine { get; } = firstLine;
        public int Lines { get; set; }
        public HashSet<int>? ExplicitLines { get; set; }
        public bool Looked { get; set; }
        public long Id { get; set; }
        public long? StoredAccountId { get; set; }
        public DateOnly StoredDate { get; set; }
        public int StoredLines { get; set; }
        public bool HeaderWritten { get; set; }
        public bool Refused { get; set; }
    }

    private sealed record Line(int SourceLine, string OrderNo, OrderState Order, int LineNo, string ProductCode, string? ProductName, decimal Quantity,
        decimal UnitPrice, decimal UnitCost);

    private sealed record ProductRef(long Id, string Name);

    public static Task<ImportOutcome> RunAsync(ImportStream file, ImportOptions options, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct) =>
        RunAsync(file, file.Rows.Select(r => (r, (int?)null)), options, db, user, clock, ct);

    /// <summary>The rows with, for the JSON feed, the line number an ERP may send (otherwise the row's position in its order).</summary>
    public static async Task<ImportOutcome> RunAsync(ImportStream file, IEnumerable<(ImportRow Row, int? LineNo)> rows, ImportOptions options, AppDb db,
        CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var errors = new TransactionErrors();
        if (file.HeaderErrors.Count > 0) return new(errors.HeaderReport(file), false);
        await using var context = await TransactionImportContext.StartAsync(db, user, options, clock, financeWrites: false, ct);
        var orders = new Dictionary<string, OrderState>(StringComparer.Ordinal);
        var products = new Dictionary<string, ProductRef?>(StringComparer.Ordinal);
        var chunk = new List<Line>(ChunkRows);
        long nextDryRunId = -1;

        foreach (var (row, explicitLine) in rows)
        {
            errors.Rows++;
            var orderNo = Cells.Required(row, OrderNoColumn, "orderNo", errors);
            var accountCode = Cells.Required(row, AccountColumn, "accountCode", errors);
            var date = Cells.Date(row, DateColumn, "orderDate", errors);
            var productCode = Cells.Required(row, ProductColumn, "productCode", errors);
            var productName = Cells.Optional(row, ProductNameColumn, "productName", errors, 200);
            var quantity = Cells.Decimal(row, QuantityColumn, "quantity", errors, negativeAllowed: true);
            var price = Cells.Decimal(row, PriceColumn, "unitPrice", errors);
            var cost = Cells.Decimal(row, CostColumn, "unitCost", errors);
            if (quantity == 0) errors.Add(row.Line, "quantity", "quantity must not be 0 (a negative quantity is a return).");
            if (orderNo is null) continue;

            if (!orders.TryGetValue(orderNo, out var order))
            {
                if (accountCode is null || date is null) continue;
                orders[orderNo] = order = new OrderState(accountCode, date.Value, row.Line);
            }
            else if (accountCode is not null && accountCode != order.AccountCode)
                errors.Add(row.Line, "accountCode", $"Order {orderNo} is for account {order.AccountCode} on line {order.FirstLine} of this file.");
            else if (date is not null && date != order.Date)
                errors.Add(row.Line, "orderDate", $"Order {orderNo} is dated {order.Date:yyyy-MM-dd} on line {order.FirstLine} of this file.");

            int lineNo;
            if (explicitLine is { } given)
            {
                order.ExplicitLines ??= [];
                if (given < 1) errors.Add(row.Line, "line", "line must be 1 or more.");
                else if (!order.ExplicitLines.Add(given)) errors.Add(row.Line, "line", $"Line {given} of order {orderNo} is already in this batch.");
                lineNo = given;
                order.Lines = Math.Max(order.Lines, given);
            }
            else lineNo = ++order.Lines;

            if (errors.IsRejected(row.Line) || productCode is null || quantity is null || price is null || cost is null) continue;
            chunk.Add(new Line(row.Line, orderNo, order, lineNo, productCode, productName, quantity.Value, price.Value, cost.Value));
            if (chunk.Count >= ChunkRows) await FlushAsync();
        }
        await FlushAsync();
        if (context.Writing) await RemoveSurplusLinesAsync(orders.Values, context, ct);
        var committed = await context.FinishAsync(Schema.Kind, errors, ct);
        return new(errors.Report(), committed);

        async Task FlushAsync()
        {
            if (chunk.Count == 0) return;
            await context.LoadAccountsAsync(chunk.Select(l => l.Order.AccountCode), ct);
            await LookUpOrdersAsync(chunk, context, ct);
            await LookUpProductsAsync(chunk, products, context, ct);

            var newOrders = new List<SalesOrder>();
            var changedOrders = new List<SalesOrder>();
            var orderAudit = new ImportAudit<SalesOrder>(context.Db, context.Now);
            var accepted = new List<(Line Line, long AccountId)>();
            foreach (var line in chunk)
            {
                var order = line.Order;
                if (context.Account(order.AccountCode, line.SourceLine, "accountCode", errors) is not { } accountId) continue;
                if (order.StoredAccountId is { } storedAccount && !context.MayWrite(storedAccount))
                {
                    errors.Add(line.SourceLine, "orderNo", $"Order {line.OrderNo} belongs to another account's records.");
                    continue;
                }
                accepted.Add((line, accountId));
                if (order.HeaderWritten) continue;
                order.HeaderWritten = true;
                if (order.StoredAccountId is null)
                {
                    newOrders.Add(new SalesOrder { OrderNo = line.OrderNo, AccountId = accountId, OrderDate = order.Date, UpdatedAt = context.Now });
                    continue;
                }
                var before = new SalesOrder { Id = order.Id, OrderNo = line.OrderNo, AccountId = order.StoredAccountId.Value, OrderDate = order.StoredDate };
                var after = new SalesOrder { Id = order.Id, OrderNo = line.OrderNo, AccountId = accountId, OrderDate = order.Date };
                if (!orderAudit.Updated(before, after)) continue;
                after.UpdatedAt = context.Now;
                changedOrders.Add(after);
            }
            context.Check(errors);

            var newProducts = new List<Product>();
            var renamedProducts = new List<Product>();
            var productAudit = new ImportAudit<Product>(context.Db, context.Now);
            foreach (var (line, _) in accepted)
            {
                var stored = products[line.ProductCode];
                if (stored is null)
                {
                    var product = new Product { Code = line.ProductCode, Name = line.ProductName ?? line.ProductCode, UpdatedAt = context.Now };
                    newProducts.Add(product);
                    products[line.ProductCode] = new ProductRef(0, product.Name);
                }
                else if (line.ProductName is { } name && name != stored.Name && stored.Id != 0)
                {
                    renamedProducts.Add(new Product { Id = stored.Id, Code = line.ProductCode, Name = name, UpdatedAt = context.Now });
                    products[line.ProductCode] = stored with { Name = name };
                }
            }

            if (context.Writing)
            {
                await AssignIdsAsync(context, newOrders, newProducts, ct);
                await context.Writer.InsertAsync(new BulkTable<Product>(context.Db, nameof(Product.Id), nameof(Product.Code), nameof(Product.Name),
                    nameof(Product.UpdatedAt), nameof(Product.Version)), newProducts, ct);
                foreach (var p in renamedProducts)
                {
                    var previous = await context.Db.Products.AsNoTracking().SingleAsync(x => x.Id == p.Id, ct);
                    p.Version = previous.Version + 1;
                    if (productAudit.Updated(previous, p)) await context.Db.Products.Where(x => x.Id == p.Id)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.Name, p.Name).SetProperty(x => x.UpdatedAt, p.UpdatedAt).SetProperty(x => x.Version, p.Version), ct);
                }
                await context.Writer.InsertAsync(new BulkTable<SalesOrder>(context.Db, nameof(SalesOrder.Id), nameof(SalesOrder.OrderNo), nameof(SalesOrder.AccountId),
                    nameof(SalesOrder.OrderDate), nameof(SalesOrder.UpdatedAt)), newOrders, ct);
                await context.Writer.UpdateAsync(new BulkTable<SalesOrder>(context.Db, nameof(SalesOrder.AccountId), nameof(SalesOrder.OrderDate),
                    nameof(SalesOrder.UpdatedAt)), changedOrders, null, ct);
            }
            else
            {
                foreach (var o in newOrders) orders[o.OrderNo].Id = nextDryRunId--;
                foreach (var p in newProducts) products[p.Code] = new ProductRef(nextDryRunId--, p.Name);
            }
            foreach (var o in newOrders) orders[o.OrderNo].Id = o.Id == 0 ? orders[o.OrderNo].Id : o.Id;
            foreach (var p in newProducts.Where(p => p.Id != 0)) products[p.Code] = new ProductRef(p.Id, p.Name);

            await WriteLinesAsync(accepted, products, context, ct);
            if (context.Writing)
            {
                await context.WriteUpdatesAuditAsync(orderAudit, ct);
                await context.WriteUpdatesAuditAsync(productAudit, ct);
                context.CountCreated(nameof(SalesOrder), newOrders.Count);
                context.CountCreated(nameof(Product), newProducts.Count);
            }
            chunk.Clear();
        }
    }

    private static async Task AssignIdsAsync(TransactionImportContext context, List<SalesOrder> newOrders, List<Product> newProducts, CancellationToken ct)
    {
        var orderIds = await context.Writer.ReserveIdsAsync(new BulkTable<SalesOrder>(context.Db, nameof(SalesOrder.OrderNo)), newOrders.Count, ct);
        for (var i = 0; i < newOrders.Count; i++) newOrders[i].Id = orderIds[i];
        var productIds = await context.Writer.ReserveIdsAsync(new BulkTable<Product>(context.Db, nameof(Product.Code)), newProducts.Count, ct);
        for (var i = 0; i < newProducts.Count; i++) newProducts[i].Id = productIds[i];
    }

    /// <summary>Finds the stored orders of order numbers met for the first time in this chunk.</summary>
    private static async Task LookUpOrdersAsync(List<Line> chunk, TransactionImportContext context, CancellationToken ct)
    {
        var fresh = chunk.Select(l => (l.OrderNo, l.Order)).Where(x => !x.Order.Looked).DistinctBy(x => x.OrderNo).ToList();
        foreach (var part in fresh.Chunk(Lookup))
        {
            var numbers = part.Select(x => x.OrderNo).ToArray();
            var stored = await context.Db.Orders.AsNoTracking().Where(o => EF.Parameter(numbers).Contains(o.OrderNo))
                .Select(o => new { o.Id, o.OrderNo, o.AccountId, o.OrderDate, Lines = context.Db.OrderLines.Where(l => l.OrderId == o.Id).Max(l => (int?)l.LineNo) ?? 0 })
                .ToDictionaryAsync(o => o.OrderNo, StringComparer.Ordinal, ct);
            foreach (var (no, order) in part)
            {
                order.Looked = true;
                if (!stored.TryGetValue(no, out var s)) continue;
                order.Id = s.Id;
                order.StoredAccountId = s.AccountId;
                order.StoredDate = s.OrderDate;
                order.StoredLines = s.Lines;
            }
        }
        await context.LoadWritableAsync(fresh.Select(x => x.Order.StoredAccountId).OfType<long>(), ct);
    }

    private static async Task LookUpProductsAsync(List<Line> chunk, Dictionary<string, ProductRef?> products, TransactionImportContext context, CancellationToken ct)
    {
        var missing = chunk.Select(l => l.ProductCode).Where(c => !products.ContainsKey(c)).Distinct().ToList();
        foreach (var part in missing.Chunk(Lookup))
        {
            foreach (var c in part) products[c] = null;
            foreach (var p in await context.Db.Products.AsNoTracking().Where(p => EF.Parameter(part).Contains(p.Code)).Select(p => new { p.Id, p.Code, p.Name }).ToListAsync(ct))
                products[p.Code] = new ProductRef(p.Id, p.Name);
        }
    }

    /// <summary>Lines of new orders are inserted; lines of stored orders are compared with what is stored and updated (audited) or added.</summary>
    private static async Task WriteLinesAsync(List<(Line Line, long AccountId)> accepted, Dictionary<string, ProductRef?> products, TransactionImportContext context,
        CancellationToken ct)
    {
        if (!context.Writing) return;
        var storedOrderIds = accepted.Where(a => a.Line.Order.StoredAccountId is not null).Select(a => a.Line.Order.Id).Distinct().ToList();
        var storedLines = new Dictionary<(long, int), OrderLine>();
        foreach (var part in storedOrderIds.Chunk(Lookup))
            foreach (var l in await context.Db.OrderLines.AsNoTracking().Where(l => EF.Parameter(part).Contains(l.OrderId)).ToListAsync(ct))
                storedLines[(l.OrderId, l.LineNo)] = l;

        var inserts = new List<OrderLine>(accepted.Count);
        var updates = new List<OrderLine>();
        var audit = new ImportAudit<OrderLine>(context.Db, context.Now);
        foreach (var (line, accountId) in accepted)
        {
            var imported = new OrderLine
            {
                OrderId = line.Order.Id, LineNo = line.LineNo, AccountId = accountId, OrderDate = line.Order.Date, ProductId = products[line.ProductCode]!.Id,
                Quantity = line.Quantity, UnitPrice = line.UnitPrice, UnitCost = line.UnitCost,
            };
            if (!storedLines.TryGetValue((imported.OrderId, imported.LineNo), out var before))
            {
                inserts.Add(imported);
                continue;
            }
            imported.Id = before.Id;
            if (audit.Updated(before, imported)) updates.Add(imported);
        }
        await context.Writer.InsertAsync(new BulkTable<OrderLine>(context.Db, nameof(OrderLine.OrderId), nameof(OrderLine.LineNo), nameof(OrderLine.AccountId),
            nameof(OrderLine.OrderDate), nameof(OrderLine.ProductId), nameof(OrderLine.Quantity), nameof(OrderLine.UnitPrice), nameof(OrderLine.UnitCost)), inserts, ct);
        await context.Writer.UpdateAsync(new BulkTable<OrderLine>(context.Db, nameof(OrderLine.AccountId), nameof(OrderLine.OrderDate), nameof(OrderLine.ProductId),
            nameof(OrderLine.Quantity), nameof(OrderLine.UnitPrice), nameof(OrderLine.UnitCost)), updates, null, ct);
        await context.WriteUpdatesAuditAsync(audit, ct);
        context.CountCreated(nameof(OrderLine), inserts.Count);
    }

    /// <summary>A stored order re-imported with fewer lines loses the rest: the file carries whole orders.</summary>
    private static async Task RemoveSurplusLinesAsync(IEnumerable<OrderState> orders, TransactionImportContext context, CancellationToken ct)
    {
        foreach (var order in orders.Where(o => o.HeaderWritten && o.StoredAccountId is not null && o.StoredLines > o.Lines))
        {
            var id = order.Id;
            var keep = order.Lines;
            var removed = await context.Db.OrderLines.AsNoTracking().Where(l => l.OrderId == id && l.LineNo > keep).ToListAsync(ct);
            await context.Db.OrderLines.Where(l => l.OrderId == id && l.LineNo > keep).ExecuteDeleteAsync(ct);
            await context.Writer.InsertAsync(ImportAudit<OrderLine>.Table(context.Db), removed.Select(l => new AuditEntry
            {
                At = context.Now, UserId = context.Db.Actor.UserId, UserName = context.Db.Actor.UserName, Entity = nameof(OrderLine), EntityKey = l.AuditKey,
                AccountId = l.AccountId, Action = AuditAction.Deleted,
            }), ct);
        }
    }
}
