using System.Net;
using System.Text.Json;
using KeyAccounts.Analytics;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Demo;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Demo;

[Collection(DemoDataCollection.Name)]
public sealed class GenerateAccountsTests(TestApp app)
{
    private sealed record Row(long Id, string Code, string Name, string NameInitials, string OwnerId);

    private async Task<List<Row>> AllAccountsAsync()
    {
        await using var db = app.Db();
        return await db.Accounts.Select(a => new Row(a.Id, a.Code, a.Name, a.NameInitials, a.OwnerId)).ToListAsync();
    }

    /// <summary>The search rule, restated in memory: code and initials from the start, name anywhere.</summary>
    private static HashSet<long> Expected(IEnumerable<Row> rows, string term)
    {
        var upper = term.ToUpperInvariant();
        var initials = PinyinInitials.Of(term);
        var byInitials = initials.Length > 1 && initials == upper;
        return rows.Where(r => r.Code.StartsWith(upper, StringComparison.Ordinal)
                               || r.Name.Contains(term, StringComparison.OrdinalIgnoreCase)
                               || byInitials && r.NameInitials.StartsWith(upper, StringComparison.Ordinal))
            .Select(r => r.Id).ToHashSet();
    }

    private static async Task<(HashSet<long> Ids, int Total)> ListAsync(HttpClient client, string query)
    {
        var ids = new HashSet<long>();
        int total;
        var page = 1;
        do
        {
            var body = await (await client.GetAsync($"/api/v1/accounts?{query}&pageSize=500&page={page++}")).ExpectAsync(HttpStatusCode.OK);
            total = body.GetProperty("total").GetInt32();
            var items = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
            Assert.All(items, id => Assert.True(ids.Add(id), $"account {id} appeared on two pages"));
            if (items.Count < 500) break;
        } while (true);
        return (ids, total);
    }

    [Fact]
    public async Task Generate_SmallDataSet_StoresAccountsContactsAndSalesForce()
    {
        await DemoData.EnsureGeneratedAsync(app);
        await using var db = app.Db();
        var generated = db.Accounts.Where(a => a.Code.StartsWith(GenerateAccounts.CodePrefix) && a.Code.Length == 8);
        Assert.Equal(DemoData.GeneratedAccounts, await generated.CountAsync());
        Assert.Equal(DemoData.GeneratedAccounts * 3, await db.Contacts.CountAsync(c => generated.Any(a => a.Id == c.AccountId)));
        Assert.Equal(GenerateAccounts.DepartmentCount * GenerateAccounts.RepsPerDepartment, await db.Users.CountAsync(u => u.UserName!.StartsWith("gen-rep-")));

        var sample = await generated.OrderBy(a => a.Id).Take(300).ToListAsync();
        Assert.All(sample, a =>
        {
            Assert.Equal(CompanyName.Normalize(a.Name), a.NormalizedName);
            Assert.Equal(PinyinInitials.Of(a.Name), a.NameInitials);
            Assert.True(a.CreditCode is null || CreditCode.IsValid(a.CreditCode), a.CreditCode);
        });
        var keyShare = await generated.CountAsync(a => a.Tier == Tier.Key) / (double)DemoData.GeneratedAccounts;
        Assert.InRange(keyShare, 0.02, 0.09);
        var orphans = await db.Contacts.CountAsync(c => c.ReportsToId != null && !db.Contacts.Any(b => b.Id == c.ReportsToId && b.AccountId == c.AccountId));
        Assert.Equal(0, orphans);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    public async Task Search_NameFragment_ReturnsExactlyTheMatchingAccounts(int length)
    {
        await DemoData.EnsureGeneratedAsync(app);
        var rows = await AllAccountsAsync();
        var sample = rows.Where(r => r.Code.StartsWith('G')).ElementAt(17);
        var fragment = sample.Name.Substring(sample.Name.Length - 4 - length, length);
        using var admin = await app.ClientAsync("admin");

        var (ids, total) = await ListAsync(admin, $"search={Uri.EscapeDataString(fragment)}");

        var expected = Expected(rows, fragment);
        Assert.Contains(sample.Id, ids);
        Assert.Equal(expected.Order(), ids.Order());
        Assert.Equal(expected.Count, total);
    }

    [Fact]
    public async Task Search_CodePrefix_ReturnsTheCodeRange()
    {
        await DemoData.EnsureGeneratedAsync(app);
        using var admin = await app.ClientAsync("admin");

        var (ids, total) = await ListAsync(admin, "search=g00001");

        var expected = Expected(await AllAccountsAsync(), "g00001");
        Assert.Equal(100, expected.Count);
        Assert.Equal(expected.Order(), ids.Order());
        Assert.Equal(100, total);
    }

    [Fact]
    public async Task Search_PinyinInitials_FindsNamesByTheirInitials()
    {
        await DemoData.EnsureGeneratedAsync(app);
        var rows = await AllAccountsAsync();
        var initials = rows.First(r => r.Code.StartsWith('G') && r.NameInitials.Length > 6).NameInitials[..4];
        using var admin = await app.ClientAsync("admin");

        var (ids, _) = await ListAsync(admin, $"search={initials.ToLowerInvariant()}");

        var expected = Expected(rows, initials);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), ids.Order());
    }

    [Fact]
    public async Task List_AsGeneratedRepAndManager_ReturnsExactlyTheirScope()
    {
        await DemoData.EnsureGeneratedAsync(app);
        await using var db = app.Db();
        var rep = await db.Users.SingleAsync(u => u.UserName == "gen-rep-001");
        var stranger = await db.Accounts.Where(a => a.Owner!.UserName == "gen-rep-150").OrderBy(a => a.Id).FirstAsync();
        if (!await db.AccountShares.AnyAsync(s => s.UserId == rep.Id && s.AccountId == stranger.Id))
        {
            db.AccountShares.Add(new AccountShare { AccountId = stranger.Id, UserId = rep.Id, Access = ShareAccess.Read, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        var rows = await AllAccountsAsync();
        var manager = await db.Users.Include(u => u.Department).SingleAsync(u => u.UserName == "gen-manager-01");
        var team = await db.Users.Where(u => u.Department!.Path.StartsWith(manager.Department!.Path)).Select(u => u.Id).ToListAsync();

        using var repClient = await DemoData.ClientAsync(app, "gen-rep-001", GenerateAccounts.Password);
        var (repIds, repTotal) = await ListAsync(repClient, "sort=Name");
        var repExpected = rows.Where(r => r.OwnerId == rep.Id || r.Id == stranger.Id).Select(r => r.Id).ToHashSet();
        Assert.Equal(repExpected.Order(), repIds.Order());
        Assert.Equal(repExpected.Count, repTotal);

        using var managerClient = await DemoData.ClientAsync(app, "gen-manager-01", GenerateAccounts.Password);
        var fragment = rows.First(r => team.Contains(r.OwnerId)).Name[2..4];
        var (managerIds, _) = await ListAsync(managerClient, $"search={Uri.EscapeDataString(fragment)}&sort=Tier");
        var managerExpected = Expected(rows.Where(r => team.Contains(r.OwnerId)), fragment);
        Assert.NotEmpty(managerExpected);
        Assert.Equal(managerExpected.Order(), managerIds.Order());
        Assert.DoesNotContain(stranger.Id, managerIds);
    }

    [Fact]
    public async Task Search_ManagersNameFragment_ReturnsExactlyTheDepartmentsMatches()
    {
        await DemoData.EnsureGeneratedAsync(app);
        await using var db = app.Db();
        var manager = await db.Users.Include(u => u.Department).SingleAsync(u => u.UserName == "gen-manager-01");
        var team = await db.Users.Where(u => u.Department!.Path.StartsWith(manager.Department!.Path)).Select(u => u.Id).ToListAsync();
        var outsider = await db.Users.Where(u => u.UserName == "gen-rep-150").Select(u => u.Id).SingleAsync();
        var latin = "ZetaPrecision" + TestApp.Unique("Q");
        var now = DateTime.UtcNow;
        foreach (var (owner, name) in new[] { (team[^1], $"宁波{latin}机械有限公司"), (outsider, $"苏州{latin}机械有限公司") })
            db.Accounts.Add(new Account
            {
                Code = TestApp.Unique("ZP"),
                Name = name,
                NormalizedName = CompanyName.Normalize(name),
                NameInitials = PinyinInitials.Of(name),
                OwnerId = owner,
                CreatedAt = now,
                UpdatedAt = now,
            });
        await db.SaveChangesAsync();
        var rows = await AllAccountsAsync();
        var teamRows = rows.Where(r => team.Contains(r.OwnerId)).ToList();
        var chinese = teamRows.First(r => r.Code.StartsWith('G')).Name[2..6];
        using var managerClient = await DemoData.ClientAsync(app, "gen-manager-01", GenerateAccounts.Password);

        foreach (var fragment in new[] { chinese, latin.ToLowerInvariant(), latin.ToUpperInvariant() })
        {
            var (ids, total) = await ListAsync(managerClient, $"search={Uri.EscapeDataString(fragment)}");
            var expected = Expected(teamRows, fragment);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Order(), ids.Order());
            Assert.Equal(expected.Count, total);
        }
    }

    [Fact]
    public async Task List_SecondPageOfSortedList_ContinuesTheOrder()
    {
        await DemoData.EnsureGeneratedAsync(app);
        using var admin = await app.ClientAsync("admin");
        var first = await (await admin.GetAsync("/api/v1/accounts?sort=ArchiveScore&descending=true&pageSize=20&page=1")).ExpectAsync(HttpStatusCode.OK);
        var second = await (await admin.GetAsync("/api/v1/accounts?sort=ArchiveScore&descending=true&pageSize=20&page=2")).ExpectAsync(HttpStatusCode.OK);
        static List<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

        var scores = Items(first).Concat(Items(second)).Select(i => i.GetProperty("archiveScore").GetInt32()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.Empty(Items(first).Select(i => i.GetProperty("id").GetInt64()).Intersect(Items(second).Select(i => i.GetProperty("id").GetInt64())));
        await using var db = app.Db();
        var count = await db.Accounts.CountAsync();
        Assert.Equal(Math.Min(count, ListAccounts.CountLimit), first.GetProperty("total").GetInt32());
        Assert.Equal(count > ListAccounts.CountLimit, first.TryGetProperty("totalIsEstimate", out var estimate) && estimate.GetBoolean());
    }
}
