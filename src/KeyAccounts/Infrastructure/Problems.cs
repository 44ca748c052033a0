using System.Runtime.CompilerServices;
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
        else if (!TextInput.IsClean(value)) Add(field, TextInput.Refusal(field));
        return this;
    }

    public Validation MaxLength(string field, string? value, int maxLength)
    {
        if (value is not null && value.Trim().Length > maxLength) Add(field, $"{field} must be at most {maxLength} characters.");
        else if (!TextInput.IsClean(value)) Add(field, TextInput.Refusal(field));
        return this;
    }

    /// <summary>The messages in English, the API's language.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => errors.ToDictionary(e => e.Key, e => e.Value.Select(FormattableString.Invariant).ToArray());

    /// <summary>The messages as templates and values, field by field.</summary>
    public IEnumerable<(string Field, FormattableString Message)> Reasons => errors.SelectMany(e => e.Value.Select(m => (e.Key, m)));

    public ValidationProblem Problem()
    {
        var problem = TypedResults.ValidationProblem(Errors);
        Made.AddOrUpdate(problem.ProblemDetails, this);
        return problem;
    }

    /// <summary>
    /// What <see cref="Messages.ErrorsIn"/> answers: the messages of a problem <see cref="Problem"/> made, in the reader's
    /// language and field by field (case ignored, as the fields are matched): a screen that calls a use case gets its <see cref="ValidationProblem"/>, which holds only the English
    /// texts, and words it again from the templates kept here. A problem made elsewhere keeps its texts.
    /// </summary>
    /// <param name="shorten">A screen's own short wording of an English message (say "Required." beside the field), or null.</param>
    internal static Dictionary<string, string[]> ErrorsOf(ValidationProblem problem, IStringLocalizer localizer, Func<string, string?>? shorten = null)
    {
        string Worded(FormattableString m) => shorten?.Invoke(FormattableString.Invariant(m)) ?? m.In(localizer);
        return Made.TryGetValue(problem.ProblemDetails, out var validation)
            ? validation.errors.ToDictionary(e => e.Key, e => e.Value.Select(Worded).ToArray(), StringComparer.OrdinalIgnoreCase)
            : problem.ProblemDetails.Errors.ToDictionary(e => e.Key, e => e.Value.Select(m => shorten?.Invoke(m) ?? m).ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Which validation made each problem still in use (weak: a problem is forgotten with its result).</summary>
    private static readonly ConditionalWeakTable<HttpValidationProblemDetails, Validation> Made = new();

    public static ValidationProblem Single(string field, FormattableString message) => new Validation().Add(field, message).Problem();
}

/// <summary>Messages kept as an English template and its values (an interpolated string) until someone reads them.</summary>
public static class Messages
{
    /// <summary>
    /// The message in the reader's language: the whole English message, or else its template, looked up in
    /// <paramref name="localizer"/> (resources keyed by the English texts and templates) and filled with the values; the English
    /// text when there is no translation.
    /// </summary>
    public static string In(this FormattableString message, IStringLocalizer localizer)
    {
        // A whole message with its own wording ("name is required." → 名称不能为空。) comes first; so does one passed on whole
        // ($"{text}": a rule's or Identity's own sentence).
        var whole = localizer[FormattableString.Invariant(message)];
        return whole.ResourceNotFound ? localizer[message.Format, message.GetArguments()!].Value : whole.Value;
    }

    /// <summary>The messages of <paramref name="problem"/> in the reader's language, field by field (<see cref="Validation.ErrorsOf"/>).</summary>
    public static Dictionary<string, string[]> ErrorsIn(this ValidationProblem problem, IStringLocalizer localizer, Func<string, string?>? shorten = null) =>
        Validation.ErrorsOf(problem, localizer, shorten);
}

public static class Problems
{
    /// <summary>A 409 whose detail the API says in English and a screen in the reader's language (<see cref="DetailIn"/>).</summary>
    public static Conflict<ProblemDetails> Conflict(string title, FormattableString detail)
    {
        var problem = new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = title, Detail = FormattableString.Invariant(detail) };
        Details.AddOrUpdate(problem, detail);
        return TypedResults.Conflict(problem);
    }

    /// <summary>A 403 with a problem body saying why, in English for the API and in the reader's language on a screen (<see cref="DetailIn"/>).</summary>
    public static ProblemHttpResult Forbidden(string title, FormattableString detail)
    {
        var problem = new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = title, Detail = FormattableString.Invariant(detail) };
        Details.AddOrUpdate(problem, detail);
        return TypedResults.Problem(problem);
    }

    /// <summary>The detail of a conflict <see cref="Conflict"/> made, in the reader's language; any other problem's own detail.</summary>
    public static string? DetailIn(this ProblemDetails problem, IStringLocalizer localizer) =>
        Details.TryGetValue(problem, out var detail) ? detail.In(localizer) : problem.Detail;

    /// <summary>The template and values of each conflict's detail still in use (weak: forgotten with its result).</summary>
    private static readonly ConditionalWeakTable<ProblemDetails, FormattableString> Details = new();

    public static ProblemHttpResult PreconditionFailed(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The record was changed by someone else.", detail: detail);

    public static string? Trimmed(this string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>
    /// A search box's text, trimmed and without control characters: no name or code holds them, and PostgreSQL refuses U+0000 in
    /// a parameter. The pages pass their search boxes to the list queries directly, so the queries clean what they are given.
    /// </summary>
    public static string? SearchText(this string? value) =>
        value is null ? null : new string(value.Where(c => !char.IsControl(c)).ToArray()).Trimmed();
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
