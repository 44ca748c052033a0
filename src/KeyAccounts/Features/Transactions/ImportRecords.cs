using KeyAccounts.Data;
using KeyAccounts.Features.Imports;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Transactions;

/// <summary>
/// An import of records of one table with a business key and an account (invoices, payments, quality incidents):
/// rows are read in chunks, checked, looked up by key and inserted or updated in bulk, so a file of any length
/// runs in bounded memory (only the keys seen are kept, to refuse a key repeated in the file).
/// </summary>
public sealed class RecordImport<T> where T : class, IAudited, IBelongsToAccount
{
    private const int ChunkRows = 20_000;

    public required ImportSchema Schema { get; init; }
    public required string KeyColumn { get; init; }

    /// <summary>Finance may write these records for every account it can see.</summary>
    public bool FinanceWrites { get; init; }

    /// <summary>Reads a row into a record (key and fields, no id, no account); errors go to the report.</summary>
    public required Func<ImportRow, ImportErrors, T?> Parse { get; init; }

    public required Func<T, string> Key { get; init; }
    public required Action<T, long> SetAccount { get; init; }
    public required Func<AppDb, string[], IQueryable<T>> Stored { get; init; }

    /// <summary>The stored record with the imported fields applied (a copy: the stored one is the audit's "before").</summary>
    public required Func<T, T, T> Merge { get; init; }

    public required Action<T, DateTime> Touch { get; init; }

    /// <summary>Fills derived fields of new records before they are written (an invoice's buyer title), or nothing.</summary>
    public Func<AppDb, List<T>, CancellationToken, Task>? BeforeInsert { get; init; }
    public required string[] InsertColumns { get; init; }
    public required string[] UpdateColumns { get; init; }

    /// <summary>The table as a new record fills it, for bulk loads outside an import (demo and generated data).</summary>
    public BulkTable<T> Table(AppDb db) => new(db, InsertColumns);

    public async Task RunAsync(ImportStream file, ImportSession session, CancellationToken ct)
    {
        var errors = session.Errors;
        var context = await TransactionImportContext.StartAsync(session, FinanceWrites, ct);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var accountColumn = Schema.IndexOf("accountCode");
        var chunk = new List<(int Line, string Code, T Record)>(ChunkRows);
        foreach (var row in file.Rows)
        {
            var code = Cells.Required(row, accountColumn, "accountCode", errors);
            var record = Parse(row, errors);
            if (record is not null)
            {
                var key = Key(record);
                if (seen.TryGetValue(key, out var first)) errors.Add(row.Line, KeyColumn, $"{KeyColumn} {key} is already on line {first} of this file.");
                else seen[key] = row.Line;
            }
            if (code is not null && record is not null && !errors.IsRejected(row.Line)) chunk.Add((row.Line, code, record));
            if (chunk.Count >= ChunkRows) await FlushAsync(chunk, context, ct);
        }
        await FlushAsync(chunk, context, ct);
    }

    private async Task FlushAsync(List<(int Line, string Code, T Record)> chunk, TransactionImportContext context, CancellationToken ct)
    {
        var errors = context.Errors;
        if (chunk.Count == 0) return;
        await context.LoadAccountsAsync(chunk.Select(c => c.Code), ct);
        var stored = await Stored(context.Db, chunk.Select(c => Key(c.Record)).ToArray()).AsNoTracking().ToDictionaryAsync(Key, StringComparer.Ordinal, ct);
        await context.LoadWritableAsync(stored.Values.Select(s => s.AccountId), ct);

        var inserts = new List<T>();
        var updates = new List<T>();
        var audit = context.Session.Audit<T>();
        foreach (var (line, code, record) in chunk)
        {
            if (context.Account(code, line, "accountCode") is not { } accountId) continue;
            SetAccount(record, accountId);
            if (!stored.TryGetValue(Key(record), out var before))
            {
                Touch(record, context.Now);
                inserts.Add(record);
                continue;
            }
            if (!context.MayWrite(before.AccountId))
            {
                errors.Add(line, KeyColumn, $"{KeyColumn} {Key(record)} belongs to another account's records.");
                continue;
            }
            var after = Merge(before, record);
            if (!audit.Updated(before, after)) continue;
            Touch(after, context.Now);
            updates.Add(after);
        }
        chunk.Clear();
        context.Check();
        if (!context.Writing) return;
        if (BeforeInsert is not null && inserts.Count > 0) await BeforeInsert(context.Db, inserts, ct);
        await context.Writer.InsertAsync(new BulkTable<T>(context.Db, InsertColumns), inserts, ct);
        await context.Writer.UpdateAsync(new BulkTable<T>(context.Db, UpdateColumns), updates, null, ct);
        await context.WriteUpdatesAuditAsync(audit, ct);
        context.CountCreated(typeof(T).Name, inserts.Count);
    }
}

/// <summary>
/// <c>invoices</c>: <c>invoiceNo,accountCode,issuedOn,dueOn,amount</c>, upserted by invoiceNo; optional <c>orderNo</c> (the order it
/// bills), <c>invoiceType</c> (Special/专票, Ordinary/普票) and <c>taxRate</c> (0.13 or 13%). A new invoice takes its account's invoice
/// title as the buyer.
/// </summary>
public static class ImportInvoices
{
    /// <summary>Receivables are written by sales (their own accounts) and Finance (every account it sees).</summary>
    public static readonly IReadOnlyList<string> Roles = [Organisation.Roles.Admin, Organisation.Roles.Leader, Organisation.Roles.Manager, Organisation.Roles.Rep, Organisation.Roles.Finance];

    public static readonly ImportSchema Schema = new("invoices", ["invoiceNo", "accountCode", "issuedOn", "dueOn", "amount", "orderNo", "invoiceType", "taxRate"],
        ["invoiceNo", "accountCode", "issuedOn", "dueOn", "amount"]);

    private static readonly int No = Schema.IndexOf("invoiceNo"), IssuedOn = Schema.IndexOf("issuedOn"), DueOn = Schema.IndexOf("dueOn"), Amount = Schema.IndexOf("amount"),
        OrderNo = Schema.IndexOf("orderNo"), Type = Schema.IndexOf("invoiceType"), TaxRate = Schema.IndexOf("taxRate");

    private static Receivables.InvoiceKind? InvoiceType(ImportRow row, ImportErrors errors)
    {
        var text = row[Type];
        if (text is null) return null;
        if (text is "专票" or "增值税专用发票") return Receivables.InvoiceKind.Special;
        if (text is "普票" or "增值税普通发票") return Receivables.InvoiceKind.Ordinary;
        if (Enum.TryParse<Receivables.InvoiceKind>(text, true, out var kind) && !int.TryParse(text, out _)) return kind;
        errors.Add(row.Line, "invoiceType", $"invoiceType must be Special (专票) or Ordinary (普票), not {text}.");
        return null;
    }

    /// <summary>A VAT rate as a fraction (0.13) or a percentage (13%).</summary>
    private static decimal? Rate(ImportRow row, ImportErrors errors)
    {
        var text = row[TaxRate];
        if (text is null) return null;
        var percent = text.EndsWith('%');
        if (decimal.TryParse(percent ? text[..^1] : text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var rate))
        {
            if (percent) rate /= 100;
            if (rate is >= 0 and <= 1) return rate;
        }
        errors.Add(row.Line, "taxRate", $"taxRate must be a rate between 0 and 1 (0.13) or a percentage (13%), not {text}.");
        return null;
    }

    public static readonly RecordImport<Invoice> Import = new()
    {
        Schema = Schema,
        KeyColumn = "invoiceNo",
        FinanceWrites = true,
        Parse = (row, errors) =>
        {
            var no = Cells.Required(row, No, "invoiceNo", errors);
            var issued = Cells.Date(row, IssuedOn, "issuedOn", errors);
            var due = Cells.Date(row, DueOn, "dueOn", errors);
            var amount = Cells.Decimal(row, Amount, "amount", errors);
            if (issued is { } i && due is { } d && d < i) errors.Add(row.Line, "dueOn", $"dueOn must not be before issuedOn.");
            var order = Cells.Optional(row, OrderNo, "orderNo", errors, 40);
            var kind = InvoiceType(row, errors);
            var rate = Rate(row, errors);
            return no is null || issued is null || due is null || amount is null ? null
                : new Invoice { InvoiceNo = no, IssuedOn = issued.Value, DueOn = due.Value, Amount = amount.Value, OrderNo = order, Kind = kind, TaxRate = rate };
        },
        Key = i => i.InvoiceNo,
        SetAccount = (i, id) => i.AccountId = id,
        Stored = (db, keys) => db.Invoices.Where(i => keys.Contains(i.InvoiceNo)),
        Merge = (s, i) => new Invoice
        {
            Id = s.Id,
            InvoiceNo = s.InvoiceNo,
            AccountId = i.AccountId,
            IssuedOn = i.IssuedOn,
            DueOn = i.DueOn,
            Amount = i.Amount,
            OrderNo = i.OrderNo,
            Kind = i.Kind,
            TaxRate = i.TaxRate,
            BuyerName = s.BuyerName,
            BuyerTaxNo = s.BuyerTaxNo,
            BuyerAddress = s.BuyerAddress,
            BuyerPhone = s.BuyerPhone,
            BuyerBank = s.BuyerBank,
            BuyerBankAccount = s.BuyerBankAccount,
            UpdatedAt = s.UpdatedAt,
        },
        Touch = (i, now) => i.UpdatedAt = now,
        BeforeInsert = Receivables.InvoiceTitles.CopyOntoAsync,
        InsertColumns = [nameof(Invoice.InvoiceNo), nameof(Invoice.AccountId), nameof(Invoice.IssuedOn), nameof(Invoice.DueOn), nameof(Invoice.Amount), nameof(Invoice.OrderNo),
            nameof(Invoice.Kind), nameof(Invoice.TaxRate), nameof(Invoice.BuyerName), nameof(Invoice.BuyerTaxNo), nameof(Invoice.BuyerAddress), nameof(Invoice.BuyerPhone),
            nameof(Invoice.BuyerBank), nameof(Invoice.BuyerBankAccount), nameof(Invoice.UpdatedAt)],
        UpdateColumns = [nameof(Invoice.AccountId), nameof(Invoice.IssuedOn), nameof(Invoice.DueOn), nameof(Invoice.Amount), nameof(Invoice.OrderNo), nameof(Invoice.Kind),
            nameof(Invoice.TaxRate), nameof(Invoice.UpdatedAt)],
    };

    public static ImportKind Kind => new(Schema, Roles, Import.RunAsync);
}

/// <summary>
/// <c>payments</c>: <c>paymentNo,accountCode,paidOn,amount,invoiceNo</c>, upserted by paymentNo; optional <c>method</c> (WireTransfer/电汇,
/// BankAcceptance/承兑汇票, Cheque/支票, Cash/现金, WeChatPay/微信, Alipay/支付宝).
/// </summary>
public static class ImportPayments
{
    public static readonly IReadOnlyList<string> Roles = ImportInvoices.Roles;

    public static readonly ImportSchema Schema = new("payments", ["paymentNo", "accountCode", "paidOn", "amount", "invoiceNo", "method"],
        ["paymentNo", "accountCode", "paidOn", "amount"]);

    private static readonly int No = Schema.IndexOf("paymentNo"), PaidOn = Schema.IndexOf("paidOn"), Amount = Schema.IndexOf("amount"), InvoiceNo = Schema.IndexOf("invoiceNo"),
        MethodColumn = Schema.IndexOf("method");

    private static readonly Dictionary<string, Receivables.PaymentMethod> MethodWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["电汇"] = Receivables.PaymentMethod.WireTransfer,
        ["承兑汇票"] = Receivables.PaymentMethod.BankAcceptance,
        ["银行承兑汇票"] = Receivables.PaymentMethod.BankAcceptance,
        ["支票"] = Receivables.PaymentMethod.Cheque,
        ["现金"] = Receivables.PaymentMethod.Cash,
        ["微信"] = Receivables.PaymentMethod.WeChatPay,
        ["支付宝"] = Receivables.PaymentMethod.Alipay,
    };

    private static Receivables.PaymentMethod? Method(ImportRow row, ImportErrors errors)
    {
        var text = row[MethodColumn];
        if (text is null) return null;
        if (MethodWords.TryGetValue(text, out var word)) return word;
        if (!int.TryParse(text, out _) && Enum.TryParse<Receivables.PaymentMethod>(text, true, out var method)) return method;
        errors.Add(row.Line, "method", $"method must be WireTransfer, BankAcceptance, Cheque, Cash, WeChatPay or Alipay (电汇, 承兑汇票, 支票, 现金, 微信, 支付宝), not {text}.");
        return null;
    }

    public static readonly RecordImport<Payment> Import = new()
    {
        Schema = Schema,
        KeyColumn = "paymentNo",
        FinanceWrites = true,
        Parse = (row, errors) =>
        {
            var no = Cells.Required(row, No, "paymentNo", errors);
            var paid = Cells.Date(row, PaidOn, "paidOn", errors);
            var amount = Cells.Decimal(row, Amount, "amount", errors, negativeAllowed: true); // API.md: a negative payment is a refund
            var invoice = Cells.Optional(row, InvoiceNo, "invoiceNo", errors, 40);
            var method = Method(row, errors);
            return no is null || paid is null || amount is null ? null
                : new Payment { PaymentNo = no, PaidOn = paid.Value, Amount = amount.Value, InvoiceNo = invoice, Method = method };
        },
        Key = p => p.PaymentNo,
        SetAccount = (p, id) => p.AccountId = id,
        Stored = (db, keys) => db.Payments.Where(p => keys.Contains(p.PaymentNo)),
        Merge = (s, p) => new Payment
        {
            Id = s.Id,
            PaymentNo = s.PaymentNo,
            AccountId = p.AccountId,
            PaidOn = p.PaidOn,
            Amount = p.Amount,
            InvoiceNo = p.InvoiceNo,
            Method = p.Method,
            UpdatedAt = s.UpdatedAt,
        },
        Touch = (p, now) => p.UpdatedAt = now,
        InsertColumns = [nameof(Payment.PaymentNo), nameof(Payment.AccountId), nameof(Payment.PaidOn), nameof(Payment.Amount), nameof(Payment.InvoiceNo), nameof(Payment.Method),
            nameof(Payment.UpdatedAt)],
        UpdateColumns = [nameof(Payment.AccountId), nameof(Payment.PaidOn), nameof(Payment.Amount), nameof(Payment.InvoiceNo), nameof(Payment.Method), nameof(Payment.UpdatedAt)],
    };

    public static ImportKind Kind => new(Schema, Roles, Import.RunAsync);
}

/// <summary><c>quality-incidents</c>: <c>incidentNo,accountCode,occurredOn,lossAmount,description</c>, upserted by incidentNo.</summary>
public static class ImportQualityIncidents
{
    /// <summary>Quality incidents are sales' and the service engineers' to record.</summary>
    public static readonly IReadOnlyList<string> Roles = [Organisation.Roles.Admin, Organisation.Roles.Leader, Organisation.Roles.Manager, Organisation.Roles.Rep, Organisation.Roles.Engineer];

    public static readonly ImportSchema Schema = new("quality-incidents", ["incidentNo", "accountCode", "occurredOn", "lossAmount", "description"],
        ["incidentNo", "accountCode", "occurredOn", "lossAmount"]);

    private static readonly int No = Schema.IndexOf("incidentNo"), OccurredOn = Schema.IndexOf("occurredOn"), Loss = Schema.IndexOf("lossAmount"),
        Description = Schema.IndexOf("description");

    public static readonly RecordImport<QualityIncident> Import = new()
    {
        Schema = Schema,
        KeyColumn = "incidentNo",
        Parse = (row, errors) =>
        {
            var no = Cells.Required(row, No, "incidentNo", errors);
            var occurred = Cells.Date(row, OccurredOn, "occurredOn", errors);
            var loss = Cells.Decimal(row, Loss, "lossAmount", errors);
            var description = Cells.Optional(row, Description, "description", errors, 1000);
            return no is null || occurred is null || loss is null ? null
                : new QualityIncident { IncidentNo = no, OccurredOn = occurred.Value, LossAmount = loss.Value, Description = description };
        },
        Key = q => q.IncidentNo,
        SetAccount = (q, id) => q.AccountId = id,
        Stored = (db, keys) => db.QualityIncidents.Where(q => keys.Contains(q.IncidentNo)),
        Merge = (s, q) => new QualityIncident
        {
            Id = s.Id,
            IncidentNo = s.IncidentNo,
            AccountId = q.AccountId,
            OccurredOn = q.OccurredOn,
            LossAmount = q.LossAmount,
            Description = q.Description,
            ComplaintId = s.ComplaintId,
            UpdatedAt = s.UpdatedAt,
        },
        Touch = (q, now) => q.UpdatedAt = now,
        InsertColumns = [nameof(QualityIncident.IncidentNo), nameof(QualityIncident.AccountId), nameof(QualityIncident.OccurredOn), nameof(QualityIncident.LossAmount),
            nameof(QualityIncident.Description), nameof(QualityIncident.UpdatedAt)],
        UpdateColumns = [nameof(QualityIncident.AccountId), nameof(QualityIncident.OccurredOn), nameof(QualityIncident.LossAmount), nameof(QualityIncident.Description),
            nameof(QualityIncident.UpdatedAt)],
    };

    public static ImportKind Kind => new(Schema, Roles, Import.RunAsync);
}
