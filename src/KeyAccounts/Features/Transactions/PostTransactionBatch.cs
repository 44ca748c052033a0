using System.Globalization;
using KeyAccounts.Data;
using KeyAccounts.Features.Imports;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyAccounts.Features.Transactions;

public sealed record TransactionBatch<T>(IReadOnlyList<T>? Items);

public sealed record OrderItem(string? OrderNo, string? AccountCode, DateOnly? OrderDate, string? ProductCode, string? ProductName, decimal? Quantity,
    decimal? UnitPrice, decimal? UnitCost, int? Line);

public sealed record InvoiceItem(string? InvoiceNo, string? AccountCode, DateOnly? IssuedOn, DateOnly? DueOn, decimal? Amount, string? OrderNo = null,
    string? InvoiceType = null, decimal? TaxRate = null);

public sealed record PaymentItem(string? PaymentNo, string? AccountCode, DateOnly? PaidOn, decimal? Amount, string? InvoiceNo, string? Method = null);

public sealed record QualityIncidentItem(string? IncidentNo, string? AccountCode, DateOnly? OccurredOn, decimal? LossAmount, string? Description);

/// <summary>
/// POST /api/v1/transactions/{kind} <c>{ "items": [...] }</c>: the ERP feed. The items go through the same use case as a file
/// import (same checks, upsert by business key, so a feed sent twice changes nothing), all or nothing: any bad item → 400
/// naming <c>items[i].field</c>.
/// </summary>
public static class PostTransactionBatch
{
    public const int MaxItems = 100_000;

    public static Task<Results<Ok<ImportReport>, ValidationProblem, ProblemHttpResult>> OrdersAsync(TransactionBatch<OrderItem> batch, AppDb db, CurrentUser user,
        TimeProvider clock, CancellationToken ct) =>
        RunAsync(batch.Items, ImportOrders.Kind, o => [o.OrderNo, o.AccountCode, Date(o.OrderDate), o.ProductCode, o.ProductName, Number(o.Quantity),
            Number(o.UnitPrice), Number(o.UnitCost)], items => (file, session, token) => ImportOrders.RunAsync(file, file.Rows.Select(r => (r, items[r.Line].Line)), session, token),
            db, user, clock, ct);

    public static Task<Results<Ok<ImportReport>, ValidationProblem, ProblemHttpResult>> InvoicesAsync(TransactionBatch<InvoiceItem> batch, AppDb db, CurrentUser user,
        TimeProvider clock, CancellationToken ct) =>
        RunAsync(batch.Items, ImportInvoices.Kind, i => [i.InvoiceNo, i.AccountCode, Date(i.IssuedOn), Date(i.DueOn), Number(i.Amount),
            i.OrderNo, i.InvoiceType, Number(i.TaxRate)], null, db, user, clock, ct);

    public static Task<Results<Ok<ImportReport>, ValidationProblem, ProblemHttpResult>> PaymentsAsync(TransactionBatch<PaymentItem> batch, AppDb db, CurrentUser user,
        TimeProvider clock, CancellationToken ct) =>
        RunAsync(batch.Items, ImportPayments.Kind, p => [p.PaymentNo, p.AccountCode, Date(p.PaidOn), Number(p.Amount), p.InvoiceNo, p.Method], null, db, user, clock, ct);

    public static Task<Results<Ok<ImportReport>, ValidationProblem, ProblemHttpResult>> QualityIncidentsAsync(TransactionBatch<QualityIncidentItem> batch, AppDb db,
        CurrentUser user, TimeProvider clock, CancellationToken ct) =>
        RunAsync(batch.Items, ImportQualityIncidents.Kind, q => [q.IncidentNo, q.AccountCode, Date(q.OccurredOn), Number(q.LossAmount), q.Description], null,
            db, user, clock, ct);

    private static string? Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Number(decimal? d) => d?.ToString(CultureInfo.InvariantCulture);

    /// <summary>Each item becomes a row whose "line" is its index in items, so the import's errors name the item.</summary>
    private static async Task<Results<Ok<ImportReport>, ValidationProblem, ProblemHttpResult>> RunAsync<T>(IReadOnlyList<T>? items, ImportKind kind,
        Func<T, string?[]> cells, Func<IReadOnlyList<T>, Func<ImportStream, ImportSession, CancellationToken, Task>>? run, AppDb db, CurrentUser user,
        TimeProvider clock, CancellationToken ct)
    {
        if (!kind.AllowedFor(user))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "You may not import this.",
                detail: $"Only these roles may import {kind.Name}: {string.Join(", ", kind.Roles)}.");
        if (items is null || items.Count == 0) return Validation.Single("items", $"Send at least one item.");
        if (items.Count > MaxItems) return Validation.Single("items", $"Send at most {MaxItems} items per request.");
        var schema = kind.Schema;
        var rows = items.Select((item, i) => new ImportRow(i, [.. cells(item).Select(c => c.Trimmed())], schema));
        var stream = new ImportStream(schema, [.. schema.Columns.Select(_ => true)], rows, []);
        var result = await RunImport.RunAsync(kind, stream, run?.Invoke(items), new ImportOptions(false, false), db, user, clock, ct);
        if (result.Outcome is not { } outcome)
            return TypedResults.Problem(statusCode: result.Status, title: "The batch could not be written.", detail: result.Error);
        if (outcome.Report.Rejected == 0) return TypedResults.Ok(outcome.Report);
        var validation = new Validation();
        foreach (var e in outcome.Report.Errors) validation.Add($"items[{e.Line}].{e.Column}", e.Reason ?? $"{e.Message}");
        return validation.Problem();
    }
}
