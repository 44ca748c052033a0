using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace KeyAccounts.Tests.Infrastructure;

public static class HttpAssertions
{
    public static async Task<JsonElement> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {status}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<T> ExpectAsync<T>(this HttpResponseMessage response, HttpStatusCode status)
    {
        var json = await response.ExpectAsync(status);
        return json.Deserialize<T>(TestApp.Json)!;
    }

    public static Task<HttpResponseMessage> PutJsonAsync<T>(this HttpClient client, string url, T body) => client.PutAsJsonAsync(url, body, TestApp.Json);

    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string url, T body) => client.PostAsJsonAsync(url, body, TestApp.Json);
}
