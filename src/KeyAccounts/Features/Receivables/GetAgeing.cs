using System.Globalization;
using System.Text;
using CsvHelper;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using MiniExcelLibs;

namespace KeyAccounts.Features.Receivables;

/// <summary>GET /api/v1/receivables/ageing?asOf=&amp;page=&amp;pageSize=: API.md's ageing report, paged on the server, the caller's book only.</summary>
public static class GetAgeing
{
    public sealed record Row(long AccountId, string AccountCode, decimal NotDue, decimal Days1To30, decimal Days31To60, decimal Days61To90, decimal Over90,
        decimal Total)
    {
        /// <summary>The account's name, for the screens and exports; the API's row is exactly the contract's.</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public string? AccountName { get; init; }
    }

    public sealed record Totals(decimal NotDue, decimal Days1To30, decimal Days31To60, decimal Days61To90, decimal Over90, decimal Total);

    /// <summary>API.md's page plus the grand totals of every account in the report (not only this page's).</summary>
    public sealed record AgeingReport(IReadOnlyList<Row> Items, int Total, int Page, int PageSize, Totals Totals);

    public static async Task<Results<Ok<AgeingReport>, ValidationProblem>> HandleAsync(DateOnly? asOf, int? page, int? pageSize, AppDb db, CurrentUser user,
        TimeProvider clock, CancellationToken ct)
    {
        var day = asOf ?? Today(clock);
        return TypedResults.Ok(await ReadAsync(db, user, day, page, pageSize, ct));
    }

    /// <summary>The business day in China (UTC+8 all year), as the reminders count it.</summary>
    public static DateOnly Today(TimeProvider clock) => Care.CareRemindersJob.BusinessDay(clock);

    public static async Task<AgeingReport> ReadAsync(AppDb db, CurrentUser user, DateOnly asOf, int? page, int? pageSize, CancellationToken ct)
    {
        var (p, size) = Paging.Normalize(page, pageSize);
        var scope = AccountScope.Of(await AccountAccess.BookOfAsync(db, user, ct));
        return await ReadAsync(db, scope, asOf, (p - 1) * size, size, p, ct);
    }

    public static async Task<AgeingReport> ReadAsync(AppDb db, AccountScope scope, DateOnly asOf, int skip, int take, int page, CancellationToken ct)
    {
        var rows = new List<Row>();
        var total = 0;
        var totals = new Totals(0, 0, 0, 0, 0, 0);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = OpenInvoices.Command(db.Database.GetDbConnection(), OpenInvoices.PageSql(scope), scope, asOf);
            cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            OpenInvoices.Add(cmd, "take", take);
            OpenInvoices.Add(cmd, "skip", skip);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new Row(reader.GetInt64(0), reader.GetString(1), M(3), M(4), M(5), M(6), M(7), M(8)) { AccountName = reader.GetString(2) });
                total = Convert.ToInt32(reader.GetValue(9), CultureInfo.InvariantCulture);
                totals = new Totals(M(10), M(11), M(12), M(13), M(14), M(15));
            }

            decimal M(int i) => OpenInvoices.Money(reader, i);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        // A page past the end has no row to carry the count: count again from the first row.
        if (rows.Count == 0 && skip > 0)
        {
            var first = await ReadAsync(db, scope, asOf, 0, 1, 1, ct);
            total = first.Total;
            totals = first.Totals;
        }
        return new AgeingReport(rows, total, page, take, totals);
    }

    public const string Xlsx = "xlsx";
    public const string Csv = "csv";

    /// <summary>GET /api/v1/receivables/ageing/export?asOf=&amp;format=csv|xlsx: the whole report of the caller's book.</summary>
    public static async Task<Results<FileContentHttpResult, ValidationProblem>> ExportAsync(DateOnly? asOf, string? format, AppDb db, CurrentUser user,
        TimeProvider clock, CancellationToken ct)
    {
        var kind = (format ?? Xlsx).Trim().ToLowerInvariant();
        if (kind is not (Xlsx or Csv)) return Validation.Single("format", $"format must be xlsx or csv.");
        var day = asOf ?? Today(clock);
        var scope = AccountScope.Of(await AccountAccess.BookOfAsync(db, user, ct));
        var report = await ReadAsync(db, scope, day, 0, int.MaxValue, 1, ct);
        var name = $"ageing-{day:yyyyMMdd}.{kind}";
        var bytes = kind == Csv ? Csv_(report.Items) : Xlsx_(report.Items);
        return TypedResults.File(bytes, kind == Csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    private static readonly string[] Columns = ["accountCode", "accountName", "notDue", "days1To30", "days31To60", "days61To90", "over90", "total"];

    private static object?[] Cells(Row r) =>
        [SpreadsheetCells.Text(r.AccountCode), SpreadsheetCells.Text(r.AccountName), r.NotDue, r.Days1To30, r.Days31To60, r.Days61To90, r.Over90, r.Total];

    /// <summary>UTF-8 with a byte-order mark, so that Chinese Excel reads the names; text cells neutralised against formulas.</summary>
    private static byte[] Csv_(IReadOnlyList<Row> rows)
    {
        using var output = new MemoryStream();
        using (var writer = new StreamWriter(output, new UTF8Encoding(true), leaveOpen: true))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var c in Columns) csv.WriteField(c);
            csv.NextRecord();
            foreach (var r in rows)
            {
                foreach (var c in Cells(r)) csv.WriteField(c);
                csv.NextRecord();
            }
        }
        return output.ToArray();
    }

    private static byte[] Xlsx_(IReadOnlyList<Row> rows)
    {
        using var output = new MemoryStream();
        var sheet = rows.Select(r =>
        {
            var cells = Cells(r);
            var d = new Dictionary<string, object?>();
            for (var i = 0; i < Columns.Length; i++) d[Columns[i]] = cells[i];
            return d;
        }).ToList();
        if (sheet.Count == 0) sheet.Add(Columns.ToDictionary(c => c, _ => (object?)null));
        output.SaveAs(sheet);
        return output.ToArray();
    }
}
