using System.Text;
using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MiniExcelLibs;

namespace KeyAccounts.Features.Imports;

/// <summary>
/// POST /api/v1/imports/{kind}: a .csv (UTF-8 with or without BOM, or GBK) or .xlsx file. A dry run answers the report and
/// writes nothing; otherwise all or nothing (422 with the report when a row is bad) unless bad rows are skipped.
/// </summary>
public static class RunImport
{
    /// <summary>Room for the multipart boundaries and headers around the file itself.</summary>
    public const long MultipartOverhead = 64 * 1024;

    public static async Task<Results<Ok<ImportReport>, ProblemHttpResult, Conflict<ProblemDetails>>> HandleAsync(
        string kind, HttpRequest request, bool? dryRun, bool? skipInvalid, AppDb db, CurrentUser user, TimeProvider clock, ImportKinds kinds,
        IOptions<ImportLimits> limits, IStringLocalizer<MessagesText> messages, CancellationToken ct)
    {
        ProblemHttpResult Problem(int status, string title, FormattableString detail) =>
            TypedResults.Problem(statusCode: status, title: messages[title], detail: detail.In(messages));

        if (!kinds.TryGet(kind, out var importKind))
            return Problem(StatusCodes.Status400BadRequest, CannotRun, $"There is no import of {kind}. Kinds: {string.Join(", ", kinds.Names)}.");
        if (!importKind.AllowedFor(user)) return Problem(StatusCodes.Status403Forbidden, Forbidden, ForbiddenDetail(importKind));

        var max = limits.Value.MaxUploadBytes;
        FormattableString tooLarge = $"The file is larger than the {max / (1024 * 1024)} MB an import accepts (setting Imports:MaxUploadBytes).";
        if (request.ContentLength > max + MultipartOverhead) return Problem(StatusCodes.Status413PayloadTooLarge, TooLarge, tooLarge);
        if (!request.HasFormContentType) return Problem(StatusCodes.Status400BadRequest, CannotRun, $"Send the file as the multipart field \"file\".");
        IFormFile? file;
        try
        {
            var form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = max }, ct);
            file = form.Files.GetFile("file");
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            // The form reader stops at the limit (InvalidDataException), the server at the request's (BadHttpRequestException).
            if (e is InvalidDataException && !e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
                return Problem(StatusCodes.Status400BadRequest, CannotRun, $"The upload is not a readable multipart form.");
            return Problem(StatusCodes.Status413PayloadTooLarge, TooLarge, tooLarge);
        }
        catch (BadHttpRequestException)
        {
            return Problem(StatusCodes.Status400BadRequest, CannotRun, $"The upload is not a readable multipart form.");
        }
        if (file is null || file.Length == 0) return Problem(StatusCodes.Status400BadRequest, CannotRun, $"Send the file as the multipart field \"file\".");
        if (file.Length > max) return Problem(StatusCodes.Status413PayloadTooLarge, TooLarge, tooLarge);
        if (ImportFile.TypeOf(file.FileName) is not { } type)
            return Problem(StatusCodes.Status400BadRequest, CannotRun, $"{file.FileName} is neither a .csv nor an .xlsx file.");

        await using var upload = file.OpenReadStream();
        var options = new ImportOptions(dryRun ?? false, skipInvalid ?? false);
        var result = await ExecuteAsync(importKind, upload, type, options, db, user, clock, ct);
        return result switch
        {
            { Status: StatusCodes.Status409Conflict } => Problems.Conflict(messages["The import could not be written"], $"{result.Problem!.In(messages)}"),
            { Status: not StatusCodes.Status200OK } => Problem(result.Status, result.Status == StatusCodes.Status403Forbidden ? Forbidden : CannotRun, result.Problem!),
            { Outcome: { Committed: false, Report.Rejected: > 0 } } when !options.DryRun => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The file has errors; nothing was imported.",
                detail: "Correct the rows listed in errors, or import with skipInvalid=true to import the good rows only.",
                extensions: new Dictionary<string, object?>
                {
                    ["accepted"] = result.Outcome.Report.Accepted,
                    ["rejected"] = result.Outcome.Report.Rejected,
                    ["errors"] = result.Outcome.Report.Errors,
                }),
            _ => TypedResults.Ok(result.Outcome!.Report),
        };
    }

    private const string CannotRun = "The import cannot run.";
    private const string Forbidden = "You may not import this.";
    private const string TooLarge = "The file is too large.";

    private static FormattableString ForbiddenDetail(ImportKind kind) =>
        $"Only these roles may import {kind.Name}: {string.Join(", ", kind.Roles)}.";

    /// <summary>The outcome of an import, or why it did not run: 403 (role), 400 (not a readable workbook), 409 (a conflict while writing).</summary>
    public sealed record Result(ImportOutcome? Outcome, int Status = StatusCodes.Status200OK, FormattableString? Problem = null)
    {
        /// <summary>Why the import did not run, in English; null when it ran.</summary>
        public string? Error => Problem is null ? null : FormattableString.Invariant(Problem);
    }

    /// <summary>The import itself, shared by the API, the import page and the command line.</summary>
    public static async Task<Result> ExecuteAsync(ImportKind kind, Stream upload, ImportFileType type, ImportOptions options, AppDb db, CurrentUser user,
        TimeProvider clock, CancellationToken ct)
    {
        if (!kind.AllowedFor(user)) return new Result(null, StatusCodes.Status403Forbidden, ForbiddenDetail(kind));
        // The file is read twice (encoding detection) and synchronously: an upload that is not already a file or in memory is spooled to disk.
        await using var buffer = upload is MemoryStream or FileStream { CanSeek: true } ? null : await ImportFile.BufferAsync(upload, ct);
        var content = buffer ?? upload;
        if (type == ImportFileType.Xlsx && !ImportFile.IsWorkbook(content)) return Unreadable();
        try
        {
            return await RunAsync(kind, ImportFile.Open(content, type, kind.Schema), null, options, db, user, clock, ct);
        }
        catch (ImportFileException) when (type == ImportFileType.Xlsx)
        {
            return Unreadable();
        }
        catch (ImportFileException e)
        {
            // Rows are read while the kind runs, so a file that turns out unreadable half-way ends here too (and nothing is written).
            return new Result(new ImportOutcome(new ImportReport(0, 0, [ImportError.Of(1, "", $"The file cannot be read as {type}: {e.InnerException!.Message}")]), false));
        }
    }

    private static Result Unreadable() =>
        new(null, StatusCodes.Status400BadRequest, $"The file is not a readable workbook: an .xlsx file needs a workbook with at least one worksheet.");

    /// <summary>
    /// Runs a kind over rows (of a file, or of a JSON batch): the header's errors, the unreadable cells, the kind's rules in one
    /// session, the report. <paramref name="run"/> replaces the kind's own entry when the caller has more to say (an order line's number).
    /// </summary>
    public static async Task<Result> RunAsync(ImportKind kind, ImportStream file, Func<ImportStream, ImportSession, CancellationToken, Task>? run,
        ImportOptions options, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (!kind.AllowedFor(user)) return new Result(null, StatusCodes.Status403Forbidden, ForbiddenDetail(kind));
        var errors = new ImportErrors();
        if (file.HeaderErrors.Count > 0)
        {
            foreach (var e in file.HeaderErrors) errors.AddHeader(e);
            foreach (var row in file.Rows) errors.NextRow(row.Line);
            return new Result(new ImportOutcome(errors.Report(), false));
        }
        try
        {
            await using var session = await ImportSession.StartAsync(kind.Name, db, user, options, errors, clock, ct);
            await (run ?? kind.RunAsync)(Checked(file, errors), session, ct);
            var committed = await session.FinishAsync(ct);
            return new Result(new ImportOutcome(errors.Report(), committed));
        }
        catch (ImportConflictException e)
        {
            return new Result(null, StatusCodes.Status409Conflict, $"{e.Message}");
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } or Npgsql.PostgresException { SqlState: "23505" or "23503" })
        {
            return new Result(null, StatusCodes.Status409Conflict,
                $"Someone changed the same data while the import ran (a code, credit code or parent was taken or removed). Nothing was imported; run it again.");
        }
    }

    /// <summary>
    /// The rows as the kind gets them: counted, and a cell with a control character (which PostgreSQL cannot store, and no
    /// spreadsheet means) refused with its line and column, its value removed so that it reaches no query.
    /// </summary>
    private static ImportStream Checked(ImportStream file, ImportErrors errors)
    {
        return new ImportStream(file.Schema, file.Present, Rows(), []);

        IEnumerable<ImportRow> Rows()
        {
            foreach (var row in file.Rows)
            {
                errors.NextRow(row.Line);
                for (var c = 0; c < file.Schema.Columns.Count; c++)
                {
                    if (row[c] is not { } text || ImportFile.UnreadableCharacter(text) is not { } bad) continue;
                    var column = file.Schema.Columns[c];
                    errors.AddUnreadableCell(row.Line, column, $"{column} contains the control character U+{(int)bad:X4}; remove it.");
                    row.Remove(c);
                }
                yield return row;
            }
        }
    }
}

/// <summary>GET /api/v1/imports/{kind}/template?format=csv|xlsx: an empty file with the kind's headers.</summary>
public static class GetImportTemplate
{
    public static Results<FileContentHttpResult, ProblemHttpResult> HandleAsync(string kind, string? format, ImportKinds kinds)
    {
        if (!kinds.TryGet(kind, out var importKind))
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "There is no such import.", detail: $"Kinds: {string.Join(", ", kinds.Names)}.");
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
