using System.Text.Json.Serialization;
using Microsoft.Extensions.Localization;

namespace KeyAccounts.Infrastructure.Imports;

/// <summary>
/// One reason a row was refused: the line as the user sees it in the file (the header is line 1), the column, and the message
/// in English (the API's). <see cref="Reason"/> keeps the message as its template and values, for the import page to say it in
/// the user's language; it is not part of the API's answer nor of the record's equality.
/// </summary>
public sealed record ImportError(int Line, string Column, string Message)
{
    public static ImportError Of(int line, string column, FormattableString reason) =>
        new(line, column, FormattableString.Invariant(reason)) { Reason = reason };

    [JsonIgnore]
    public FormattableString? Reason { get; private init; }

    /// <summary>The message in the reader's language (the English text where there is no translation).</summary>
    public string In(IStringLocalizer localizer) => Reason?.In(localizer) ?? Message;

    public bool Equals(ImportError? other) => other is not null && Line == other.Line && Column == other.Column && Message == other.Message;

    public override int GetHashCode() => HashCode.Combine(Line, Column, Message);
}

/// <summary>The answer to every import, the fixed shape of API.md.</summary>
public sealed record ImportReport(int Accepted, int Rejected, IReadOnlyList<ImportError> Errors);

/// <summary>How an import runs: a dry run validates and writes nothing; otherwise all or nothing unless bad rows are skipped.</summary>
public sealed record ImportOptions(bool DryRun, bool SkipInvalid);

/// <summary>The report and whether the rows it accepted were written.</summary>
public sealed record ImportOutcome(ImportReport Report, bool Committed);

/// <summary>Collects the errors of an import row by row, so accepted and rejected are counted per row.</summary>
public sealed class ImportErrors
{
    private readonly List<ImportError> errors = [];
    private readonly HashSet<int> rejectedLines = [];

    public IReadOnlyList<ImportError> All => errors;

    public void Add(int line, string column, FormattableString message) => Add(ImportError.Of(line, column, message));

    public void Add(ImportError error)
    {
        errors.Add(error);
        rejectedLines.Add(error.Line);
    }

    public bool IsRejected(int line) => rejectedLines.Contains(line);

    /// <summary>Errors on line 1 are the header's: without its required columns no row can be read.</summary>
    public ImportReport Report(int rows)
    {
        var sorted = errors.OrderBy(e => e.Line).ThenBy(e => e.Column, StringComparer.Ordinal).ToList();
        if (rejectedLines.Contains(1)) return new(0, rows, sorted);
        return new(rows - rejectedLines.Count, rejectedLines.Count, sorted);
    }
}
