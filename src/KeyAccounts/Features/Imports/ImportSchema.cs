using KeyAccounts.Infrastructure;

namespace KeyAccounts.Features.Imports;

/// <summary>The columns of one import kind, in template order, and which of them a file must have.</summary>
public sealed class ImportSchema
{
    private readonly Dictionary<string, int> index;

    public ImportSchema(string kind, IReadOnlyList<string> columns, IReadOnlyList<string> required)
    {
        Kind = kind;
        Columns = columns;
        Required = required;
        index = columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.OrdinalIgnoreCase);
        // A column's header in each language (ImportsText "Column.{kind}.{column}"), so a file exported in Chinese imports again.
        var text = Texts.For<ImportsText>();
        foreach (var culture in Texts.Cultures)
            foreach (var (column, i) in columns.Select((c, i) => (c, i)))
                if (Texts.In(culture, () => text[HeaderKey(kind, column)]) is { ResourceNotFound: false } header)
                    index.TryAdd(header.Value, i);
    }

    /// <summary>The resource key of a column's header in a file people read: <c>Column.accounts.code</c>.</summary>
    public static string HeaderKey(string kind, string column) => $"Column.{kind}.{column}";

    public string Kind { get; }
    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<string> Required { get; }

    public int IndexOf(string column) => index.TryGetValue(column, out var i) ? i : throw new ArgumentException($"{Kind} has no column {column}.", nameof(column));

    public int? Find(string header) => index.TryGetValue(header.Trim().TrimStart('\uFEFF'), out var i) ? i : null;
}

/// <summary>One data row: its line in the file and its cells in schema order (trimmed; empty cells are null).</summary>
public sealed class ImportRow(int line, string?[] cells, ImportSchema schema)
{
    public int Line { get; } = line;

    public string? this[string column] => cells[schema.IndexOf(column)];

    /// <summary>The cell at a column's position in the schema, for readers that look the index up once.</summary>
    public string? this[int column] => cells[column];

    /// <summary>Empties a cell the pipeline refused, so its value reaches no rule nor query.</summary>
    internal void Remove(int column) => cells[column] = null;
}

/// <summary>What a file held: its rows, which schema columns its header named, and what was wrong with the header.</summary>
public sealed class ImportTable(ImportSchema schema, bool[] present, IReadOnlyList<ImportRow> rows, IReadOnlyList<ImportError> headerErrors)
{
    public ImportSchema Schema { get; } = schema;
    public IReadOnlyList<ImportRow> Rows { get; } = rows;
    public IReadOnlyList<ImportError> HeaderErrors { get; } = headerErrors;

    /// <summary>False when the file has no such column: an update then keeps the stored value instead of clearing it.</summary>
    public bool Has(string column) => present[Schema.IndexOf(column)];
}

/// <summary>
/// A file read as it goes: the header is read, the rows come one by one as <see cref="Rows"/> is enumerated (once).
/// Every import reads it so (in batches, <see cref="ImportBatches"/>), so that memory does not grow with the file.
/// </summary>
public sealed class ImportStream(ImportSchema schema, bool[] present, IEnumerable<ImportRow> rows, IReadOnlyList<ImportError> headerErrors)
{
    public ImportSchema Schema { get; } = schema;
    public IEnumerable<ImportRow> Rows { get; } = rows;
    public IReadOnlyList<ImportError> HeaderErrors { get; } = headerErrors;
    internal bool[] Present { get; } = present;

    public bool Has(string column) => Present[Schema.IndexOf(column)];
}
