namespace KeyAccounts.Benchmarks;

/// <summary>
/// A scenario's own section of docs/benchmarks.md, kept between an HTML comment pair so that every other part of the file (the
/// account run rewrites its top, other scenarios their own sections, hand-written notes) stays as it is.
/// </summary>
public static class DocSection
{
    /// <summary>Replaces the text between <paramref name="begin"/> and <paramref name="end"/> (markers included) with <paramref name="body"/> wrapped in them, or appends it.</summary>
    public static void Write(string output, string begin, string end, string body)
    {
        var section = begin + "\n" + body.TrimEnd() + "\n" + end;
        var text = File.Exists(output) ? File.ReadAllText(output) : "# Benchmarks\n";
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = start >= 0 ? text.IndexOf(end, start, StringComparison.Ordinal) : -1;
        text = start >= 0 && stop > start
            ? text[..start] + section + text[(stop + end.Length)..]
            : text.TrimEnd() + "\n\n" + section + "\n";
        File.WriteAllText(output, text);
    }
}
