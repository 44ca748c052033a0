using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace KeyAccounts.Tests.Resources;

public sealed class ResourceFileTests
{
    private static IEnumerable<string> ResourceFiles()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KeyAccounts.slnx"))) directory = directory.Parent;
        Assert.NotNull(directory);
        return Directory.EnumerateFiles(Path.Combine(directory.FullName, "src", "KeyAccounts", "Resources"), "*.resx", SearchOption.AllDirectories);
    }

    /// <summary>
    /// Keys are the English text, so "Override" and "override" look like two keys, but resource lookup treats them as one and
    /// one of the two translations never shows (the tier history said "override:" in the Chinese UI).
    /// </summary>
    [Fact]
    public void ResourceFiles_NoTwoKeysDifferOnlyInCase()
    {
        var clashes = ResourceFiles()
            .SelectMany(file => XDocument.Load(file).Root!.Elements("data")
                .Select(d => (File: Path.GetFileName(file), Key: (string)d.Attribute("name")!)))
            .GroupBy(x => (x.File, Key: x.Key.ToLowerInvariant()))
            .Where(g => g.Select(x => x.Key).Distinct().Count() > 1)
            .Select(g => $"{g.Key.File}: {string.Join(" / ", g.Select(x => x.Key))}")
            .ToList();
        Assert.Empty(clashes);
        Assert.NotEmpty(ResourceFiles());
    }

    /// <summary>
    /// A key with placeholders is a message template (<c>L["{0} rows imported.", n]</c>, an import's reasons): its translation
    /// must use the same ones, or it shows a value in the wrong place or throws a FormatException on the screen.
    /// </summary>
    [Fact]
    public void ResourceFiles_TranslationsUseTheirKeysPlaceholders()
    {
        static string Placeholders(string text) =>
            string.Join(" ", Regex.Matches(text.Replace("{{", "").Replace("}}", ""), @"\{\d+(:[^}]*)?\}").Select(m => m.Value).Distinct().Order(StringComparer.Ordinal));
        var mismatched = ResourceFiles()
            .SelectMany(file => XDocument.Load(file).Root!.Elements("data")
                .Select(d => (File: Path.GetFileName(file), Key: (string)d.Attribute("name")!, Value: (string?)d.Element("value") ?? "")))
            .Where(x => Regex.IsMatch(x.Key, @"\{\d") && Placeholders(x.Key) != Placeholders(x.Value))
            .Select(x => $"{x.File}: {x.Key} → {x.Value}")
            .ToList();
        Assert.Empty(mismatched);
    }
}
