using System.Diagnostics.CodeAnalysis;

namespace KeyAccounts.Infrastructure;

/// <summary>
/// Text cells of every CSV and XLSX export go through here. A cell that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab
/// or a CR is taken for a formula by Excel, LibreOffice and Google Sheets when the file is opened or the cell edited, so an
/// account named <c>=HYPERLINK(…)</c> would become a live link in a reader's sheet (CSV injection). As OWASP recommends, such
/// a cell gets a leading single quote, which the sheet shows as text. Numbers are written as numbers and left alone: only
/// text is passed here.
/// </summary>
public static class SpreadsheetCells
{
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Text(string? value) => value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
