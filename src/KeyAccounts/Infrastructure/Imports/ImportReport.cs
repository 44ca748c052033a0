namespace KeyAccounts.Infrastructure.Imports;

/// <summary>One reason a row was refused: the line as the user sees it in the file (the header is line 1) and the column.</summary>
public sealed record ImportError(int Line, string Column, string Message);

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

    public void Add(int line, string column, string message)
    {
        errors.Add(new ImportError(line, column, message));
        rejectedLines.Add(line);
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
