using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace KeyAccounts.Infrastructure.Auth;

/// <summary>Marker for the sign-in strings (Resources/Infrastructure/Auth/AuthText.*.resx).</summary>
public sealed class AuthText;

/// <summary>How many sign-in attempts (token requests and sign-in form posts) are allowed per window, configured under <c>SignInLimits</c>.</summary>
public sealed class SignInLimitOptions
{
    /// <summary>Attempts per client address and window (behind a proxy, the proxy's address unless forwarded headers are configured).</summary>
    public int PerAddress { get; set; } = 30;

    /// <summary>Attempts per user name and window, from any address.</summary>
    public int PerUserName { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Rate limits on signing in, with ASP.NET Core's rate limiter: per client address (the endpoints' policy <see cref="Policy"/>) and
/// per user name (a global limiter that applies only to the endpoints with that policy). Only POSTs count: the form's page itself is
/// free. A refused attempt gets 429 with Retry-After and a problem body.
/// </summary>
public static class SignInLimits
{
    public const string Policy = "sign-in";

    private const string UserNameItem = "KeyAccounts.SignInUserName";
    private const int MaxBodyRead = 16 * 1024;

    public static IServiceCollection AddKeyAccountsSignInLimits(this IServiceCollection services, IConfiguration configuration)
    {
        // The test suite signs in many times from one address; its limiter tests configure their own low limits.
        services.AddOptions<SignInLimitOptions>()
            .Configure<IHostEnvironment>((o, env) =>
            {
                if (env.IsEnvironment("Testing")) o.PerAddress = o.PerUserName = 1_000_000;
            })
            .Bind(configuration.GetSection("SignInLimits"));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
            // A partition is found by its key alone: the free one's key is never a limited one's.
            o.AddPolicy(Policy, http => !HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetNoLimiter("free")
                : RateLimitPartition.GetFixedWindowLimiter("address:" + http.Connection.RemoteIpAddress, _ => Window(http, l => l.PerAddress)));
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Items[UserNameItem] is string userName
                    ? RateLimitPartition.GetFixedWindowLimiter("user:" + userName, _ => Window(http, l => l.PerUserName))
                    : RateLimitPartition.GetNoLimiter("free"));
        });
        return services;
    }

    /// <summary>Reads the user name of a sign-in attempt for the per-user-name limit, then applies the limits.</summary>
    public static IApplicationBuilder UseSignInLimits(this IApplicationBuilder app)
    {
        app.Use(async (http, next) =>
        {
            if (HttpMethods.IsPost(http.Request.Method) && http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Policy
                && await UserNameAsync(http.Request) is { Length: > 0 } userName)
                http.Items[UserNameItem] = userName.Trim().ToUpperInvariant();
            await next(http);
        });
        app.UseRateLimiter();
        return app;
    }

    private static FixedWindowRateLimiterOptions Window(HttpContext http, Func<SignInLimitOptions, int> permits)
    {
        var limits = http.RequestServices.GetRequiredService<IOptions<SignInLimitOptions>>().Value;
        return new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, permits(limits)), Window = limits.Window, QueueLimit = 0, AutoReplenishment = true };
    }

    private static async Task<string?> UserNameAsync(HttpRequest request)
    {
        // The sign-in form's field, or the token request's JSON property.
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            return form["Input.UserName"].ToString();
        }
        if (request.HasJsonContentType() && request.ContentLength is null or <= MaxBodyRead)
        {
            request.EnableBuffering(MaxBodyRead);
            try
            {
                using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
                if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
                foreach (var property in doc.RootElement.EnumerateObject())
                    if (string.Equals(property.Name, "userName", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                        return property.Value.GetString();
                return null;
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                return null; // the endpoint answers malformed bodies itself
            }
            finally
            {
                request.Body.Position = 0;
            }
        }
        return null;
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
            ? after
            : http.RequestServices.GetRequiredService<IOptions<SignInLimitOptions>>().Value.Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var text = http.RequestServices.GetRequiredService<IStringLocalizer<AuthText>>();
        await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: text["Too many sign-in attempts"],
            detail: text["Try again in {0} seconds.", seconds]).ExecuteAsync(http);
    }
}
