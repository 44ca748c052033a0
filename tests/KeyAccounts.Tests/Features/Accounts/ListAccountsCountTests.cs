using System.Net;
using System.Text.Json;
using KeyAccounts.Analytics;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Demo;
using KeyAccounts.Infrastructure;
using KeyAccounts.Tests.Features.Demo;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Accounts;

/// <summary>The account list counts up to <see cref="ListAccounts.CountLimit"/> matches and says "at least" past it; paging goes on.</summary>
[Collection(DemoDataCollection.Name)]
public sealed class ListAccountsCountTests(TestApp app)
{
    private static async Task<JsonElement> PageAsync(HttpClient client, string query) =>
        await (await client.GetAsync($"/api/v1/accounts?{query}")).ExpectAsync(HttpStatusCode.OK);

    private static bool IsEstimate(JsonElement page) => page.TryGetProperty("totalIsEstimate", out var e) && e.GetBoolean();

    private static List<string> Codes(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()!).ToList();

    /// <summary>1,050 accounts of one generated rep (so inside gen-manager-20's department) in an industry of their own.</summary>
    private async Task<string> SeedBookPastTheLimitAsync()
    {
        await DemoData.EnsureGeneratedAsync(app);
        var industry = TestApp.Unique("计数行业");
        await using var db = app.Db();
        var owner = await db.Users.Where(u => u.UserName == "gen-rep-200").Select(u => u.Id).SingleAsync();
        var prefix = TestApp.Unique("CNT");
        var now = DateTime.UtcNow;
        for (var i = 0; i < ListAccounts.CountLimit + 50; i++)
        {
            var name = $"{industry}计数{i:D4}有限公司";
            db.Accounts.Add(new Account
            {
                Code = $"{prefix}{i:D4}",
                Name = name,
                NormalizedName = CompanyName.Normalize(name),
                NameInitials = PinyinInitials.Of(name),
                Industry = industry,
                OwnerId = owner,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }
        await db.SaveChangesAsync();
        return industry;
    }

    [Fact]
    public async Task List_MoreMatchesThanTheLimit_TotalIsTheLimitAndAnEstimate()
    {
        await DemoData.EnsureGeneratedAsync(app);
        using var admin = await app.ClientAsync("admin");

        var page = await PageAsync(admin, "pageSize=50");

        Assert.Equal(ListAccounts.CountLimit, page.GetProperty("total").GetInt32());
        Assert.True(IsEstimate(page));
        Assert.Equal(50, page.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task List_ExactlyTheLimitMatches_TotalIsExact()
    {
        await DemoData.EnsureGeneratedAsync(app);
        await using var db = app.Db();
        Assert.Equal(ListAccounts.CountLimit, await db.Accounts.CountAsync(a => a.Code.StartsWith("G0001")));
        using var admin = await app.ClientAsync("admin");

        var page = await PageAsync(admin, "search=G0001&pageSize=50");

        Assert.Equal(ListAccounts.CountLimit, page.GetProperty("total").GetInt32());
        Assert.False(page.TryGetProperty("totalIsEstimate", out _));
    }

    [Fact]
    public async Task List_PagePastTheLimit_ContinuesTheOrderAndStaysAnEstimate()
    {
        await DemoData.EnsureGeneratedAsync(app);
        await using var db = app.Db();
        var expected = await db.Accounts.OrderBy(a => a.Code).Select(a => a.Code).Skip(ListAccounts.CountLimit - 100).Take(200).ToListAsync();
        using var admin = await app.ClientAsync("admin");
        var pageAtLimit = ListAccounts.CountLimit / 100;

        var atLimit = await PageAsync(admin, $"sort=Code&pageSize=100&page={pageAtLimit}");
        var pastLimit = await PageAsync(admin, $"sort=Code&pageSize=100&page={pageAtLimit + 1}");

        Assert.Equal(expected, Codes(atLimit).Concat(Codes(pastLimit)));
        Assert.Equal(ListAccounts.CountLimit, atLimit.GetProperty("total").GetInt32());
        Assert.True(IsEstimate(atLimit));
        Assert.Equal(ListAccounts.CountLimit + 100, pastLimit.GetProperty("total").GetInt32());
        Assert.True(IsEstimate(pastLimit));
    }

    [Fact]
    public async Task List_LastPagePastTheLimit_TellsTheExactTotal()
    {
        await DemoData.EnsureGeneratedAsync(app);
        await using var db = app.Db();
        var count = await db.Accounts.CountAsync();
        var size = Enumerable.Range(400, 100).First(s => count % s != 0);
        using var admin = await app.ClientAsync("admin");

        var last = await PageAsync(admin, $"sort=Code&pageSize={size}&page={count / size + 1}");

        Assert.Equal(count, last.GetProperty("total").GetInt32());
        Assert.False(IsEstimate(last));
        Assert.Equal(count % size, last.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task List_ManagersBookPastTheLimit_CountsToTheLimitThenPagesToTheExactEnd()
    {
        var industry = Uri.EscapeDataString(await SeedBookPastTheLimitAsync());
        using var manager = await DemoData.ClientAsync(app, "gen-manager-20", GenerateAccounts.Password);
        using var otherManager = await DemoData.ClientAsync(app, "gen-manager-01", GenerateAccounts.Password);

        var first = await PageAsync(manager, $"industry={industry}&pageSize=100");
        var tenth = await PageAsync(manager, $"industry={industry}&pageSize=100&page=10");
        var last = await PageAsync(manager, $"industry={industry}&pageSize=100&page=11");
        var foreign = await PageAsync(otherManager, $"industry={industry}&pageSize=100");

        Assert.Equal(ListAccounts.CountLimit, first.GetProperty("total").GetInt32());
        Assert.True(IsEstimate(first));
        Assert.Equal(ListAccounts.CountLimit, tenth.GetProperty("total").GetInt32());
        Assert.True(IsEstimate(tenth));
        Assert.Equal(ListAccounts.CountLimit + 50, last.GetProperty("total").GetInt32());
        Assert.False(IsEstimate(last));
        Assert.Equal(50, last.GetProperty("items").GetArrayLength());
        Assert.Equal(0, foreign.GetProperty("total").GetInt32());
    }

    /// <summary>
    /// A search inside a book is not counted (it would read on through the whole book): a full page says "at least one more", the
    /// last page tells the exact total. The same search company-wide goes through the trigram index and is counted to the limit.
    /// </summary>
    [Fact]
    public async Task Search_InsideABook_FullPagesAreALowerBound_CompanyWideIsCounted()
    {
        var industry = await SeedBookPastTheLimitAsync();
        var search = Uri.EscapeDataString(industry + "计数");
        using var manager = await DemoData.ClientAsync(app, "gen-manager-20", GenerateAccounts.Password);
        using var rep = await DemoData.ClientAsync(app, "gen-rep-200", GenerateAccounts.Password);
        using var admin = await app.ClientAsync("admin");

        var managersFirst = await PageAsync(manager, $"search={search}&pageSize=100");
        var managersLast = await PageAsync(manager, $"search={search}&pageSize=100&page=11");
        var repsFirst = await PageAsync(rep, $"search={search}&pageSize=100");
        var adminsFirst = await PageAsync(admin, $"search={search}&pageSize=100");
        var managersPastTheEnd = await PageAsync(manager, $"search={search}&pageSize=100&page=12");
        var adminsPastTheEnd = await PageAsync(admin, $"search={search}&pageSize=100&page=30");

        Assert.Equal(101, managersFirst.GetProperty("total").GetInt32());
        Assert.True(IsEstimate(managersFirst));
        Assert.Equal(100, managersFirst.GetProperty("items").GetArrayLength());
        Assert.Equal(ListAccounts.CountLimit + 50, managersLast.GetProperty("total").GetInt32());
        Assert.False(IsEstimate(managersLast));
        Assert.Equal(50, managersLast.GetProperty("items").GetArrayLength());
        Assert.Equal(101, repsFirst.GetProperty("total").GetInt32());
        Assert.True(IsEstimate(repsFirst));
        Assert.Equal(Codes(managersFirst), Codes(repsFirst));
        Assert.Equal(ListAccounts.CountLimit, adminsFirst.GetProperty("total").GetInt32());
        Assert.True(IsEstimate(adminsFirst));
        Assert.Equal(Codes(managersFirst), Codes(adminsFirst));
        // A page past the end tells the exact total: no lower bound above the matches there are.
        foreach (var pastTheEnd in new[] { managersPastTheEnd, adminsPastTheEnd })
        {
            Assert.Equal(0, pastTheEnd.GetProperty("items").GetArrayLength());
            Assert.Equal(ListAccounts.CountLimit + 50, pastTheEnd.GetProperty("total").GetInt32());
            Assert.False(IsEstimate(pastTheEnd));
        }
    }

    [Theory]
    [InlineData(1000, false, 20, 50, 1000)]
    [InlineData(1000, true, 20, 50, 1001)]
    [InlineData(1050, true, 21, 50, 1051)]
    [InlineData(1000, true, 3, 50, 1000)]
    public void PagerTotal_Estimate_LetsThePagerOpenTheNextPage(int total, bool estimate, int page, int pageSize, int pagerTotal) =>
        Assert.Equal(pagerTotal, new Paged<int>([], total, page, pageSize) { TotalIsEstimate = estimate }.PagerTotal);
}
