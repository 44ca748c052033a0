using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace KeyAccounts.Infrastructure;

/// <summary>
/// The OpenAPI document, described in one place from the endpoints themselves: names, summaries, security and the
/// problem answers come from each endpoint's handler and metadata, so a new endpoint is described without touching this file.
/// </summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "bearer";
    public const string CookieScheme = "cookie";
    private const string ProblemJson = "application/problem+json";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Auth"] = "Bearer tokens for integrations, the signed-in user and password changes.",
        ["Users"] = "The people who sign in, their roles and departments.",
        ["Departments"] = "The organisation tree that scopes what managers see.",
        ["Accounts"] = "Customer accounts: the book, their owners, sharing, hierarchy, history and transfers.",
        ["Archives"] = "Each account's archive (profile, competitors, plans) and how complete it is.",
        ["Contacts"] = "The people at an account and the relationship map between them.",
        ["Imports"] = "Bulk imports of accounts, contacts, archive scores and transactions from CSV or Excel files.",
        ["Transactions"] = "Orders, invoices, payments and quality incidents fed from the ERP, per account.",
        ["Receivables"] = "Receivables ageing, collection rates, collection plans with their instalments, invoice titles and credit exposure.",
        ["Evaluation"] = "Evaluation models, judged scores, runs and the published key-account list.",
        ["Visits"] = "Visit plans and records, coverage, tasks, follow-ups and the calendar.",
        ["Tasks"] = "Tasks of the reps, with due dates and completion.",
        ["FollowUps"] = "Follow-ups logged with a contact, and who to contact today.",
        ["Follow-ups"] = "Follow-ups logged with a contact, and who to contact today.",
        ["Calendar"] = "The calendar of visits and tasks, and its subscription feed.",
        ["Notifications"] = "The in-app inbox and the delivery channels of notifications.",
        ["Care"] = "Customer care actions, their calendar and budgets.",
        ["Complaints"] = "Complaints, their deadlines, assignment and escalation.",
        ["Surveys"] = "Satisfaction survey templates, sending, answers and results.",
        ["Quotes"] = "Price lists, quotes (报价单) priced from them with the account's policy discount, their submission and approval, and their orders.",
        ["Approvals"] = "The approval engine (审批流): flows per document type, the 待我审批 inbox, requests with their history, and approve, reject, return, add an approver, copy, withdraw.",
        ["Policies"] = "Sales policies (销售政策): versioned conditions and benefits, their coverage and simulation, and each account's terms.",
        ["Home"] = "The work-bench: the caller's tasks, contacts, visits, complaints and approvals due, and their team's figures and gaps.",
    };

    public static IServiceCollection AddKeyAccountsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.CreateSchemaReferenceId = SchemaReferenceId;
            o.AddOperationTransformer(DescribeOperationAsync);
            o.AddDocumentTransformer(DescribeDocument);
        });

    /// <summary>
    /// Nested records share short names (every use case has its own <c>Request</c>); the default id would merge them into one
    /// schema. The declaring type goes in front: <c>CreateAccount.Request</c> is <c>CreateAccountRequest</c>.
    /// </summary>
    public static string? SchemaReferenceId(JsonTypeInfo info) =>
        OpenApiOptions.CreateDefaultSchemaReferenceId(info) is null ? null : SchemaName(info.Type);

    private static string SchemaName(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) return SchemaName(type.GetElementType()!) + "Array";
        var name = type.Name;
        if (name.IndexOf('`') is var tick and >= 0) name = name[..tick];
        if (type.IsGenericType) name += "Of" + string.Join("And", type.GetGenericArguments().Select(SchemaName));
        return type.IsNested && !type.IsGenericParameter && type.DeclaringType is { } outer ? SchemaName(outer) + name : name;
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "KeyAccounts API";
        document.Info.Description = "Key account management: accounts, archives, contacts, transfers, imports. See API.md for the fixed contract. "
            + "Integrations sign in with a bearer token from POST /api/v1/auth/token; the browser UI signs in with a cookie at /account/login. "
            + "Every error is an RFC 9457 problem (application/problem+json).";
        document.Info.License ??= new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" };
        // Relative to where the document was fetched: right behind a proxy or on any host name, and never a trailing slash before the paths.
        var pathBase = context.ApplicationServices.GetService<IHttpContextAccessor>()?.HttpContext?.Request.PathBase.Value;
        document.Servers = [new OpenApiServer { Url = string.IsNullOrEmpty(pathBase) ? "/" : pathBase, Description = "This server." }];
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description)) tag.Description ??= description;

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An access token from POST /api/v1/auth/token, sent as `Authorization: Bearer <token>`.",
        };
        document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "KeyAccounts.Auth",
            Description = "The browser UI's sign-in cookie (ASP.NET Core Identity), set by signing in at /account/login. "
                + "API calls with it answer 401/403 rather than redirecting.",
        };
        document.SetReferenceHostDocument();
        return Task.CompletedTask;
    }

    private static async Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var handler = metadata.OfType<MethodInfo>().FirstOrDefault();
        var (id, summary) = Name(handler, description.HttpMethod ?? "GET", description.RelativePath ?? "");
        operation.OperationId ??= id;
        operation.Summary ??= summary;
        operation.Responses ??= new OpenApiResponses();

        var requiresAuth = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (requiresAuth)
        {
            // Either scheme signs in; an anonymous operation keeps no requirement at all.
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, context.Document)] = [] },
            ];
        }
        else operation.Security = [new OpenApiSecurityRequirement()];

        var results = ResultTypes(handler);
        var hasInput = description.ParameterDescriptions.Count > 0 || operation.RequestBody is not null;
        var hasBody = description.ParameterDescriptions.FirstOrDefault(p => p.Source.Id is "Body")?.Type;
        var takesFile = description.ParameterDescriptions.Any(p => p.Source.Id is "Form" or "FormFile")
                        || metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>().Any()
                        || operation.RequestBody?.Content?.Keys.Any(k => k.StartsWith("multipart/", StringComparison.Ordinal)) == true;

        if (hasInput) Add(operation, StatusCodes.Status400BadRequest);
        if (requiresAuth) Add(operation, StatusCodes.Status401Unauthorized);
        if (requiresAuth && (metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null || a.Roles is not null) || results.Contains(typeof(ForbidHttpResult))))
            Add(operation, StatusCodes.Status403Forbidden);
        if (description.ParameterDescriptions.Any(p => p.Source.Id is "Path")) Add(operation, StatusCodes.Status404NotFound);
        if (hasBody?.GetProperty("Version") is not null)
        {
            // The version to change comes from If-Match or the body's version; a stale one is refused.
            Add(operation, StatusCodes.Status409Conflict);
            Add(operation, StatusCodes.Status412PreconditionFailed);
        }
        if (takesFile) Add(operation, StatusCodes.Status413RequestEntityTooLarge);
        if (metadata.OfType<EnableRateLimitingAttribute>().Any()) Add(operation, StatusCodes.Status429TooManyRequests);

        if (!operation.Responses.Keys.Any(k => k.StartsWith('2')) && results.Any(IsFileResult))
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "The file.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/octet-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                },
            };

        // Every error answer is a problem document (the app's problem details middleware writes one for bare status codes too).
        foreach (var (code, response) in operation.Responses.ToList())
        {
            if (!code.StartsWith('4') || response is not OpenApiResponse r) continue;
            var schema = await ProblemSchemaAsync(context, code == "400" ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails), ct);
            r.Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = schema } };
        }
    }

    private static void Add(OpenApiOperation operation, int status)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses!.ContainsKey(key))
            operation.Responses[key] = new OpenApiResponse { Description = ReasonPhrases.GetReasonPhrase(status) };
    }

    private static async Task<IOpenApiSchema> ProblemSchemaAsync(OpenApiOperationTransformerContext context, Type type, CancellationToken ct)
    {
        var id = SchemaName(type);
        if (context.Document is not { } document) return await context.GetOrCreateSchemaAsync(type, null, ct);
        if (document.Components?.Schemas?.ContainsKey(id) != true)
            document.AddComponent(id, await context.GetOrCreateSchemaAsync(type, null, ct));
        return new OpenApiSchemaReference(id, document);
    }

    /// <summary>The result types a handler can answer with: the arms of its <c>Results&lt;…&gt;</c>, or its one result type.</summary>
    private static HashSet<Type> ResultTypes(MethodInfo? handler)
    {
        var type = handler?.ReturnType;
        if (type is { IsGenericType: true } && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
            type = type.GetGenericArguments()[0];
        if (type is null) return [];
        return type.IsGenericType && type.Namespace == typeof(Results<,>).Namespace && type.Name.StartsWith("Results`", StringComparison.Ordinal)
            ? [.. type.GetGenericArguments()]
            : [type];
    }

    private static bool IsFileResult(Type t) =>
        t == typeof(PushStreamHttpResult) || t == typeof(FileContentHttpResult) || t == typeof(FileStreamHttpResult) || t == typeof(PhysicalFileHttpResult);

    /// <summary>
    /// The operation's id and summary from its handler: <c>ListAccounts.HandleAsync</c> is <c>listAccounts</c>, "List accounts";
    /// <c>CareActions.ListAsync</c> is <c>careActionsList</c>, "Care actions: list". An inline lambda is named by its route.
    /// </summary>
    public static (string Id, string Summary) Name(MethodInfo? handler, string httpMethod, string route)
    {
        string[] words;
        string summary;
        if (handler?.DeclaringType is { } type && !type.Name.Contains('<') && !handler.Name.Contains('<'))
        {
            var method = handler.Name.EndsWith("Async", StringComparison.Ordinal) ? handler.Name[..^5] : handler.Name;
            var subject = Words(type.Name);
            var verb = method is "Handle" ? [] : Words(method);
            words = [.. subject, .. verb];
            summary = Sentence(subject) + (verb.Length > 0 ? ": " + string.Join(' ', verb).ToLowerInvariant() : "");
        }
        else
        {
            var segments = route.Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Where(s => !s.StartsWith('{') && s is not "api" && !(s.Length == 2 && s[0] == 'v' && char.IsDigit(s[1])))
                .SelectMany(s => s.Split('-', '.'));
            words = [httpMethod.ToLowerInvariant(), .. segments];
            summary = Sentence(words);
        }
        var id = string.Concat(words.Select((w, i) => i == 0 ? w.ToLowerInvariant() : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
        return (id, summary);
    }

    private static string[] Words(string pascal) =>
        System.Text.RegularExpressions.Regex.Split(pascal, "(?<=[a-z0-9])(?=[A-Z])").Where(w => w.Length > 0).ToArray();

    private static string Sentence(IEnumerable<string> words)
    {
        var text = string.Join(' ', words).ToLowerInvariant();
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }
}
