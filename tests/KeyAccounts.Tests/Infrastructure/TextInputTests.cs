using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyAccounts.Tests.Infrastructure;

/// <summary>
/// A control character (U+0000 above all, which PostgreSQL refuses in text) in anything the API is sent answers 400 naming the
/// field and writes nothing; a body without a required list answers 400 naming it; malformed JSON answers 4xx with a problem.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TextInputTests(TestApp app)
{
    private const string Hostile = "a\u0000b";

    private static readonly string[] Users = ["admin", "leader", "manager", "finance", "rep", "engineer"];

    private JsonSerializerOptions ApiJson => app.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

    private List<RouteEndpoint> ApiEndpoints() => app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
        .ToList();

    private static string Method(RouteEndpoint e) => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";

    /// <summary>The route with a made-up value in each parameter (an id that need not exist: the check answers before the handler).</summary>
    private static string Url(RouteEndpoint e) => "/" + string.Join("/", e.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
    {
        Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
        Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart s2 => s2.Content,
        Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart p2 => p2.ParameterPolicies.Any(x => x.Content is "long" or "int") ? "1" : "x",
        _ => "",
    }))));

    /// <summary>A JSON value of <paramref name="type"/> with every member filled, and the JSON paths of its strings.</summary>
    private JsonNode? Sample(Type type, string path, List<string> strings, int depth = 0)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) { strings.Add(path); return JsonValue.Create("x"); }
        if (type == typeof(bool)) return JsonValue.Create(true);
        if (type == typeof(DateOnly)) return JsonValue.Create("2026-01-15");
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return JsonValue.Create("2026-01-15T00:00:00Z");
        if (type == typeof(TimeOnly)) return JsonValue.Create("09:00:00");
        if (type.IsEnum) return JsonValue.Create(Enum.GetNames(type)[0]);
        if (type.IsPrimitive || type == typeof(decimal)) return JsonValue.Create(1);
        if (depth > 6) return null;
        var info = ApiJson.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Enumerable:
                return new JsonArray(Sample(info.ElementType!, $"{path}[0]", strings, depth + 1));
            case JsonTypeInfoKind.Dictionary:
                return new JsonObject { ["k"] = Sample(info.ElementType!, $"{path}.k", strings, depth + 1) };
            case JsonTypeInfoKind.Object:
                var o = new JsonObject();
                foreach (var p in info.Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null))
                    o[p.Name] = Sample(p.PropertyType, path.Length == 0 ? p.Name : $"{path}.{p.Name}", strings, depth + 1);
                return o;
            default:
                return JsonValue.Create("x");
        }
    }

    private static JsonNode WithHostile(JsonNode body, string path)
    {
        var copy = body.DeepClone();
        JsonNode node = copy;
        var steps = path.Replace("[", ".[").Split('.', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < steps.Length - 1; i++)
            node = steps[i].StartsWith('[') ? node[int.Parse(steps[i][1..^1])]! : node[steps[i]]!;
        var last = steps[^1];
        if (last.StartsWith('[')) node[int.Parse(last[1..^1])] = Hostile;
        else node[last] = Hostile;
        return copy;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, string method, string url, JsonNode? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private static bool Names(JsonElement body, string field) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("errors", out var errors) &&
        errors.EnumerateObject().Any(e => string.Equals(e.Name, field, StringComparison.OrdinalIgnoreCase));

    private async Task<int> WrittenAsync()
    {
        await using var db = app.Db();
        return await db.AuditEntries.CountAsync();
    }

    /// <summary>
    /// Every endpoint of the API that takes a JSON body: each string in it, at any depth, set to U+0000 in turn (the other members
    /// filled) answers 400 naming the field by its JSON path, for the first user the endpoint lets in; nothing is written.
    /// </summary>
    [Fact]
    public async Task EveryJsonBody_ControlCharacterInEachStringField_400NamingTheFieldAndNothingWritten()
    {
        var before = await WrittenAsync();
        var clients = new Dictionary<string, HttpClient>();
        foreach (var user in Users) clients[user] = await app.ClientAsync(user);
        var checkedFields = new List<string>();
        var failures = new List<string>();
        foreach (var endpoint in ApiEndpoints())
        {
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            if (accepts?.RequestType is not { } type || !accepts.ContentTypes.Any(c => c.Contains("json"))) continue;
            var strings = new List<string>();
            var sample = Sample(type, "", strings) ?? new JsonObject();
            foreach (var field in strings)
            {
                var expected = field.Length == 0 ? "body" : field;
                var answered = false;
                foreach (var user in Users)
                {
                    var (status, body) = await SendAsync(clients[user], Method(endpoint), Url(endpoint), field.Length == 0 ? JsonValue.Create(Hostile) : WithHostile(sample, field));
                    if (status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized) continue;
                    answered = true;
                    if (status != HttpStatusCode.BadRequest || !Names(body, expected))
                        failures.Add($"{Method(endpoint)} {endpoint.RoutePattern.RawText} {expected}: {(int)status} {body}");
                    break;
                }
                if (answered) checkedFields.Add($"{endpoint.RoutePattern.RawText} {expected}");
            }
        }
        foreach (var c in clients.Values) c.Dispose();

        Assert.Empty(failures);
        // A representative set is among them: accounts, contacts, visits, complaints, archives, care budgets.
        Assert.Contains("/api/v1/accounts/ name", checkedFields);
        Assert.Contains(checkedFields, f => f.StartsWith("/api/v1/accounts/{id:long} ", StringComparison.Ordinal));
        Assert.Contains(checkedFields, f => f.StartsWith("/api/v1/accounts/{id:long}/contacts ", StringComparison.Ordinal));
        Assert.Contains(checkedFields, f => f.StartsWith("/api/v1/contacts/{id:long} ", StringComparison.Ordinal));
        Assert.Contains(checkedFields, f => f.StartsWith("/api/v1/visits", StringComparison.Ordinal));
        Assert.Contains(checkedFields, f => f.StartsWith("/api/v1/complaints", StringComparison.Ordinal));
        Assert.Contains(checkedFields, f => f.Contains("archive", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(before, await WrittenAsync());
    }

    /// <summary>Every string query parameter of the API (plain or in an [AsParameters] record), U+0000 in turn: 400 naming it.</summary>
    [Fact]
    public async Task EveryStringQueryParameter_ControlCharacter_400NamingTheParameter()
    {
        using var admin = await app.ClientAsync("admin");
        var failures = new List<string>();
        var checkedParameters = new List<string>();
        foreach (var endpoint in ApiEndpoints())
        {
            var method = endpoint.Metadata.GetMetadata<MethodInfo>();
            if (method is null || Method(endpoint) != "GET") continue;
            var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var names = new List<string>();
            foreach (var p in method.GetParameters())
            {
                if (p.ParameterType == typeof(string) && !routeNames.Contains(p.Name!)) names.Add(JsonNamingPolicy.CamelCase.ConvertName(p.Name!));
                else if (p.GetCustomAttribute<AsParametersAttribute>() is not null)
                    names.AddRange(p.ParameterType.GetProperties().Where(q => q.PropertyType == typeof(string) && !routeNames.Contains(q.Name))
                        .Select(q => JsonNamingPolicy.CamelCase.ConvertName(q.Name)));
            }
            foreach (var name in names)
            {
                var (status, body) = await SendAsync(admin, "GET", $"{Url(endpoint)}?{name}={Uri.EscapeDataString(Hostile)}", null);
                if (status is HttpStatusCode.Forbidden) continue;
                checkedParameters.Add($"{endpoint.RoutePattern.RawText}?{name}");
                if (status != HttpStatusCode.BadRequest || !Names(body, name))
                    failures.Add($"{endpoint.RoutePattern.RawText}?{name}: {(int)status} {body}");
            }
        }

        Assert.Empty(failures);
        Assert.Contains("/api/v1/accounts/?search", checkedParameters);
        Assert.Contains("/api/v1/contacts?search", checkedParameters);
    }

    [Fact]
    public async Task CreateAccount_NulInName_400NamingNameAndNoAccount()
    {
        using var rep = await app.ClientAsync("rep");
        var code = TestApp.Unique("NUL");

        var body = await (await rep.PostJsonAsync("/api/v1/accounts", new { code, name = "宁波\u0000精工", type = "Customer" })).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(Names(body, "name"), body.ToString());
        await using var db = app.Db();
        Assert.False(await db.Accounts.AnyAsync(a => a.Code == code));
    }

    [Fact]
    public async Task SearchAccountsAndContacts_NulInSearch_400NamingSearch()
    {
        using var rep = await app.ClientAsync("rep");
        foreach (var url in new[] { "/api/v1/accounts?search=", "/api/v1/contacts?search=" })
        {
            var body = await (await rep.GetAsync(url + "ab%00c")).ExpectAsync(HttpStatusCode.BadRequest);
            Assert.True(Names(body, "search"), body.ToString());
        }
    }

    [Fact]
    public async Task CreateAccount_OtherControlCharacter_400ButTabAndNewlineAccepted()
    {
        using var rep = await app.ClientAsync("rep");
        var refused = await (await rep.PostJsonAsync("/api/v1/accounts", new { code = TestApp.Unique("BEL"), name = "宁波\u0007精工", type = "Customer" }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(Names(refused, "name"));
        await (await rep.PostJsonAsync("/api/v1/accounts", new { code = TestApp.Unique("TAB"), name = TestApp.Unique("宁波精工\t有限公司"), type = "Customer", industry = "机械\r\n制造" }))
            .ExpectAsync(HttpStatusCode.Created);
    }

    /// <summary>A screen calls the use case in process: the same refusal comes back as a validation problem it shows beside the field.</summary>
    [Fact]
    public async Task CreateAccountUseCase_NulInName_ValidationProblemNamingName()
    {
        await using var db = app.Db();
        var user = TestApp.As(app.UserIds["rep"], "rep", Roles.Rep);
        var code = TestApp.Unique("UI");

        var result = await CreateAccount.HandleAsync(new CreateAccount.Request(code, "宁波\u0000精工", AccountType.Customer), db, user, TimeProvider.System, CancellationToken.None);

        var problem = Assert.IsType<ValidationProblem>(result.Result);
        Assert.Contains("name", problem.ProblemDetails.Errors.Keys);
        Assert.False(await db.Accounts.AnyAsync(a => a.Code == code));
    }

    /// <summary>The last guard: a save that no rule checked keeps the text without its control characters instead of failing (PostgreSQL refuses U+0000).</summary>
    [Fact]
    public async Task SaveChanges_NulInAnUncheckedText_SavedWithoutIt()
    {
        await using var db = app.Db();
        var name = TestApp.Unique("部门");
        var department = new Department { Name = name + "\u0000X", ParentId = app.CompanyId };
        db.Departments.Add(department);

        await db.SaveChangesAsync();

        await using var read = app.Db();
        Assert.Equal(name + "X", (await read.Departments.SingleAsync(d => d.Id == department.Id)).Name);
    }

    [Fact]
    public async Task PutCareBudgets_WithoutItems_400NamingItems()
    {
        using var admin = await app.ClientAsync("admin");

        var body = await (await admin.PutJsonAsync("/api/v1/care/budgets", new { year = 2030 })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(Names(body, "items"), body.ToString());

        var explicitNull = await (await admin.PutJsonAsync("/api/v1/care/budgets", new { year = 2030, items = (object?)null })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(Names(explicitNull, "items"), explicitNull.ToString());

        var nullItem = await (await admin.PutJsonAsync("/api/v1/care/budgets", new { year = 2030, items = new object?[] { null } })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(Names(nullItem, "items[0]"), nullItem.ToString());
    }

    /// <summary>Every JSON body of the API without any member at all: never a 5xx (a required list or object missing is a 400).</summary>
    [Fact]
    public async Task EveryJsonBody_EmptyObject_NeverA5xx()
    {
        using var admin = await app.ClientAsync("admin");
        var failures = new List<string>();
        foreach (var endpoint in ApiEndpoints())
        {
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            if (accepts?.RequestType is not { } type || !accepts.ContentTypes.Any(c => c.Contains("json"))) continue;
            var info = ApiJson.GetTypeInfo(type);
            JsonNode empty = info.Kind == JsonTypeInfoKind.Enumerable ? new JsonArray(new JsonObject()) : new JsonObject();
            var (status, body) = await SendAsync(admin, Method(endpoint), Url(endpoint), empty);
            if ((int)status >= 500) failures.Add($"{Method(endpoint)} {endpoint.RoutePattern.RawText}: {(int)status} {body}");
        }
        Assert.Empty(failures);
    }

    /// <summary>
    /// Every JSON body of the API, every member at any depth in turn left out or sent as null (the others filled): never a 5xx.
    /// A required list or record missing is refused naming it; an optional one is the handler's to judge.
    /// </summary>
    [Fact]
    public async Task EveryJsonBody_EachMemberMissingOrNull_NeverA5xx()
    {
        using var admin = await app.ClientAsync("admin");
        var failures = new List<string>();
        foreach (var endpoint in ApiEndpoints())
        {
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            if (accepts?.RequestType is not { } type || !accepts.ContentTypes.Any(c => c.Contains("json"))) continue;
            var sample = Sample(type, "", []) ?? new JsonObject();
            foreach (var (parent, name) in Members(sample))
                foreach (var missing in new[] { true, false })
                {
                    var copy = sample.DeepClone();
                    var holder = Find(copy, parent);
                    if (missing) holder.Remove(name);
                    else holder[name] = null;
                    var (status, body) = await SendAsync(admin, Method(endpoint), Url(endpoint), copy);
                    if ((int)status >= 500) failures.Add($"{Method(endpoint)} {endpoint.RoutePattern.RawText} {parent}.{name} {(missing ? "missing" : "null")}: {(int)status} {body}");
                }
        }
        Assert.Empty(failures);
    }

    /// <summary>The members of every object in <paramref name="node"/>: the path of the object holding each (as indexes and names) and its name.</summary>
    private static IEnumerable<(string Parent, string Name)> Members(JsonNode node, string path = "")
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    yield return (path, name);
                    if (child is not null)
                        foreach (var m in Members(child, $"{path}/{name}")) yield return m;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (a[i] is { } item)
                        foreach (var m in Members(item, $"{path}/#{i}")) yield return m;
                break;
        }
    }

    private static JsonObject Find(JsonNode root, string path)
    {
        var node = root;
        foreach (var step in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            node = step.StartsWith('#') ? node[int.Parse(step[1..])]! : node[step]!;
        return node.AsObject();
    }

    /// <summary>Every JSON body of the API sent as broken JSON: a 400 problem, never a 5xx.</summary>
    [Fact]
    public async Task EveryJsonBody_BrokenJson_400Problem()
    {
        using var admin = await app.ClientAsync("admin");
        var failures = new List<string>();
        foreach (var endpoint in ApiEndpoints())
        {
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            if (accepts?.RequestType is null || !accepts.ContentTypes.Any(c => c.Contains("json"))) continue;
            using var request = new HttpRequestMessage(new HttpMethod(Method(endpoint)), Url(endpoint))
            {
                Content = new StringContent("{\"a\": [1,", Encoding.UTF8, "application/json"),
            };
            using var response = await admin.SendAsync(request);
            if (response.StatusCode is HttpStatusCode.Forbidden) continue;
            if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{Method(endpoint)} {endpoint.RoutePattern.RawText}: {(int)response.StatusCode} {response.Content.Headers.ContentType}");
        }
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"year\": \"abc\", \"items\": []}")]
    [InlineData("{\"year\": 2030, \"items\": [{\"tier\": \"Nope\", \"amount\": 1}]}")]
    [InlineData("{\"year\": 2030, \"items\": {\"tier\": \"Key\"}}")]
    [InlineData("[1, 2]")]
    public async Task PutCareBudgets_MalformedJson_400ProblemDetails(string json)
    {
        using var admin = await app.ClientAsync("admin");
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await admin.PutAsync("/api/v1/care/budgets", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, body.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("a\u0000", false)]
    [InlineData("a\u001f", false)]
    [InlineData("a\u007f", false)]
    [InlineData("a\u0085", false)]
    [InlineData("a\tb\r\nc", true)]
    [InlineData("宁波精工", true)]
    public void IsClean_ControlCharactersButTabAndNewline_Refused(string text, bool clean) => Assert.Equal(clean, TextInput.IsClean(text));
}
