using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace KeyAccounts.Infrastructure;

/// <summary>
/// Text the app is given holds no control characters but tab, CR and LF: PostgreSQL refuses U+0000 in text (the request
/// then failed with a 500), and the others only hide in names, break exports and confuse later readers. The API refuses them
/// before any use case runs (<see cref="CheckTextInput{TBuilder}"/>), naming the field by its JSON path or parameter name; the use
/// cases refuse them through <see cref="Validation.Require"/> and <see cref="Validation.MaxLength"/>, which a screen shows beside
/// the field; and <see cref="TextInputGuard"/> keeps them out of the database on any other save.
/// </summary>
public static class TextInput
{
    /// <summary>Whether <paramref name="value"/> holds no control character other than tab, CR and LF.</summary>
    public static bool IsClean(string? value)
    {
        if (value is null) return true;
        foreach (var c in value)
            if (IsRefused(c)) return false;
        return true;
    }

    private static bool IsRefused(char c) => char.IsControl(c) && c is not ('\t' or '\n' or '\r');

    /// <summary><paramref name="value"/> without the control characters <see cref="IsClean"/> refuses.</summary>
    public static string Cleaned(string value)
    {
        if (IsClean(value)) return value;
        var kept = new StringBuilder(value.Length);
        foreach (var c in value)
            if (!IsRefused(c)) kept.Append(c);
        return kept.ToString();
    }

    public static FormattableString Refusal(string field) => $"{field} must not contain control characters.";

    public static FormattableString Missing(string field) => $"{field} is required.";

    /// <summary>
    /// Every endpoint of <paramref name="builder"/> (a route group holding the whole API) checks what it is sent before its
    /// handler runs: the strings of its JSON body at any depth, named by their JSON path (<c>items[2].note</c>), and its string
    /// route, query and header parameters (<c>[AsParameters]</c> records too). A body member that is a non-nullable reference
    /// (<c>IReadOnlyList&lt;BudgetItem&gt; Items</c>) and came missing or null is refused too, instead of failing in the handler.
    /// The answer is a 400 validation problem; nothing runs.
    /// </summary>
    public static TBuilder CheckTextInput<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory(Filter);

    private static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var json = context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var services = context.ApplicationServices.GetService<IServiceProviderIsService>();
        var checks = new List<(int Index, Action<object?, Validation> Check)>();
        var parameters = context.MethodInfo.GetParameters();
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            if (p.ParameterType == typeof(string) || p.ParameterType == typeof(string[]))
            {
                var name = ParameterName(p);
                checks.Add((i, (value, v) => Walk(value, name, json, v, depth: 0)));
            }
            else if (p.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                var strings = p.ParameterType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(q => q.CanRead && (q.PropertyType == typeof(string) || q.PropertyType == typeof(string[])))
                    .Select(q => (Property: q, Name: ParameterName(q, p.ParameterType)))
                    .ToList();
                void CheckRecord(object? value, Validation v)
                {
                    if (value is null) return;
                    foreach (var (property, name) in strings) Walk(property.GetValue(value), name, json, v, depth: 0);
                }
                if (strings.Count > 0) checks.Add((i, CheckRecord));
            }
            else if (IsBody(p, services))
            {
                checks.Add((i, (value, v) => Walk(value, "", json, v, depth: 0)));
            }
        }
        if (checks.Count == 0) return next;
        return async invocation =>
        {
            var v = new Validation();
            foreach (var (index, check) in checks) check(invocation.Arguments[index], v);
            return v.IsValid ? await next(invocation) : v.Problem();
        };
    }

    /// <summary>
    /// Whether the parameter is bound from the JSON body, as minimal APIs infer it: one of the app's own records (or a list of
    /// them) that is not a service and binds from no route, query, header or form, nor by a TryParse or BindAsync of its own.
    /// </summary>
    private static bool IsBody(ParameterInfo p, IServiceProviderIsService? services)
    {
        var attributes = p.GetCustomAttributes(true);
        if (attributes.OfType<IFromBodyMetadata>().Any()) return true;
        if (attributes.Any(a => a is IFromServiceMetadata or IFromQueryMetadata or IFromRouteMetadata or IFromHeaderMetadata or IFromFormMetadata
                or AsParametersAttribute or FromKeyedServicesAttribute))
            return false;
        var type = p.ParameterType;
        var own = ElementType(type) is { } item && type != typeof(string) ? item : type;
        return own.Assembly == typeof(TextInput).Assembly && !own.IsEnum && services?.IsService(type) != true &&
               type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static) is null &&
               type.GetMethod("BindAsync", BindingFlags.Public | BindingFlags.Static) is null;
    }

    /// <summary>The name a parameter is bound by: its [FromQuery(Name = …)] (route, header) name, else its own, camel-cased as the API spells fields.</summary>
    private static string ParameterName(ICustomAttributeProvider member, Type? record = null)
    {
        var attributes = member.GetCustomAttributes(true);
        var given = attributes.OfType<IFromQueryMetadata>().Select(a => a.Name)
            .Concat(attributes.OfType<IFromRouteMetadata>().Select(a => a.Name))
            .Concat(attributes.OfType<IFromHeaderMetadata>().Select(a => a.Name))
            .FirstOrDefault(n => !string.IsNullOrEmpty(n));
        if (given is not null) return given;
        // A positional record's parameters carry the binding attributes, not its properties.
        if (member is PropertyInfo property && record is not null &&
            record.GetConstructors().SelectMany(c => c.GetParameters()).FirstOrDefault(c => c.Name == property.Name) is { } parameter &&
            parameter != member)
            return ParameterName(parameter);
        var name = member switch { ParameterInfo pi => pi.Name!, PropertyInfo pr => pr.Name, _ => "" };
        return JsonNamingPolicy.CamelCase.ConvertName(name);
    }

    /// <summary>Checks <paramref name="value"/> and what it holds; <paramref name="path"/> is its JSON path ("" for the body itself).</summary>
    private static void Walk(object? value, string path, JsonSerializerOptions json, Validation v, int depth)
    {
        if (value is null || depth > 64) return;
        switch (value)
        {
            case string s:
                if (!IsClean(s)) v.Add(Field(path), Refusal(Field(path)));
                return;
            case JsonElement element:
                WalkElement(element, path, v, depth);
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = entry.Key as string ?? Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                    if (!IsClean(key)) v.Add(Field(path), Refusal(Field(path)));
                    else Walk(entry.Value, Member(path, key), json, v, depth + 1);
                }
                return;
            case IEnumerable items:
                // A list of records or strings holds no nulls: the handler would fail on one.
                var nullable = ElementType(items.GetType()) is not { } itemType || itemType.IsValueType;
                var i = 0;
                foreach (var item in items)
                {
                    var at = $"{path}[{i++}]";
                    if (item is null && !nullable) v.Add(at, Missing(at));
                    else Walk(item, at, json, v, depth + 1);
                }
                return;
        }
        var type = value.GetType();
        // Only the app's own request records are walked: a framework type (a date, a file) holds no text of the caller's.
        if (type.Assembly != typeof(TextInput).Assembly || type.IsEnum || !json.TryGetTypeInfo(type, out var info) || info.Kind != JsonTypeInfoKind.Object)
            return;
        foreach (var property in info.Properties)
        {
            // A computed member (a getter only, bound to no constructor parameter) is not input.
            if (property.Get is null || (property.Set is null && property.AssociatedParameter is null)) continue;
            var member = Member(path, property.Name);
            var child = property.Get(value);
            if (child is null)
            {
                if (!property.PropertyType.IsValueType && !property.IsSetNullable) v.Add(member, Missing(member));
                continue;
            }
            Walk(child, member, json, v, depth + 1);
        }
    }

    private static Type? ElementType(Type list) => list.IsArray
        ? list.GetElementType()
        : list.GetInterfaces().Append(list).FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static void WalkElement(JsonElement element, string path, Validation v, int depth)
    {
        if (depth > 64) return;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                if (!IsClean(element.GetString())) v.Add(Field(path), Refusal(Field(path)));
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) WalkElement(item, $"{path}[{i++}]", v, depth + 1);
                break;
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    if (!IsClean(p.Name)) v.Add(Field(path), Refusal(Field(path)));
                    else WalkElement(p.Value, Member(path, p.Name), v, depth + 1);
                }
                break;
        }
    }

    private static string Member(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>The body itself (a list sent as the whole body) is named "body".</summary>
    private static string Field(string path) => path.Length == 0 ? "body" : path;
}

/// <summary>
/// The last guard on every save through EF Core (<see cref="TextInput"/>): a control character that no check before refused (a
/// screen's field without a rule of its own) is dropped from the text instead of failing the whole save, which PostgreSQL would
/// do for U+0000 and a screen would show as a crashed page.
/// </summary>
public sealed class TextInputGuard : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Clean(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Clean(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Clean(DbContext? db)
    {
        if (db is null) return;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            foreach (var property in entry.Properties)
                if (property.CurrentValue is string text && !TextInput.IsClean(text))
                    property.CurrentValue = TextInput.Cleaned(text);
        }
    }
}
