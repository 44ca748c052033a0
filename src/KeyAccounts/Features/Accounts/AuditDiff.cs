using System.Text.Json;

namespace KeyAccounts.Features.Accounts;

/// <summary>One field of an audited change, before and after, as text a person reads.</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>
/// Turns the audit log's before/after JSON into a field-by-field list. Nested documents (archive sections) are
/// flattened to dotted paths, so a change to one figure of a section shows as that figure, not the whole section.
/// </summary>
public static class AuditDiff
{
    /// <summary>Kept by the system, not typed by anyone: they would only repeat the real change.</summary>
    private static readonly HashSet<string> Derived = ["NormalizedName", "NameInitials", "NamePinyin", "NameCore", "UpdatedAt", "CreatedAt", "Id", "AccountId"];

    private const int MaxText = 200;

    public static IReadOnlyList<FieldChange> Of(string? before, string? after)
    {
        var b = Flatten(before);
        var a = Flatten(after);
        return b.Keys.Union(a.Keys)
            .Where(k => !Derived.Contains(k))
            .Select(k => new FieldChange(k, b.GetValueOrDefault(k), a.GetValueOrDefault(k)))
            .Where(c => c.Before != c.After && !(before is null && c.After is null) && !(after is null && c.Before is null))
            .ToList();
    }

    private static Dictionary<string, string?> Flatten(string? json)
    {
        var result = new Dictionary<string, string?>();
        if (string.IsNullOrWhiteSpace(json)) return result;
        try
        {
            using var doc = JsonDocument.Parse(json);
            Walk(doc.RootElement, "", result, 0);
        }
        catch (JsonException)
        {
            result["value"] = Shorten(json);
        }
        return result;
    }

    private static void Walk(JsonElement e, string path, Dictionary<string, string?> into, int depth)
    {
        if (e.ValueKind == JsonValueKind.Object && depth < 4)
        {
            foreach (var p in e.EnumerateObject()) Walk(p.Value, path.Length == 0 ? p.Name : $"{path}.{p.Name}", into, depth + 1);
            return;
        }
        if (e.ValueKind == JsonValueKind.String && e.GetString() is { } s && s.Length > 1 && (s[0] == '{' || s[0] == '['))
        {
            // Archive sections are stored as JSON text: read them as documents so their fields diff one by one.
            try
            {
                using var inner = JsonDocument.Parse(s);
                Walk(inner.RootElement, path, into, depth);
                return;
            }
            catch (JsonException)
            {
                // Not JSON after all: shown as the text it is.
            }
        }
        into[path.Length == 0 ? "value" : path] = e.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => Shorten(e.GetString()),
            JsonValueKind.True => "✓",
            JsonValueKind.False => "✗",
            _ => Shorten(e.GetRawText()),
        };
    }

    private static string? Shorten(string? text) => text is { Length: > MaxText } ? text[..MaxText] + "…" : text;
}
