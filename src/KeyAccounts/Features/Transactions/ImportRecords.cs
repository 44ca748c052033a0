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
        await context.Writer.InsertAsync(new BulkTable<T>(context.Db, InsertColumns), inserts, ct);
        await context.Writer.UpdateAsync(new BulkTable<T>(context.Db, UpdateColumns), updates, null, ct);
        await context.WriteUpdatesAuditAsync(audit, ct);
        context.CountCreated(typeof(T).Name, inserts.Count);
    }
}

/// <summary><c>invoices</c>: <c>invoiceNo,accountCode,issuedOn,dueOn,amount</c>, upserted by invoiceNo.</summary>
public static class ImportInvoices
{
    /// <summary>Receivables are written by sales (their own accounts) and Finance (every account it sees).</summary>
    public static readonly IReadOnlyList<string> Roles = [Organisation.Roles.Admin, Organisation.Roles.Leader, Organisation.Roles.Manager, Organisation.Roles.Rep, Organisation.Roles.Finance];

    public static readonly ImportSchema Schema = new("invoices", ["invoiceNo", "accountCode", "issuedOn", "dueOn", "amount"],
        ["invoiceNo", "accountCode", "issuedOn", "dueOn", "amount"]);

    private static readonly int No = Schema.IndexOf("invoiceNo"), IssuedOn = Schema.IndexOf("issuedOn"), DueOn = Schema.IndexOf("dueOn"), Amount = Schema.IndexOf("amount");

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
            return no is null || issued is null || due is null || amount is null ? null
                : new Invoice { InvoiceNo = no, IssuedOn = issued.Value, DueOn = due.Value, Amount = amount.Value };
        },
        Key = i => i.InvoiceNo,
        SetAccount = (i, id) => i.AccountId = id,
        Stored = (db, keys) => db.Invoices.Where(i => keys.Contains(i.InvoiceNo)),
        Merge = (s, i) => new Invoice { Id = s.Id, InvoiceNo = s.InvoiceNo, AccountId = i.AccountId, IssuedOn = i.IssuedOn, DueOn = i.DueOn, Amount = i.Amount, UpdatedAt = s.UpdatedAt },
        Touch = (i, now) => i.UpdatedAt = now,
        InsertColumns = [nameof(Invoice.InvoiceNo), nameof(Invoice.AccountId), nameof(Invoice.IssuedOn), nameof(Invoice.DueOn), nameof(Invoice.Amount), nameof(Invoice.UpdatedAt)],
        UpdateColumns = [nameof(Invoice.AccountId), nameof(Invoice.IssuedOn), nameof(Invoice.DueOn), nameof(Invoice.Amount), nameof(Invoice.UpdatedAt)],
    };

    public static ImportKind Kind => new(Schema, Roles, Import.RunAsync);
}

/// <summary><c>payments</c>: <c>paymentNo,accountCode,paidOn,amount,invoiceNo</c>, upserted by paymentNo.</summary>
public static class ImportPayments
{
    public static readonly IReadOnlyList<string> Roles = ImportInvoices.Roles;

    public static readonly ImportSchema Schema = new("payments", ["paymentNo", "accountCode", "paidOn", "amount", "invoiceNo"],
        ["paymentNo", "accountCode", "paidOn", "amount"]);

    private static readonly int No = Schema.IndexOf("paymentNo"), PaidOn = Schema.IndexOf("paidOn"), Amount = Schema.IndexOf("amount"), InvoiceNo = Schema.IndexOf("invoiceNo");

    public static readonly RecordImport<Payment> Import = new()
    {
        Schema = Schema,
        KeyColumn = "paymentNo",
        FinanceWrites = true,
        Parse = (row, errors) =>
        {
            var no = Cells.Required(row, No, "paymentNo", errors);
            var paid = Cells.Date(row, PaidOn, "paidOn", errors);
            var amount = Cells.Decimal(row, Amount, "amount", errors);
            var invoice = Cells.Optional(row, InvoiceNo, "invoiceNo", errors, 40);
            return no is null || paid is null || amount is null ? null
                : new Payment { PaymentNo = no, PaidOn = paid.Value, Amount = amount.Value, InvoiceNo = invoice };
        },
        Key = p => p.PaymentNo,
        SetAccount = (p, id) => p.AccountId = id,
        Stored = (db, keys) => db.Payments.Where(p => keys.Contains(p.PaymentNo)),
        Merge = (s, p) => new Payment { Id = s.Id, PaymentNo = s.PaymentNo, AccountId = p.AccountId, PaidOn = p.PaidOn, Amount = p.Amount, InvoiceNo = p.InvoiceNo, UpdatedAt = s.UpdatedAt },
        Touch = (p, now) => p.UpdatedAt = now,
        InsertColumns = [nameof(Payment.PaymentNo), nameof(Payment.AccountId), nameof(Payment.PaidOn), nameof(Payment.Amount), nameof(Payment.InvoiceNo), nameof(Payment.UpdatedAt)],
        UpdateColumns = [nameof(Payment.AccountId), nameof(Payment.PaidOn), nameof(Payment.Amount), nameof(Payment.InvoiceNo), nameof(Payment.UpdatedAt)],
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
