using KeyAccounts.Data;
using KeyAccounts.Features.Imports;
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

    /// <summary>
    /// What the import knows of one order number: the file's first row of it, its line count, and the stored order. One per
    /// order number of the file, so it is kept small: the account code is the import's shared instance of that code.
    /// </summary>
    private sealed class OrderState(string number, string accountCode, DateOnly date, int firstLine)
    {
        public string Number { get; } = number;
        public string AccountCode { get; } = accountCode;
        public DateOnly Date { get; } = date;
        public int FirstLine { get; } = firstLine;
        public int Lines { get; set; }
        public HashSet<int>? ExplicitLines { get; set; }
        public bool Looked { get; set; }
        public long Id { get; set; }
        public long? StoredAccountId { get; set; }
        public DateOnly StoredDate { get; set; }

        /// <summary>The highest stored line number, known once the order's stored lines were read for a chunk.</summary>
        public int StoredLines { get; set; }

        public bool HeaderWritten { get; set; }
    }

    /// <summary>A row of the chunk being written; its strings are the import's shared instances, so a chunk leaves no garbage behind.</summary>
    private readonly record struct Line(int SourceLine, OrderState Order, int LineNo, string ProductCode, string? ProductName, decimal Quantity,
        decimal UnitPrice, decimal UnitCost);

    private sealed record ProductRef(long Id, string Name);

    /// <summary>Orders are sales' to write.</summary>
    public static readonly IReadOnlyList<string> Roles = [Organisation.Roles.Admin, Organisation.Roles.Leader, Organisation.Roles.Manager, Organisation.Roles.Rep];

    public static ImportKind Kind => new(Schema, Roles, (file, session, ct) => RunAsync(file, file.Rows.Select(r => (r, (int?)null)), session, ct));

    /// <summary>The rows with, for the JSON feed, the line number an ERP may send (otherwise the row's position in its order).</summary>
    public static async Task RunAsync(ImportStream file, IEnumerable<(ImportRow Row, int? LineNo)> rows, ImportSession session, CancellationToken ct)
    {
        var errors = session.Errors;
        var context = await TransactionImportContext.StartAsync(session, financeWrites: false, ct);
        var orders = new Dictionary<string, OrderState>(StringComparer.Ordinal);
        var products = new Dictionary<string, ProductRef?>(StringComparer.Ordinal);
        var shared = new SharedStrings();
        var chunk = new List<Line>(ChunkRows);
        long nextDryRunId = -1;

        foreach (var (row, explicitLine) in rows)
        {
            var orderNo = Cells.Required(row, OrderNoColumn, "orderNo", errors);
            var accountCode = Cells.Required(row, AccountColumn, "accountCode", errors);
            var date = Cells.Date(row, DateColumn, "orderDate", errors);
            var productCode = Cells.Required(row, ProductColumn, "productCode", errors);
            var productName = Cells.Optional(row, ProductNameColumn, "productName", errors, 200);
            var quantity = Cells.Decimal(row, QuantityColumn, "quantity", errors, negativeAllowed: true);
            var price = Cells.Decimal(row, PriceColumn, "unitPrice", errors);
            var cost = Cells.Decimal(row, CostColumn, "unitCost", errors);
            if (quantity == 0) errors.Add(row.Line, "quantity", $"quantity must not be 0 (a negative quantity is a return).");
            if (orderNo is null) continue;

            if (!orders.TryGetValue(orderNo, out var order))
            {
                if (accountCode is null || date is null) continue;
                orders[orderNo] = order = new OrderState(orderNo, shared.Code(accountCode), date.Value, row.Line);
            }
            else if (accountCode is not null && accountCode != order.AccountCode)
                errors.Add(row.Line, "accountCode", $"Order {orderNo} is for account {order.AccountCode} on line {order.FirstLine} of this file.");
            else if (date is not null && date != order.Date)
                errors.Add(row.Line, "orderDate", $"Order {orderNo} is dated {order.Date:yyyy-MM-dd} on line {order.FirstLine} of this file.");

            int lineNo;
            if (explicitLine is { } given)
            {
                order.ExplicitLines ??= [];
                if (given < 1) errors.Add(row.Line, "line", $"line must be 1 or more.");
                else if (!order.ExplicitLines.Add(given)) errors.Add(row.Line, "line", $"Line {given} of order {orderNo} is already in this batch.");
                lineNo = given;
                order.Lines = Math.Max(order.Lines, given);
            }
            else lineNo = ++order.Lines;

            if (errors.IsRejected(row.Line) || productCode is null || quantity is null || price is null || cost is null) continue;
            var code = shared.Code(productCode);
            chunk.Add(new Line(row.Line, order, lineNo, code, productName is null ? null : shared.Name(code, productName), quantity.Value, price.Value, cost.Value));
            if (chunk.Count >= ChunkRows) await FlushAsync();
        }
        await FlushAsync();
        if (context.Writing) await RemoveSurplusLinesAsync(orders.Values, context, ct);

        async Task FlushAsync()
        {
            if (chunk.Count == 0) return;
            await context.LoadAccountsAsync(chunk.Select(l => l.Order.AccountCode), ct);
            await LookUpOrdersAsync(chunk, context, ct);
            await LookUpProductsAsync(chunk, products, context, ct);

            var newOrders = new List<SalesOrder>();
            var changedOrders = new List<SalesOrder>();
            var orderAudit = context.Session.Audit<SalesOrder>();
            var accepted = new List<(Line Line, long AccountId)>();
            foreach (var line in chunk)
            {
                var order = line.Order;
                if (context.Account(order.AccountCode, line.SourceLine, "accountCode") is not { } accountId) continue;
                if (order.StoredAccountId is { } storedAccount && !context.MayWrite(storedAccount))
                {
                    errors.Add(line.SourceLine, "orderNo", $"Order {order.Number} belongs to another account's records.");
                    continue;
                }
                accepted.Add((line, accountId));
                if (order.HeaderWritten) continue;
                order.HeaderWritten = true;
                if (order.StoredAccountId is null)
                {
                    newOrders.Add(new SalesOrder { OrderNo = order.Number, AccountId = accountId, OrderDate = order.Date, UpdatedAt = context.Now });
                    continue;
                }
                var before = new SalesOrder { Id = order.Id, OrderNo = order.Number, AccountId = order.StoredAccountId.Value, OrderDate = order.StoredDate };
                var after = new SalesOrder { Id = order.Id, OrderNo = order.Number, AccountId = accountId, OrderDate = order.Date };
                if (!orderAudit.Updated(before, after)) continue;
                after.UpdatedAt = context.Now;
                changedOrders.Add(after);
            }
            context.Check();

            var newProducts = new List<Product>();
            var renamedProducts = new List<Product>();
            var productAudit = context.Session.Audit<Product>();
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

    /// <summary>
    /// Finds the stored orders of order numbers met for the first time in this chunk: one probe of the unique order-number
    /// index each. Their stored lines are read only when lines are written (<see cref="WriteLinesAsync"/>), and only for the
    /// orders found, so a chunk of new orders costs no look-up of lines.
    /// </summary>
    private static async Task LookUpOrdersAsync(List<Line> chunk, TransactionImportContext context, CancellationToken ct)
    {
        var fresh = new List<OrderState>();
        foreach (var line in chunk)
        {
            if (line.Order.Looked) continue;
            line.Order.Looked = true;
            fresh.Add(line.Order);
        }
        foreach (var part in fresh.Chunk(Lookup))
        {
            var numbers = part.Select(o => o.Number).ToArray();
            var stored = await context.Db.Orders.AsNoTracking().Where(o => numbers.Contains(o.OrderNo))
                .Select(o => new { o.Id, o.OrderNo, o.AccountId, o.OrderDate })
                .ToDictionaryAsync(o => o.OrderNo, StringComparer.Ordinal, ct);
            if (stored.Count == 0) continue;
            foreach (var order in part)
            {
                if (!stored.TryGetValue(order.Number, out var s)) continue;
                order.Id = s.Id;
                order.StoredAccountId = s.AccountId;
                order.StoredDate = s.OrderDate;
            }
        }
        await context.LoadWritableAsync(fresh.Select(o => o.StoredAccountId).OfType<long>(), ct);
    }

    private static async Task LookUpProductsAsync(List<Line> chunk, Dictionary<string, ProductRef?> products, TransactionImportContext context, CancellationToken ct)
    {
        var missing = chunk.Select(l => l.ProductCode).Where(c => !products.ContainsKey(c)).Distinct(ReferenceEqualityComparer.Instance).Cast<string>().ToList();
        foreach (var part in missing.Chunk(Lookup))
        {
            foreach (var c in part) products[c] = null;
            foreach (var p in await context.Db.Products.AsNoTracking().Where(p => part.Contains(p.Code)).Select(p => new { p.Id, p.Code, p.Name }).ToListAsync(ct))
                products[p.Code] = new ProductRef(p.Id, p.Name);
        }
    }

    /// <summary>
    /// Lines of new orders are inserted; lines of stored orders are compared with what is stored and updated (audited) or
    /// added. Inserted lines are made as they are written, so they die young instead of outliving the chunk.
    /// </summary>
    private static async Task WriteLinesAsync(List<(Line Line, long AccountId)> accepted, Dictionary<string, ProductRef?> products, TransactionImportContext context,
        CancellationToken ct)
    {
        if (!context.Writing) return;
        var storedOrders = new Dictionary<long, OrderState>();
        foreach (var (line, _) in accepted)
            if (line.Order.StoredAccountId is not null) storedOrders.TryAdd(line.Order.Id, line.Order);
        var storedLines = new Dictionary<(long, int), OrderLine>();
        foreach (var part in storedOrders.Keys.Chunk(Lookup))
            foreach (var l in await context.Db.OrderLines.AsNoTracking().Where(l => part.Contains(l.OrderId)).ToListAsync(ct))
            {
                storedLines[(l.OrderId, l.LineNo)] = l;
                var order = storedOrders[l.OrderId];
                order.StoredLines = Math.Max(order.StoredLines, l.LineNo);
            }

        var inserts = new List<int>(accepted.Count);
        var updates = new List<OrderLine>();
        var audit = context.Session.Audit<OrderLine>();
        for (var i = 0; i < accepted.Count; i++)
        {
            var (line, accountId) = accepted[i];
            if (line.Order.StoredAccountId is null || !storedLines.TryGetValue((line.Order.Id, line.LineNo), out var before))
            {
                inserts.Add(i);
                continue;
            }
            var imported = Stored(line, accountId, products);
            imported.Id = before.Id;
            if (audit.Updated(before, imported)) updates.Add(imported);
        }
        await context.Writer.InsertAsync(new BulkTable<OrderLine>(context.Db, nameof(OrderLine.OrderId), nameof(OrderLine.LineNo), nameof(OrderLine.AccountId),
            nameof(OrderLine.OrderDate), nameof(OrderLine.ProductId), nameof(OrderLine.Quantity), nameof(OrderLine.UnitPrice), nameof(OrderLine.UnitCost)),
            inserts.Select(i => Stored(accepted[i].Line, accepted[i].AccountId, products)), ct);
        await context.Writer.UpdateAsync(new BulkTable<OrderLine>(context.Db, nameof(OrderLine.AccountId), nameof(OrderLine.OrderDate), nameof(OrderLine.ProductId),
            nameof(OrderLine.Quantity), nameof(OrderLine.UnitPrice), nameof(OrderLine.UnitCost)), updates, null, ct);
        await context.WriteUpdatesAuditAsync(audit, ct);
        context.CountCreated(nameof(OrderLine), inserts.Count);
    }

    private static OrderLine Stored(Line line, long accountId, Dictionary<string, ProductRef?> products) => new()
    {
        OrderId = line.Order.Id,
        LineNo = line.LineNo,
        AccountId = accountId,
        OrderDate = line.Order.Date,
        ProductId = products[line.ProductCode]!.Id,
        Quantity = line.Quantity,
        UnitPrice = line.UnitPrice,
        UnitCost = line.UnitCost,
    };

    /// <summary>A stored order re-imported with fewer lines loses the rest: the file carries whole orders.</summary>
    private static async Task RemoveSurplusLinesAsync(IEnumerable<OrderState> orders, TransactionImportContext context, CancellationToken ct)
    {
        foreach (var order in orders.Where(o => o.HeaderWritten && o.StoredAccountId is not null && o.StoredLines > o.Lines))
        {
            var id = order.Id;
            var keep = order.Lines;
            var removed = await context.Db.OrderLines.AsNoTracking().Where(l => l.OrderId == id && l.LineNo > keep).ToListAsync(ct);
            await context.Db.OrderLines.Where(l => l.OrderId == id && l.LineNo > keep).ExecuteDeleteAsync(ct);
            var audit = context.Session.Audit<OrderLine>();
            foreach (var line in removed) audit.Deleted(line);
            await context.WriteUpdatesAuditAsync(audit, ct);
        }
    }
}

/// <summary>
/// One instance per distinct account or product code (and per product's latest name) for the rows an import keeps: a file
/// of millions of rows repeats a few thousand codes, and holding each row's own copy is what made memory grow with the file.
/// </summary>
internal sealed class SharedStrings
{
    private readonly HashSet<string> codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> names = new(ReferenceEqualityComparer.Instance);

    public string Code(string code)
    {
        if (codes.TryGetValue(code, out var shared)) return shared;
        codes.Add(code);
        return code;
    }

    /// <summary>The product's name as last seen: one instance while it stays the same.</summary>
    public string Name(string sharedCode, string name)
    {
        if (names.TryGetValue(sharedCode, out var last) && last == name) return last;
        names[sharedCode] = name;
        return name;
    }
}
