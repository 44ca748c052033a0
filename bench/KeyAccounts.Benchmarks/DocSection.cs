namespace KeyAccounts.Benchmarks;

/// <summary>
/// A scenario's own section of docs/benchmarks.md, kept between an HTML comment pair, each on a line of its own, so that every
/// other part of the file (other scenarios' sections, hand-written notes, even a note that quotes a marker) stays as it is.
/// </summary>
public static class DocSection
{
    /// <summary>Replaces the lines from <paramref name="begin"/> to <paramref name="end"/> (markers included) with <paramref name="body"/> wrapped in them, or appends it.</summary>
    public static void Write(string output, string begin, string end, string body)
    {
        var section = begin + "\n" + body.TrimEnd() + "\n" + end;
        var text = File.Exists(output) ? File.ReadAllText(output).ReplaceLineEndings("\n") : "# Benchmarks\n";
        var start = LineIndex(text, begin, 0);
        if (start < 0)
        {
            File.WriteAllText(output, text.TrimEnd() + "\n\n" + section + "\n");
            return;
        }
        var stop = LineIndex(text, end, start);
        // Without its end marker the section's extent is unknown: replacing up to some later end marker could delete other sections.
        if (stop < 0) throw new InvalidOperationException($"{output} has the line {begin} but no line {end} after it; mend the file by hand.");
        File.WriteAllText(output, text[..start] + section + text[(stop + end.Length)..]);
    }

    /// <summary>Where <paramref name="marker"/> stands alone on a line, from <paramref name="from"/> on; -1 if nowhere.</summary>
    private static int LineIndex(string text, string marker, int from)
    {
        for (var i = text.IndexOf(marker, from, StringComparison.Ordinal); i >= 0; i = text.IndexOf(marker, i + 1, StringComparison.Ordinal))
        {
            var startsLine = i == 0 || text[i - 1] == '\n';
            var endsLine = i + marker.Length == text.Length || text[i + marker.Length] == '\n';
            if (startsLine && endsLine) return i;
        }
        return -1;
    }
}
