using System.Net;
using System.Text.RegularExpressions;

namespace KeyAccounts.Tests.Infrastructure;

/// <summary>The sign-in form as a browser posts it: its page first (the antiforgery token and cookie), then the form.</summary>
public static partial class SignInForm
{
    /// <summary>Posts the form with <paramref name="client"/> (which must keep cookies); a success answers 302 with the auth cookie.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string userName, string password)
    {
        var page = await client.GetStringAsync("/account/login");
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>The error the form shows, or null.</summary>
    public static async Task<string?> ErrorAsync(HttpResponseMessage response)
    {
        var match = LoginError().Match(await response.Content.ReadAsStringAsync());
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("data-testid=\"login-error\"[^>]*>([^<]*)<")]
    private static partial Regex LoginError();
}
