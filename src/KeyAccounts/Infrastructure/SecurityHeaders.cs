using System.Security.Cryptography;

namespace KeyAccounts.Infrastructure;

/// <summary>
/// Response headers that keep pages and API answers from being sniffed, framed or leaking their address, and a Content Security
/// Policy as strict as Blazor Server with MudBlazor allows: scripts only from the app itself (the one inline script, Blazor's import
/// map, carries the request's nonce), styles from the app plus inline style attributes (MudBlazor sets them), the circuit's
/// WebSocket to the same origin, images from the app or data: URLs, and no framing.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceItem = "KeyAccounts.CspNonce";

    public static string Policy(string nonce, bool inlineScripts = false) => string.Join("; ",
        "default-src 'self'",
        // The API reference page (Scalar) starts itself with an inline module script; it shows no data of the app's users.
        inlineScripts ? "script-src 'self' 'unsafe-inline'" : $"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'");

    /// <summary>The nonce of this request's policy, for the inline scripts the app renders itself.</summary>
    public static string? Nonce(HttpContext? http) => http?.Items[NonceItem] as string;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        // Hex, not base64: the page writes it into an attribute, where Razor would encode a "+".
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        http.Items[NonceItem] = nonce;
        // Set when the response starts: the exception handler clears the headers set before it.
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = Policy(nonce, http.Request.Path.StartsWithSegments("/api-reference"));
            return Task.CompletedTask;
        });
        await next(http);
    });

    /// <summary>Whether <paramref name="url"/> is a path on this site (not "//host", "/\host" or an absolute address).</summary>
    public static bool IsLocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);
}
