using System.Text;
using KeyAccounts.Data;
using KeyAccounts.Features.Transactions;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using KeyAccounts.Infrastructure.Imports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MiniExcelLibs;

namespace KeyAccounts.Features.Imports;

/// <summary>One kind of import: its columns and the use case that applies a file of them.</summary>
public sealed record ImportKind(
    ImportSchema Schema,
    Func<ImportStream, ImportOptions, AppDb, CurrentUser, TimeProvider, CancellationToken, Task<ImportOutcome>> RunAsync)
{
    public string Name => Schema.Kind;

    /// <summary>A kind whose use case needs the whole file in memory (cross-row rules such as parents or 查重).</summary>
    public static ImportKind Whole(ImportSchema schema,
        Func<ImportTable, ImportOptions, AppDb, CurrentUser, TimeProvider, CancellationToken, Task<ImportOutcome>> run) =>
        new(schema, (stream, options, db, user, clock, ct) => run(stream.ToTable(), options, db, user, clock, ct));
}

/// <summary>The import kinds by their name in the URL. Transaction kinds stream their rows (files of millions of lines).</summary>
public static class ImportKinds
{
    public static readonly IReadOnlyDictionary<string, ImportKind> All = new[]
    {
        ImportKind.Whole(ImportAccounts.Schema, ImportAccounts.RunAsync),
        ImportKind.Whole(ImportContacts.Schema, ImportContacts.RunAsync),
        new ImportKind(ImportOrders.Schema, ImportOrders.RunAsync),
        new ImportKind(ImportInvoices.Schema, ImportInvoices.RunAsync),
        new ImportKind(ImportPayments.Schema, ImportPayments.RunAsync),
        new ImportKind(ImportQualityIncidents.Schema, ImportQualityIncidents.RunAsync),
    }.ToDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// POST /api/v1/imports/{kind}: a .csv (UTF-8 with or without BOM, or GBK) or .xlsx file. A dry run answers the report and
/// writes nothing; otherwise all or nothing (422 with the report when a row is bad) unless bad rows are skipped.
/// </summary>
public static class RunImport
{
    public static async Task<Results<Ok<ImportReport>, ProblemHttpResult, Conflict<ProblemDetails>>> HandleAsync(
        string kind, IFormFile? file, bool? dryRun, bool? skipInvalid, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (!ImportKinds.All.TryGetValue(kind, out var importKind))
            return BadRequest($"There is no import of {kind}. Kinds: {string.Join(", ", ImportKinds.All.Keys)}.");
        if (file is null || file.Length == 0) return BadRequest("Send the file as the multipart field \"file\".");
        if (ImportFile.TypeOf(file.FileName) is not { } type) return BadRequest($"{file.FileName} is neither a .csv nor an .xlsx file.");

        await using var upload = file.OpenReadStream();
        var options = new ImportOptions(dryRun ?? false, skipInvalid ?? false);
        var outcome = await ExecuteAsync(importKind, upload, type, options, db, user, clock, ct);
        return outcome switch
        {
            { Error: { } conflict } => Problems.Conflict("The import could not be written", $"{conflict}"),
            { Outcome: { Committed: false, Report.Rejected: > 0 } } when !options.DryRun => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The file has errors; nothing was imported.",
                detail: "Correct the rows listed in errors, or import with skipInvalid=true to import the good rows only.",
                extensions: new Dictionary<string, object?>
                {
                    ["accepted"] = outcome.Outcome!.Report.Accepted,
                    ["rejected"] = outcome.Outcome.Report.Rejected,
                    ["errors"] = outcome.Outcome.Report.Errors,
                }),
            _ => TypedResults.Ok(outcome.Outcome!.Report),
        };
    }

    public sealed record Result(ImportOutcome? Outcome, string? Error);

    /// <summary>The import itself, shared by the API and the import page.</summary>
    public static async Task<Result> ExecuteAsync(ImportKind kind, Stream upload, ImportFileType type, ImportOptions options, AppDb db, CurrentUser user,
        TimeProvider clock, CancellationToken ct)
    {
        await using var buffer = await ImportFile.BufferAsync(upload, ct);
        try
        {
            // Streaming kinds read the rows while they run, so a file that turns out unreadable half-way ends here too.
            return new Result(await kind.RunAsync(ImportFile.Open(buffer, type, kind.Schema), options, db, user, clock, ct), null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or CsvHelper.CsvHelperException or System.Xml.XmlException)
        {
            return new Result(new ImportOutcome(new ImportReport(0, 0, [ImportError.Of(1, "", $"The file cannot be read as {type}: {e.Message}")]), false), null);
        }
        catch (ImportConflictException e)
        {
            return new Result(null, e.Message);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } or Npgsql.PostgresException { SqlState: "23505" or "23503" })
        {
            return new Result(null, "Someone changed the same data while the import ran (a code, credit code or parent was taken or removed). Nothing was imported; run it again.");
        }
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The import cannot run.", detail: detail);
}

/// <summary>GET /api/v1/imports/{kind}/template?format=csv|xlsx: an empty file with the kind's headers.</summary>
public static class GetImportTemplate
{
    public static Results<FileContentHttpResult, ProblemHttpResult> HandleAsync(string kind, string? format)
    {
        if (!ImportKinds.All.TryGetValue(kind, out var importKind))
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "There is no such import.", detail: $"Kinds: {string.Join(", ", ImportKinds.All.Keys)}.");
        return (format ?? "csv").ToLowerInvariant() switch
        {
            "csv" => TypedResults.File(Csv(importKind.Schema), "text/csv; charset=utf-8", $"{importKind.Name}.csv"),
            "xlsx" => TypedResults.File(Xlsx(importKind.Schema), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{importKind.Name}.xlsx"),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown format.", detail: "format is csv or xlsx."),
        };
    }

    /// <summary>UTF-8 with a byte-order mark, so Excel opens Chinese text correctly.</summary>
    public static byte[] Csv(ImportSchema schema) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(string.Join(",", schema.Columns) + "\r\n")];

    public static byte[] Xlsx(ImportSchema schema)
    {
        using var stream = new MemoryStream();
        var header = schema.Columns.ToDictionary(c => c, c => (object?)c);
        stream.SaveAs(new[] { header }, printHeader: false, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }
}
