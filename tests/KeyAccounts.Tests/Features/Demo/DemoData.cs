using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using KeyAccounts.Data;
using KeyAccounts.Features.Demo;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Demo;

/// <summary>Demo and generated data go into a database of their own, so they never change what the other tests count.</summary>
[CollectionDefinition(Name)]
public sealed class DemoDataCollection : ICollectionFixture<TestApp>
{
    public const string Name = "demo-data";
}

public static class DemoData
{
    public const int GeneratedAccounts = 2_000;
    private static Task? generated;
    private static readonly Lock Gate = new();

    /// <summary>Generates the small data set once per test run; every test of the collection reads it.</summary>
    public static Task EnsureGeneratedAsync(TestApp app)
    {
        lock (Gate)
            return generated ??= GenerateAsync(app);
    }

    private static async Task GenerateAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await GenerateAccounts.GenerateAsync(scope.ServiceProvider.GetRequiredService<AppDb>(), GeneratedAccounts, 3, null, CancellationToken.None);
    }

    public static async Task<HttpClient> ClientAsync(TestApp app, string userName, string password)
    {
        using var anonymous = app.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { userName, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
