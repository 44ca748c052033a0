using System.Globalization;
using System.Text;
using CsvHelper;

namespace KeyAccounts.Features.Imports;

/// <summary>
/// The errors of an import as a CSV file (line,column,message), UTF-8 with a byte-order mark so Excel shows Chinese correctly;
/// the messages in English, or as the caller words them (the import page: in the user's language).
/// </summary>
public static class ImportErrorReport
{
    public static byte[] Csv(IEnumerable<ImportError> errors, Func<ImportError, string>? say = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            csv.WriteField("line");
            csv.WriteField("column");
            csv.WriteField("message");
            csv.NextRecord();
            foreach (var e in errors)
            {
                csv.WriteField(e.Line);
                csv.WriteField(e.Column);
                csv.WriteField(say is null ? e.Message : say(e));
                csv.NextRecord();
            }
        }
        return stream.ToArray();
    }
}
