using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace KeyAccounts.Infrastructure;

/// <summary>
/// Validation errors collected field by field, answered as one RFC 9457 problem. Each message is kept as its English template and
/// values (an interpolated string), so the API answers in English and a screen can say the same in the user's language
/// (<see cref="Messages.In"/>).
/// </summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<FormattableString>> errors = new(StringComparer.OrdinalIgnoreCase);

    public bool IsValid => errors.Count == 0;

    public Validation Add(string field, FormattableString message)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public Validation Require(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, $"{field} is required.");
        else if (value.Trim().Length > maxLength) Add(field, $"{field} must be at most {maxLength} characters.");
        return this;
    }

    public Validation MaxLength(string field, string? value, int maxLength)
    {
        if (value is not null && value.Trim().Length > maxLength) Add(field, $"{field} must be at most {maxLength} characters.");
        return this;
    }

    /// <summary>The messages in English, the API's language.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => errors.ToDictionary(e => e.Key, e => e.Value.Select(FormattableString.Invariant).ToArray());

    /// <summary>The messages as templates and values, field by field.</summary>
    public IEnumerable<(string Field, FormattableString Message)> Reasons => errors.SelectMany(e => e.Value.Select(m => (e.Key, m)));

    public ValidationProblem Problem() => TypedResults.ValidationProblem(Errors);

    public static ValidationProblem Single(string field, FormattableString message) => new Validation().Add(field, message).Problem();
}

/// <summary>Messages kept as an English template and its values (an interpolated string) until someone reads them.</summary>
public static class Messages
{
    /// <summary>
    /// The message in the reader's language: the template looked up in <paramref name="localizer"/> (whose resources are keyed
    /// by the English templates) and filled with the values; the English text when there is no translation.
    /// </summary>
    public static string In(this FormattableString message, IStringLocalizer localizer) =>
        localizer[message.Format, message.GetArguments()!].Value;
}

public static class Problems
{
    public static Conflict<ProblemDetails> Conflict(string title, string detail) =>
        TypedResults.Conflict(new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = title, Detail = detail });

    public static ProblemHttpResult PreconditionFailed(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The record was changed by someone else.", detail: detail);

    public static string? Trimmed(this string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>ETags of editable records are their row version.</summary>
public static class ETags
{
    public static string For(int version) => $"\"{version}\"";

    /// <summary>The version named by If-Match, or null when the header is absent or unreadable.</summary>
    public static int? IfMatch(HttpContext? http)
    {
        var header = http?.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header)) return null;
        var value = header.Trim().TrimStart('W', '/').Trim('"');
        return int.TryParse(value, out var v) ? v : -1;
    }
}
