using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration.Attributes;
using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// Exports an account list view (the same filters and order as the list) to .xlsx or .csv. Rows are streamed
/// from the query, never collected: an export of the whole book costs no more memory than one page.
/// </summary>
public static class ExportAccounts
{
    /// <summary>The import's columns first, so an exported file can be edited and imported again.</summary>
    public sealed record Row(
        [property: Name("code"), ExcelColumnName("code")] string Code,
        [property: Name("name"), ExcelColumnName("name")] string Name,
        [property: Name("type"), ExcelColumnName("type")] string Type,
        [property: Name("industry"), ExcelColumnName("industry")] string? Industry,
        [property: Name("province"), ExcelColumnName("province")] string? Province,
        [property: Name("city"), ExcelColumnName("city")] string? City,
        [property: Name("creditCode"), ExcelColumnName("creditCode")] string? CreditCode,
        [property: Name("parentCode"), ExcelColumnName("parentCode")] string? ParentCode,
        [property: Name("ownerUserName"), ExcelColumnName("ownerUserName")] string? OwnerUserName,
        [property: Name("tier"), ExcelColumnName("tier")] string Tier,
        [property: Name("status"), ExcelColumnName("status")] string Status,
        [property: Name("archiveScore"), ExcelColumnName("archiveScore")] int ArchiveScore,
        [property: Name("updatedAt"), ExcelColumnName("updatedAt")] string UpdatedAt);

    public const string Xlsx = "xlsx";
    public const string Csv = "csv";

    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> HandleAsync(
        [AsParameters] ListAccounts.Query query, string? format, AppDb db, CurrentUser user, TimeProvider clock, HttpContext http)
    {
        var kind = (format ?? Xlsx).Trim().ToLowerInvariant();
        if (kind is not (Xlsx or Csv)) return Validation.Single("format", $"format must be xlsx or csv.");
        var fileName = FileName(kind, clock);
        var rows = Rows(await ListAccounts.FilterAsync(query, db, user, http.RequestAborted), query);
        var words = ReaderWords(http);
        if (words is not null) rows = rows.Select(r => InWords(r, words));
        return kind == Csv
            ? TypedResults.Stream(body => WriteCsvAsync(body, rows, http.RequestAborted, words), "text/csv; charset=utf-8", fileName)
            : TypedResults.Stream(body => WriteXlsxAsync(body, rows, http.RequestAborted, words),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName);
    }

    /// <summary>
    /// The headers and values of the requester's language when they asked for one other than English (the UI's language cookie, or
    /// Accept-Language); null keeps the import's column names and the values as the API names them, which a file must keep for
    /// scripts. The import reads the headers in either language and the account type in either (客户, Customer).
    /// </summary>
    private static Words? ReaderWords(HttpContext http)
    {
        if (Texts.AskedLanguage(http) is null) return null;
        var columns = Texts.For<Imports.ImportsText>();
        var terms = Texts.For<AccountsText>();
        return new Words([.. Columns.Select(c => columns[Imports.ImportSchema.HeaderKey(ImportAccounts.Schema.Kind, c)].Value)], key => terms[key].Value);
    }

    private sealed record Words(string[] Headers, Func<string, string> Term);

    /// <summary>The file's columns: the import's first, so an exported file can be edited and imported again.</summary>
    public static readonly string[] Columns =
        ["code", "name", "type", "industry", "province", "city", "creditCode", "parentCode", "ownerUserName", "tier", "status", "archiveScore", "updatedAt"];

    private static Row InWords(Row r, Words words) =>
        r with { Type = words.Term($"AccountType.{r.Type}"), Tier = words.Term($"Tier.{r.Tier}"), Status = words.Term($"Status.{r.Status}") };

    public static string FileName(string format, TimeProvider clock) => $"accounts-{clock.GetUtcNow():yyyyMMdd-HHmmss}.{format}";

    /// <summary>The rows of the filtered, ordered view (from ListAccounts.FilterAsync: only what the user may see), read lazily.</summary>
    public static IEnumerable<Row> Rows(IQueryable<Account> filtered, ListAccounts.Query query) =>
        ListAccounts.Ordered(filtered, query).AsNoTracking()
            .Select(a => new
            {
                a.Code,
                a.Name,
                a.Type,
                a.Industry,
                a.Province,
                a.City,
                a.CreditCode,
                ParentCode = a.Parent != null ? a.Parent.Code : null,
                OwnerUserName = a.Owner != null ? a.Owner.UserName : null,
                a.Tier,
                a.Status,
                a.ArchiveScore,
                a.UpdatedAt,
            })
            .AsEnumerable()
            .Select(a => new Row(SpreadsheetCells.Text(a.Code), SpreadsheetCells.Text(a.Name), a.Type.ToString(), SpreadsheetCells.Text(a.Industry),
                SpreadsheetCells.Text(a.Province), SpreadsheetCells.Text(a.City), SpreadsheetCells.Text(a.CreditCode), SpreadsheetCells.Text(a.ParentCode),
                SpreadsheetCells.Text(a.OwnerUserName),
                a.Tier.ToString(), a.Status.ToString(), a.ArchiveScore, a.UpdatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));

    /// <summary>A row under the given headers, in <see cref="Columns"/> order.</summary>
    private static Dictionary<string, object?> Cells(Row r, string[] headers)
    {
        object?[] values = [r.Code, r.Name, r.Type, r.Industry, r.Province, r.City, r.CreditCode, r.ParentCode, r.OwnerUserName, r.Tier, r.Status, r.ArchiveScore, r.UpdatedAt];
        var cells = new Dictionary<string, object?>(headers.Length);
        for (var i = 0; i < headers.Length; i++) cells[headers[i]] = values[i];
        return cells;
    }

    /// <summary>UTF-8 with a byte-order mark: without it Chinese Excel reads the file as GBK and garbles the names.</summary>
    public static Task WriteCsvAsync(Stream output, IEnumerable<Row> rows, CancellationToken ct) => WriteCsvAsync(output, rows, ct, null);

    private static async Task WriteCsvAsync(Stream output, IEnumerable<Row> rows, CancellationToken ct, Words? words)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024, leaveOpen: true);
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        if (words is null) csv.WriteHeader<Row>();
        else foreach (var header in words.Headers) csv.WriteField(header);
        await csv.NextRecordAsync();
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            csv.WriteRecord(row);
            await csv.NextRecordAsync();
        }
        await csv.FlushAsync();
        await writer.FlushAsync(ct);
    }

    /// <summary>
    /// The workbook is written to a temporary file first: the zip writer of an .xlsx flushes synchronously,
    /// which the response body refuses, and a file keeps large exports out of memory.
    /// </summary>
    public static Task WriteXlsxAsync(Stream output, IEnumerable<Row> rows, CancellationToken ct) => WriteXlsxAsync(output, rows, ct, null);

    private static async Task WriteXlsxAsync(Stream output, IEnumerable<Row> rows, CancellationToken ct, Words? words)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ka-export-{Guid.NewGuid():N}.xlsx");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        if (words is null) await file.SaveAsAsync(rows, sheetName: "accounts", excelType: ExcelType.XLSX, cancellationToken: ct);
        else await file.SaveAsAsync(rows.Select(r => Cells(r, words.Headers)), sheetName: "accounts", excelType: ExcelType.XLSX, cancellationToken: ct);
        file.Position = 0;
        await file.CopyToAsync(output, ct);
    }
}
