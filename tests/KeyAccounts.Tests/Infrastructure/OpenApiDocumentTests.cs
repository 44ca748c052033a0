using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyAccounts.Tests.Infrastructure;

/// <summary>The OpenAPI document checked against the endpoints the app really maps, and against Redocly's recommended rules.</summary>
[Collection(AppCollection.Name)]
public sealed partial class OpenApiDocumentTests(TestApp app)
{
    [Fact]
    public async Task Document_EveryOperation_RequestBodyAndPathParametersMatchTheHandler()
    {
        var doc = await DocumentAsync(app);
        var paths = doc.GetProperty("paths");
        var json = app.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var isService = app.Services.GetRequiredService<IServiceProviderIsService>();
        var problems = new List<string>();
        var checkedBodies = 0;

        foreach (var endpoint in ApiEndpoints(app))
        {
            var (method, path, handler, route) = endpoint;
            var name = $"{method} {path}";
            if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                problems.Add($"{name}: mapped but missing from the document");
                continue;
            }

            var documented = operation.TryGetProperty("parameters", out var ps)
                ? ps.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString()!).ToHashSet()
                : [];
            foreach (var parameter in route.Parameters.Select(p => p.Name))
                if (!documented.Contains(parameter)) problems.Add($"{name}: path parameter {parameter} is not documented");

            var body = BodyParameter(handler, isService);
            var hasBody = operation.TryGetProperty("requestBody", out var requestBody);
            if (body is null)
            {
                if (hasBody && !requestBody.GetProperty("content").EnumerateObject().Any(c => c.Name.StartsWith("multipart/", StringComparison.Ordinal)))
                    problems.Add($"{name}: documents a request body the handler does not read");
                continue;
            }
            if (!hasBody || !requestBody.GetProperty("content").TryGetProperty("application/json", out var media))
            {
                problems.Add($"{name}: the handler reads {body.Name} but the document has no JSON request body");
                continue;
            }
            var expected = json.GetTypeInfo(body).Properties.Select(p => p.Name).Order().ToList();
            var actual = SchemaProperties(doc, media.GetProperty("schema")).Order().ToList();
            if (!expected.SequenceEqual(actual))
                problems.Add($"{name}: body {body.FullName} has [{string.Join(", ", expected)}] but the document says [{string.Join(", ", actual)}]");
            checkedBodies++;
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.True(checkedBodies > 20, $"only {checkedBodies} request bodies were found: the body detection is broken");
    }

    [Fact]
    public async Task Document_RedoclyRecommendedRules_ReportNoProblems()
    {
        var root = RepositoryRoot();
        var tool = Path.Combine(root, "tools", "openapi-lint");
        var cli = Path.Combine(tool, "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(cli), $"Redocly CLI is not installed: run `npm ci --prefix tools/openapi-lint` (./test.sh does). Looked for {cli}");

        var file = Path.Combine(Path.GetTempPath(), $"ka-openapi-{Guid.NewGuid():N}.json");
        try
        {
            using (var client = app.CreateClient())
                await File.WriteAllTextAsync(file, await client.GetStringAsync("/openapi/v1.json"));
            var (exit, output, errors) = await RunAsync("node", tool, cli, "lint", file, "--config", Path.Combine(tool, "redocly.yaml"),
                "--format", "json", "--max-problems", "1000");
            var start = output.IndexOf('{');
            Assert.True(start >= 0, $"redocly exited {exit} without a report:\n{output}\n{errors}");
            using var report = JsonDocument.Parse(output[start..]);
            var problems = report.RootElement.GetProperty("problems").EnumerateArray()
                .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} at "
                             + string.Join(", ", p.GetProperty("location").EnumerateArray().Select(l => l.TryGetProperty("pointer", out var pointer) ? pointer.GetString() : "?")))
                .ToList();
            // Warnings fail too: the document is kept clean, not merely valid.
            Assert.True(exit == 0 && problems.Count == 0, $"redocly lint (exit {exit}) reports {problems.Count} problems:\n{string.Join('\n', problems)}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Document_OperationsNeedingSignIn_NameBothSchemesAndAnswer401()
    {
        var doc = await DocumentAsync(app);
        var token = doc.GetProperty("paths").GetProperty("/api/v1/auth/token").GetProperty("post");
        Assert.Equal("issueToken", token.GetProperty("operationId").GetString());
        Assert.All(token.GetProperty("security").EnumerateArray(), s => Assert.Empty(s.EnumerateObject()));

        var list = doc.GetProperty("paths").GetProperty("/api/v1/accounts").GetProperty("get");
        Assert.Equal("listAccounts", list.GetProperty("operationId").GetString());
        Assert.Equal("List accounts", list.GetProperty("summary").GetString());
        Assert.Equal(["bearer", "cookie"], list.GetProperty("security").EnumerateArray().SelectMany(s => s.EnumerateObject().Select(p => p.Name)).Order());
        Assert.True(list.GetProperty("responses").GetProperty("401").GetProperty("content").TryGetProperty("application/problem+json", out _));

        var update = doc.GetProperty("paths").GetProperty("/api/v1/contacts/{id}").GetProperty("put").GetProperty("responses");
        foreach (var status in new[] { "400", "401", "404", "412" }) Assert.True(update.TryGetProperty(status, out _), $"PUT /contacts/{{id}} lacks {status}");
    }

    internal static async Task<JsonElement> DocumentAsync(TestApp app)
    {
        using var client = app.CreateClient();
        return await (await client.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
    }

    internal sealed record ApiEndpoint(string Method, string Path, MethodInfo Handler, Microsoft.AspNetCore.Routing.Patterns.RoutePattern Route);

    /// <summary>Every API endpoint the app maps and describes, with the path the document gives it.</summary>
    internal static IEnumerable<ApiEndpoint> ApiEndpoints(TestApp app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true
                        && e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true }
                        && e.Metadata.GetMetadata<MethodInfo>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods
                .Select(m => new ApiEndpoint(m, DocumentPath(e.RoutePattern.RawText!), e.Metadata.GetMetadata<MethodInfo>()!, e.RoutePattern)));

    private static string DocumentPath(string raw)
    {
        var path = Constraint().Replace(raw, "}");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    [GeneratedRegex(@":[^}]+\}")]
    private static partial Regex Constraint();

    private static readonly HashSet<Type> Special =
    [
        typeof(HttpContext), typeof(HttpRequest), typeof(HttpResponse), typeof(CancellationToken), typeof(ClaimsPrincipal),
        typeof(IFormFile), typeof(IFormFileCollection), typeof(IFormCollection), typeof(Stream), typeof(System.IO.Pipelines.PipeReader),
    ];

    /// <summary>The parameter minimal APIs read from the JSON body: [FromBody], or a complex type that is neither a service nor bound otherwise.</summary>
    private static Type? BodyParameter(MethodInfo handler, IServiceProviderIsService isService)
    {
        foreach (var p in handler.GetParameters())
        {
            var attributes = p.GetCustomAttributes(true);
            if (attributes.OfType<IFromBodyMetadata>().Any()) return p.ParameterType;
            if (attributes.Any(a => a is IFromServiceMetadata or IFromQueryMetadata or IFromRouteMetadata or IFromHeaderMetadata or IFromFormMetadata or AsParametersAttribute
                                    or FromKeyedServicesAttribute)) continue;
            var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
            if (Special.Contains(type) || type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)) continue;
            if (type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), type.MakeByRefType()]) is not null) continue;
            if (type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(IFormatProvider), type.MakeByRefType()]) is not null) continue;
            if (type.GetMethod("BindAsync", BindingFlags.Public | BindingFlags.Static) is not null) continue;
            if (isService.IsService(p.ParameterType)) continue;
            return p.ParameterType;
        }
        return null;
    }

    private static IEnumerable<string> SchemaProperties(JsonElement doc, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/').Last();
            schema = doc.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        return schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name) : [];
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KeyAccounts.slnx"))) return dir.FullName;
        throw new InvalidOperationException("KeyAccounts.slnx not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string file, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
