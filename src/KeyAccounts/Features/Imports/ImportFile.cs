using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using CsvHelper;
using CsvHelper.Configuration;
using MiniExcelLibs;

namespace KeyAccounts.Features.Imports;

public enum ImportFileType { Csv, Xlsx }

/// <summary>
/// Reads an uploaded .csv or .xlsx into rows of a schema. Headers are matched case-insensitively in any order,
/// unknown columns are ignored, and a missing required column is reported once, on line 1.
/// </summary>
public static class ImportFile
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static ImportFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>GBK, as Chinese Excel saves "CSV (comma delimited)".</summary>
    public static Encoding Gbk => Encoding.GetEncoding(936);

    public static ImportFileType? TypeOf(string? fileName) => Path.GetExtension(fileName ?? "").ToLowerInvariant() switch
    {
        ".csv" => ImportFileType.Csv,
        ".xlsx" => ImportFileType.Xlsx,
        _ => null,
    };

    /// <summary>Reads the file; <paramref name="content"/> must be seekable (the caller buffers uploads to a temporary file).</summary>
    public static ImportTable Read(Stream content, ImportFileType type, ImportSchema schema)
    {
        var stream = Open(content, type, schema);
        return new ImportTable(schema, stream.Present, stream.Rows.ToList(), stream.HeaderErrors);
    }

    /// <summary>
    /// Reads the header now and the rows as they are enumerated, so a file of millions of rows is never held in memory.
    /// Enumerate the rows once, while <paramref name="content"/> is open.
    /// </summary>
    public static ImportStream Open(Stream content, ImportFileType type, ImportSchema schema) =>
        Start(schema, Guarded(type == ImportFileType.Csv ? CsvRecords(content) : XlsxRecords(content)));

    /// <summary>
    /// Whatever the readers throw on a broken file (a zip cut short, XML that is not a sheet, bytes that are not CSV) becomes an
    /// <see cref="ImportFileException"/>, so the pipeline tells a bad file from a failure of its own.
    /// </summary>
    private static IEnumerable<(int Line, string?[] Cells)> Guarded(IEnumerable<(int Line, string?[] Cells)> records)
    {
        IEnumerator<(int Line, string?[] Cells)> enumerator;
        try
        {
            enumerator = records.GetEnumerator();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ImportFileException(e);
        }
        using (enumerator)
            while (true)
            {
                bool more;
                try
                {
                    more = enumerator.MoveNext();
                }
                catch (Exception e) when (e is not (OperationCanceledException or ImportFileException))
                {
                    throw new ImportFileException(e);
                }
                if (!more) yield break;
                yield return enumerator.Current;
            }
    }

    /// <summary>
    /// Whether an .xlsx upload is a zip with a workbook that names at least one sheet: MiniExcel fails on anything else in ways
    /// of its own. Leaves the stream where it was.
    /// </summary>
    public static bool IsWorkbook(Stream content)
    {
        var start = content.Position;
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            var workbook = zip.Entries.FirstOrDefault(e => e.FullName.TrimStart('/').Equals("xl/workbook.xml", StringComparison.OrdinalIgnoreCase));
            if (workbook is null || !zip.Entries.Any(e => e.FullName.TrimStart('/').StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase))) return false;
            using var xml = XmlReader.Create(workbook.Open(), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            while (xml.Read())
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "sheet") return true;
            return false;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or XmlException or NotSupportedException or ArgumentException)
        {
            return false;
        }
        finally
        {
            content.Position = start;
        }
    }

    /// <summary>
    /// The first character no import can keep: a control character other than tab and line breaks (PostgreSQL refuses U+0000
    /// outright), or half of a surrogate pair; null when the text is clean.
    /// </summary>
    public static char? UnreadableCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < ' ' ? c is not ('\t' or '\n' or '\r') : c == '\u007F') return c;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(c)) return c;
        }
        return null;
    }

    /// <summary>Copies an upload to a temporary file that deletes itself, so it can be read twice (encoding detection) and synchronously.</summary>
    public static async Task<FileStream> BufferAsync(Stream upload, CancellationToken ct)
    {
        var buffer = new FileStream(Path.Combine(Path.GetTempPath(), $"ka-import-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await upload.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        return buffer;
    }

    /// <summary>A byte-order mark decides; otherwise the file is UTF-8 when every byte of it decodes strictly, else GBK.</summary>
    public static Encoding DetectEncoding(Stream content)
    {
        var start = content.Position;
        Span<byte> bom = stackalloc byte[3];
        var n = content.ReadAtLeast(bom, 3, throwOnEndOfStream: false);
        content.Position = start;
        if (n >= 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF) return Encoding.UTF8;
        if (n >= 2 && bom[0] == 0xFF && bom[1] == 0xFE) return Encoding.Unicode;
        if (n >= 2 && bom[0] == 0xFE && bom[1] == 0xFF) return Encoding.BigEndianUnicode;

        var decoder = StrictUtf8.GetDecoder();
        var bytes = new byte[64 * 1024];
        var chars = new char[StrictUtf8.GetMaxCharCount(bytes.Length) + 4];
        try
        {
            int read;
            while ((read = content.Read(bytes, 0, bytes.Length)) > 0) decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            decoder.GetChars([], 0, 0, chars, 0, flush: true);
            return Encoding.UTF8;
        }
        catch (DecoderFallbackException)
        {
            return Gbk;
        }
        finally
        {
            content.Position = start;
        }
    }

    private static IEnumerable<(int Line, string?[] Cells)> CsvRecords(Stream content)
    {
        var encoding = DetectEncoding(content);
        using var reader = new StreamReader(content, encoding, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            IgnoreBlankLines = true,
            BadDataFound = null,
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
        };
        using var parser = new CsvParser(reader, config);
        var previous = 0;
        while (parser.Read())
        {
            // RawRow is the last physical line of the record; a quoted cell may span several lines. The raw record is a new
            // string, so it is read only when the record did not simply take the next line (blank lines, line breaks in cells).
            var line = parser.RawRow;
            if (line != previous + 1) line -= parser.RawRecord.AsSpan().TrimEnd("\r\n").Count('\n');
            previous = parser.RawRow;
            yield return (line, parser.Record ?? []);
        }
    }

    private static IEnumerable<(int Line, string?[] Cells)> XlsxRecords(Stream content)
    {
        var line = 0;
        // Without a header row MiniExcel keys cells by column letter and yields empty rows too, so the count is the sheet's row number.
        foreach (IDictionary<string, object?> row in content.Query(useHeaderRow: false, excelType: ExcelType.XLSX))
        {
            line++;
            yield return (line, row.Values.Select(CellText).ToArray());
        }
    }

    private static string? CellText(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("s", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static ImportStream Start(ImportSchema schema, IEnumerable<(int Line, string?[] Cells)> records)
    {
        var present = new bool[schema.Columns.Count];
        var map = Array.Empty<int?>();
        var headerErrors = new List<ImportError>();
        var enumerator = records.GetEnumerator();
        if (!enumerator.MoveNext())
        {
            enumerator.Dispose();
            headerErrors.Add(ImportError.Of(1, "", $"The file is empty: the first line must name the columns."));
            return new ImportStream(schema, present, [], headerErrors);
        }
        var cellsOfHeader = enumerator.Current.Cells;
        map = new int?[cellsOfHeader.Length];
        for (var i = 0; i < cellsOfHeader.Length; i++)
        {
            if (cellsOfHeader[i] is not { } header || schema.Find(header) is not { } column || present[column]) continue;
            map[i] = column;
            present[column] = true;
        }
        foreach (var required in schema.Required)
            if (!present[schema.IndexOf(required)])
                headerErrors.Add(ImportError.Of(1, required, $"The file has no column {required}."));
        return new ImportStream(schema, present, Rows(), headerErrors);

        IEnumerable<ImportRow> Rows()
        {
            using (enumerator)
                while (enumerator.MoveNext())
                {
                    var (line, cells) = enumerator.Current;
                    var values = new string?[schema.Columns.Count];
                    var any = false;
                    for (var i = 0; i < cells.Length && i < map.Length; i++)
                    {
                        if (map[i] is not { } column) continue;
                        var text = cells[i]?.Trim();
                        if (string.IsNullOrEmpty(text)) continue;
                        values[column] = text;
                        any = true;
                    }
                    if (any) yield return new ImportRow(line, values, schema);
                }
        }
    }
}

/// <summary>The uploaded file itself cannot be read (its inner exception says why).</summary>
public sealed class ImportFileException(Exception inner) : Exception(inner.Message, inner);
