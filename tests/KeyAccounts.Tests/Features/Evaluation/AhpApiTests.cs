using System.Net;
using KeyAccounts.Tests.Analytics;
using KeyAccounts.Tests.Infrastructure;

namespace KeyAccounts.Tests.Features.Evaluation;

[Collection(AppCollection.Name)]
public sealed class AhpApiTests(TestApp app)
{
    private static readonly string[] Drinks = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"];

    [Fact]
    public async Task Ahp_SaatyDrinkExample_ReturnsPublishedWeightsAndConsistency()
    {
        using var client = await app.ClientAsync("rep");
        var body = await (await client.PostJsonAsync("/api/v1/evaluation/ahp", new { criteria = Drinks, matrix = AhpTests.Drinks })).ExpectAsync(HttpStatusCode.OK);
        var weights = body.GetProperty("weights");
        Assert.Equal(0.327, Math.Round(weights.GetProperty("water").GetDouble(), 3));
        Assert.Equal(0.019, Math.Round(weights.GetProperty("wine").GetDouble(), 3));
        Assert.Equal(7.18, Math.Round(body.GetProperty("lambdaMax").GetDouble(), 2));
        Assert.Equal(0.022, Math.Round(body.GetProperty("consistencyRatio").GetDouble(), 3));
        Assert.True(body.GetProperty("isConsistent").GetBoolean());
        Assert.True(body.TryGetProperty("consistencyIndex", out _));
    }

    [Theory]
    [InlineData(19.0)]
    [InlineData(0.05)]
    public async Task Ahp_JudgementOutsideSaatysScale_Returns400NamingThePair(double judgement)
    {
        using var client = await app.ClientAsync("rep");
        var body = await (await client.PostJsonAsync("/api/v1/evaluation/ahp", new { criteria = new[] { "revenue", "growth" }, matrix = new[] { new[] { 1.0, judgement }, new[] { 1 / judgement, 1 } } }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        var message = body.GetProperty("errors").GetProperty("matrix[0][1]")[0].GetString()!;
        Assert.Contains("revenue vs growth", message);
        Assert.Contains("1/9 to 9", message);
    }

    [Fact]
    public async Task Ahp_NotReciprocal_Returns400NamingTheCell()
    {
        using var client = await app.ClientAsync("rep");
        var body = await (await client.PostJsonAsync("/api/v1/evaluation/ahp", new { criteria = new[] { "a", "b", "c" }, matrix = new[] { new[] { 1.0, 3, 5 }, new[] { 1 / 3.0, 1, 2 }, new[] { 5.0, 0.5, 1 } } }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        var message = body.GetProperty("errors").GetProperty("matrix[2][0]")[0].GetString()!;
        Assert.Contains("(3,1)", message);
        Assert.Contains("reciprocal", message);
    }

    [Fact]
    public async Task Ahp_ZeroOrNegative_Returns400NamingTheCell()
    {
        using var client = await app.ClientAsync("rep");
        var body = await (await client.PostJsonAsync("/api/v1/evaluation/ahp", new { criteria = new[] { "a", "b" }, matrix = new[] { new[] { 1.0, 0 }, new[] { -1.0, 1 } } }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        var errors = body.GetProperty("errors");
        Assert.Contains("positive", errors.GetProperty("matrix[0][1]")[0].GetString());
        Assert.Contains("(2,1)", errors.GetProperty("matrix[1][0]")[0].GetString());
    }

    [Fact]
    public async Task Ahp_NotSquare_Returns400NamingTheRow()
    {
        using var client = await app.ClientAsync("rep");
        var body = await (await client.PostJsonAsync("/api/v1/evaluation/ahp", new { criteria = new[] { "a", "b" }, matrix = new[] { new[] { 1.0, 2 }, new[] { 0.5 } } }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Row 2", body.GetProperty("errors").GetProperty("matrix[1][1]")[0].GetString());
    }

    [Fact]
    public async Task Ahp_Anonymous_Returns401()
    {
        using var client = app.CreateClient();
        var response = await client.PostJsonAsync("/api/v1/evaluation/ahp", new { criteria = new[] { "a" }, matrix = new[] { new[] { 1.0 } } });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
