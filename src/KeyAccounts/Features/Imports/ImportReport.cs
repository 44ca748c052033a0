using System.Text.Json.Serialization;
using KeyAccounts.Infrastructure;
using Microsoft.Extensions.Localization;

namespace KeyAccounts.Features.Imports;

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

/// <summary>
/// The answer to every import, the fixed shape of API.md, and the warnings: lines accepted but worth a look (an account whose name
/// is like an existing one's), in the errors' shape.
/// </summary>
public sealed record ImportReport(int Accepted, int Rejected, IReadOnlyList<ImportError> Errors, IReadOnlyList<ImportError>? Warnings = null)
{
    public IReadOnlyList<ImportError> Warnings { get; init; } = Warnings ?? [];
}

/// <summary>How an import runs: a dry run validates and writes nothing; otherwise all or nothing unless bad rows are skipped.</summary>
public sealed record ImportOptions(bool DryRun, bool SkipInvalid);

/// <summary>The report and whether the rows it accepted were written.</summary>
public sealed record ImportOutcome(ImportReport Report, bool Committed);

/// <summary>
/// The one collector of an import's errors, for every kind. Files run to millions of rows, so every rejected row is counted but
/// only the first <see cref="Listed"/> errors are listed, and only the rejected lines of a window of recent rows are remembered:
/// by default the current row (rows are read in file order); a kind that checks rows in batches moves the window itself
/// (<see cref="KeepLinesFrom"/>).
/// </summary>
public sealed class ImportErrors
{
    public const int Listed = 10_000;

    private readonly List<ImportError> listed = [];
    private readonly HashSet<int> window = [];
    private readonly HashSet<(int Line, string Column)> unreadableCells = [];
    private readonly HashSet<int> held = [];
    private int windowStart;
    private int rejectedBefore;
    private int lastEarlierLine = -1;
    private bool headerRejected;

    /// <summary>The data rows read so far (counted by the pipeline as it reads them).</summary>
    public int Rows { get; set; }

    public int Rejected => rejectedBefore + window.Count;

    /// <summary>The file as a whole was refused (its header, or its length): no row of it is written.</summary>
    public bool FileRejected => headerRejected;

    /// <summary>False while the window is the current row only; true when a kind keeps the lines of its batch itself.</summary>
    public bool KeepsWindow { get; private set; }

    public IReadOnlyList<ImportError> All => listed;

    private readonly List<ImportError> warnings = [];

    /// <summary>A line that is accepted but worth a look: listed (as many as errors are), never counted as rejected.</summary>
    public void Warn(int line, string column, FormattableString message)
    {
        if (warnings.Count < Listed) warnings.Add(ImportError.Of(line, column, message));
    }

    public void Add(int line, string column, FormattableString message) => Add(ImportError.Of(line, column, message));

    public void Add(ImportError error)
    {
        // A cell refused as unreadable has said why; the kind's own rules about the emptied cell would only repeat it.
        if (unreadableCells.Count > 0 && unreadableCells.Contains((error.Line, error.Column))) return;
        if (listed.Count < Listed) listed.Add(error);
        if (error.Line >= windowStart || held.Contains(error.Line)) window.Add(error.Line);
        else if (error.Line != lastEarlierLine)
        {
            // A row read before the window, refused when its chunk is written: chunks hold only rows not refused before.
            lastEarlierLine = error.Line;
            rejectedBefore++;
        }
    }

    /// <summary>An error of the header row: without its required columns no row of the file can be read.</summary>
    public void AddHeader(ImportError error)
    {
        headerRejected = true;
        if (listed.Count < Listed) listed.Add(error);
    }

    /// <summary>A cell the pipeline refused before the kind saw the row (a control character): later errors on it are not listed.</summary>
    internal void AddUnreadableCell(int line, string column, FormattableString message)
    {
        Add(line, column, message);
        unreadableCells.Add((line, column));
    }

    /// <summary>Whether the row on this line has been refused (known for the lines of the window, the held ones and the last earlier one refused).</summary>
    public bool IsRejected(int line) => window.Contains(line) || line == lastEarlierLine;

    /// <summary>Called by the pipeline before each row is handed to the kind.</summary>
    internal void NextRow(int line)
    {
        Rows++;
        if (!KeepsWindow) Forget(line);
    }

    /// <summary>Remembers the rejected lines from <paramref name="line"/> on, forgetting (but still counting) those before it.</summary>
    public void KeepLinesFrom(int line)
    {
        KeepsWindow = true;
        Forget(line);
    }

    /// <summary>Keeps remembering a row of the window after the window moves on (a row that waits for a later one), until released.</summary>
    public void Hold(int line) => held.Add(line);

    /// <summary>Forgets (but still counts) a held row once it has been decided.</summary>
    public void Release(int line)
    {
        if (!held.Remove(line) || line >= windowStart) return;
        if (window.Remove(line)) rejectedBefore++;
        if (unreadableCells.Count > 0) unreadableCells.RemoveWhere(c => c.Line == line);
    }

    private void Forget(int line)
    {
        if (line <= windowStart) return;
        windowStart = line;
        if (unreadableCells.Count > 0) unreadableCells.RemoveWhere(c => c.Line < line && !held.Contains(c.Line));
        if (window.Count == 0) return;
        rejectedBefore += window.RemoveWhere(l => l < line && !held.Contains(l));
    }

    public ImportReport Report()
    {
        var sorted = listed.OrderBy(e => e.Line).ThenBy(e => e.Column, StringComparer.Ordinal).ToList();
        var warned = warnings.OrderBy(e => e.Line).ThenBy(e => e.Column, StringComparer.Ordinal).ToList();
        return headerRejected ? new(0, Rows, sorted) : new(Rows - Rejected, Rejected, sorted, warned);
    }
}

/// <summary>The data changed under the import (a concurrent edit or a unique key taken meanwhile); the transaction was rolled back.</summary>
public sealed class ImportConflictException(string message) : Exception(message);
