using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KeyAccounts.Infrastructure;

/// <summary>
/// The app's strings. Keys are either the English text itself (<c>L["Save"]</c>: English needs no resource) or a term:
/// a prefix and an enum value, built at run time (<c>L[$"Status.{c.Status}"]</c>), which has a resource in both cultures.
/// A term without a resource is shown as its value in words ("SpringFestival" → "Spring festival"), never as the raw key;
/// the resource tests (tests/…/Resources) keep every term translated in both cultures.
/// </summary>
public static partial class Texts
{
    /// <summary>The company's language: the UI's default and the language of a user who has not chosen one.</summary>
    public static readonly CultureInfo DefaultCulture = new("zh-CN");

    /// <summary>The cultures a user can choose; the first is <see cref="DefaultCulture"/>.</summary>
    public static readonly CultureInfo[] Cultures = [DefaultCulture, new("en")];

    /// <summary>The user claim (OpenID Connect's "locale") that holds a user's chosen language, e.g. "en".</summary>
    public const string LocaleClaim = "locale";

    private static readonly IStringLocalizerFactory Factory = new TermLocalizerFactory(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance));

    /// <summary>The strings of a feature outside a request (jobs, notifications): use with <see cref="In{T}"/> for a given culture.</summary>
    public static IStringLocalizer For<TMarker>() => Factory.Create(typeof(TMarker));

    public static IStringLocalizer For(Type marker) => Factory.Create(marker);

    /// <summary>A term of a feature's strings as an argument of a message template: worded in the culture current when it is formatted.</summary>
    public sealed record Term(Type Marker, string Key)
    {
        public override string ToString() => For(Marker)[Key].Value;
    }

    public static Term Of<TMarker>(string key) => new(typeof(TMarker), key);

    /// <summary>Runs <paramref name="render"/> with <paramref name="culture"/> as the current (UI) culture: resources, dates and numbers in that language.</summary>
    public static T In<T>(CultureInfo culture, Func<T> render)
    {
        var (ui, current) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        try
        {
            CultureInfo.CurrentUICulture = culture;
            CultureInfo.CurrentCulture = culture;
            return render();
        }
        finally
        {
            CultureInfo.CurrentUICulture = ui;
            CultureInfo.CurrentCulture = current;
        }
    }

    /// <summary>
    /// The language a request asked for (the UI's language cookie or Accept-Language) when it is not English, else null: files
    /// made for people (exports) are then worded in it; a script that names no language gets the API's English names.
    /// </summary>
    public static CultureInfo? AskedLanguage(HttpContext http) =>
        http.Features.Get<Microsoft.AspNetCore.Localization.IRequestCultureFeature>() is { Provider: not null } asked
        && asked.RequestCulture.UICulture.TwoLetterISOLanguageName != "en"
            ? asked.RequestCulture.UICulture
            : null;

    /// <summary>A supported culture by name ("en", "zh-CN"); the default for anything else.</summary>
    public static CultureInfo Culture(string? name) =>
        Cultures.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) ?? DefaultCulture;

    /// <summary>A term key: "Prefix.Value" (optionally more segments), no spaces — as opposed to an English sentence.</summary>
    public static bool IsTerm(string key) => TermPattern().IsMatch(key);

    /// <summary>The value of a term in words: "Status.New" → "New", "Festival.SpringFestival" → "Spring festival".</summary>
    public static string Words(string key)
    {
        var value = key.Split('.')[1];
        var words = new StringBuilder(value.Length + 4);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (i > 0 && char.IsUpper(c) && (char.IsLower(value[i - 1]) || (i + 1 < value.Length && char.IsLower(value[i + 1]))))
                words.Append(' ').Append(char.ToLowerInvariant(c));
            else words.Append(i == 0 ? char.ToUpperInvariant(c) : c);
        }
        return words.ToString();
    }

    [GeneratedRegex(@"^[A-Z][A-Za-z0-9]*(\.[A-Za-z0-9_-]+)+$")]
    private static partial Regex TermPattern();
}

/// <summary>Wraps the resource localizers so that a term without a resource reads as words (still flagged ResourceNotFound).</summary>
public sealed class TermLocalizerFactory(ResourceManagerStringLocalizerFactory inner) : IStringLocalizerFactory
{
    public IStringLocalizer Create(Type resourceSource) => new TermLocalizer(inner.Create(resourceSource));

    public IStringLocalizer Create(string baseName, string location) => new TermLocalizer(inner.Create(baseName, location));

    private sealed class TermLocalizer(IStringLocalizer inner) : IStringLocalizer
    {
        public LocalizedString this[string name] => Words(inner[name]);

        public LocalizedString this[string name, params object[] arguments] =>
            inner[name] is { ResourceNotFound: true } missing && Texts.IsTerm(name) ? Words(missing) : inner[name, arguments];

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => inner.GetAllStrings(includeParentCultures);

        private static LocalizedString Words(LocalizedString s) =>
            s.ResourceNotFound && Texts.IsTerm(s.Name) ? new LocalizedString(s.Name, Texts.Words(s.Name), true, s.SearchedLocation) : s;
    }
}
