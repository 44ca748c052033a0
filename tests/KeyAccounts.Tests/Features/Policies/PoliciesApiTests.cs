using System.Net;
using System.Text.Json;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Policies;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Policies;

[CollectionDefinition(Name)]
public sealed class PoliciesCollection : ICollectionFixture<TestApp>
{
    public const string Name = "policies";
}

/// <summary>
/// Policies are company-wide, so each test keeps to a year of its own (its policies valid only then, its transactions only then)
/// and asks about days in it: the tests do not see each other's policies.
/// </summary>
[Collection(PoliciesCollection.Name)]
public sealed class PoliciesApiTests(TestApp app)
{
    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd");

    private async Task<(long Id, string Code)> AccountAsync(string owner = "rep", Tier tier = Tier.Ordinary, string type = "Customer")
    {
        using var admin = await app.ClientAsync("admin");
        var code = TestApp.Unique("PL");
        var id = (await (await admin.PostJsonAsync("/api/v1/accounts", new { code, name = $"政策{code}有限公司", type, ownerId = app.UserIds[owner] }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        await using var db = app.Db();
        await db.Accounts.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Tier, tier));
        return (id, code);
    }

    private async Task OrderAsync(string code, string orderNo, DateOnly on, decimal quantity, decimal unitPrice)
    {
        using var admin = await app.ClientAsync("admin");
        await (await admin.PostJsonAsync("/api/v1/transactions/orders", new
        {
            items = new[] { new { orderNo, accountCode = code, orderDate = Day(on), productCode = "PL-P", productName = "减速机", quantity, unitPrice, unitCost = unitPrice / 2 } },
        })).ExpectAsync(HttpStatusCode.OK);
    }

    private async Task<JsonElement> CreateAsync(object policy)
    {
        using var admin = await app.ClientAsync("admin");
        return await (await admin.PostJsonAsync("/api/v1/policies", policy)).ExpectAsync(HttpStatusCode.Created);
    }

    private async Task<JsonElement> TermsAsync(long accountId, DateOnly on, string user = "admin")
    {
        using var client = await app.ClientAsync(user);
        return await (await client.GetAsync($"/api/v1/accounts/{accountId}/terms?on={Day(on)}")).ExpectAsync(HttpStatusCode.OK);
    }

    private static List<string> RuleNames(JsonElement terms) => [.. terms.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("name").GetString()!)];

    [Fact]
    public async Task Terms_SeveralPolicies_HighestPriorityWinsPerBenefitAndTiesGoToTheNewest()
    {
        var (id, _) = await AccountAsync();
        var tag = TestApp.Unique("");
        await CreateAsync(new { name = $"基础{tag}", priority = 1, validFrom = "2031-01-01", validTo = "2031-12-31", conditions = new { }, benefits = new { discountPercent = 5, paymentTermDays = 30 } });
        await CreateAsync(new { name = $"旧{tag}", priority = 2, validFrom = "2031-01-01", validTo = "2031-12-31", conditions = new { }, benefits = new { discountPercent = 8 } });
        await CreateAsync(new { name = $"新{tag}", priority = 2, validFrom = "2031-01-01", validTo = "2031-12-31", conditions = new { }, benefits = new { discountPercent = 9 } });

        var terms = await TermsAsync(id, new DateOnly(2031, 6, 1));
        Assert.Equal(9m, terms.GetProperty("discountPercent").GetDecimal());
        Assert.Equal(30, terms.GetProperty("paymentTermDays").GetInt32());
        Assert.Equal(JsonValueKind.Null, terms.GetProperty("creditLimit").ValueKind);
        Assert.Equal([$"新{tag}", $"旧{tag}", $"基础{tag}"], RuleNames(terms));
        Assert.Equal(["discountPercent"], terms.GetProperty("rules")[0].GetProperty("gave").EnumerateArray().Select(g => g.GetString()));

        var outside = await TermsAsync(id, new DateOnly(2032, 1, 1));
        Assert.Equal(JsonValueKind.Null, outside.GetProperty("discountPercent").ValueKind);
        Assert.Empty(RuleNames(outside));
    }

    [Fact]
    public async Task Terms_OnInThePast_UsesThatDaysVersionAndTheTwelveMonthsBeforeIt()
    {
        var (id, code) = await AccountAsync();
        var tag = TestApp.Unique("");
        using var admin = await app.ClientAsync("admin");
        var policy = await CreateAsync(new { name = $"量大{tag}", priority = 5, validFrom = "2032-01-01", validTo = "2032-06-30", conditions = new { minRevenue12m = 1000 }, benefits = new { discountPercent = 3 } });
        var policyId = policy.GetProperty("id").GetInt64();
        await (await admin.PostJsonAsync($"/api/v1/policies/{policyId}/versions", new { priority = 5, validFrom = "2032-07-01", conditions = new { minRevenue12m = 1000 }, benefits = new { discountPercent = 6 } }))
            .ExpectAsync(HttpStatusCode.Created);
        await OrderAsync(code, $"{code}-1", new DateOnly(2032, 2, 15), 10, 100);

        // The order day itself is not yet in the twelve months before it; the next day it is, and a year later it has dropped out.
        Assert.Equal(JsonValueKind.Null, (await TermsAsync(id, new DateOnly(2032, 2, 15))).GetProperty("discountPercent").ValueKind);
        var next = await TermsAsync(id, new DateOnly(2032, 2, 16));
        Assert.Equal(3m, next.GetProperty("discountPercent").GetDecimal());
        Assert.Equal(1000m, next.GetProperty("figures").GetProperty("revenue12m").GetDecimal());
        Assert.Contains("minRevenue12m: 1000.00 >= 1000.00", next.GetProperty("rules")[0].GetProperty("met").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(6m, (await TermsAsync(id, new DateOnly(2032, 8, 1))).GetProperty("discountPercent").GetDecimal());
        Assert.Equal(6m, (await TermsAsync(id, new DateOnly(2033, 2, 15))).GetProperty("discountPercent").GetDecimal());
        Assert.Equal(JsonValueKind.Null, (await TermsAsync(id, new DateOnly(2033, 2, 16))).GetProperty("discountPercent").ValueKind);
    }

    [Fact]
    public async Task Terms_EachConditionAtItsBoundary_HoldsAtTheFigureAndFailsJustBeyond()
    {
        var (id, code) = await AccountAsync(tier: Tier.Major);
        var tag = TestApp.Unique("");
        using var admin = await app.ClientAsync("admin");
        // 2021 (a year over, so every invoice due in it counts): revenue 1000.00 (10 × 100) in two contracts in two months, 900 paid of 1000 due (0.9), a loss of 50.
        await OrderAsync(code, $"{code}-1", new DateOnly(2021, 3, 10), 6, 100);
        await OrderAsync(code, $"{code}-2", new DateOnly(2021, 4, 10), 4, 100);
        await (await admin.PostJsonAsync("/api/v1/transactions/invoices", new { items = new[] { new { invoiceNo = $"{code}-I", accountCode = code, issuedOn = "2021-03-10", dueOn = "2021-04-10", amount = 1000 } } })).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostJsonAsync("/api/v1/transactions/payments", new { items = new[] { new { paymentNo = $"{code}-P", accountCode = code, paidOn = "2021-04-20", amount = 900, invoiceNo = $"{code}-I" } } })).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostJsonAsync("/api/v1/transactions/quality-incidents", new { items = new[] { new { incidentNo = $"{code}-Q", accountCode = code, occurredOn = "2021-05-01", lossAmount = 50, description = "异响" } } })).ExpectAsync(HttpStatusCode.OK);

        (string, object, object)[] cases =
        [
            ("minRevenue12m", 1000m, 1000.01m), ("minContracts12m", 2, 3), ("minCollectionRate", 0.9m, 0.9001m),
            ("maxQualityLoss12m", 50m, 49.99m), ("minActiveMonths12m", 2, 3), ("minAverageUnitPrice12m", 100m, 100.01m),
        ];
        foreach (var (field, holds, fails) in cases)
        {
            await CreateAsync(new { name = $"{field}-holds-{tag}", priority = 1, validFrom = "2021-01-01", validTo = "2021-12-31", conditions = new Dictionary<string, object> { [field] = holds }, benefits = new { expenseBudget = 1 } });
            await CreateAsync(new { name = $"{field}-fails-{tag}", priority = 1, validFrom = "2021-01-01", validTo = "2021-12-31", conditions = new Dictionary<string, object> { [field] = fails }, benefits = new { expenseBudget = 2 } });
        }
        await CreateAsync(new { name = $"tiers-holds-{tag}", priority = 1, validFrom = "2021-01-01", validTo = "2021-12-31", conditions = new { tiers = new[] { "Key", "Major" } }, benefits = new { creditLimit = 1 } });
        await CreateAsync(new { name = $"tiers-fails-{tag}", priority = 1, validFrom = "2021-01-01", validTo = "2021-12-31", conditions = new { tiers = new[] { "Key" } }, benefits = new { creditLimit = 2 } });
        await CreateAsync(new { name = $"types-fails-{tag}", priority = 1, validFrom = "2021-01-01", validTo = "2021-12-31", conditions = new { accountTypes = new[] { "Dealer" } }, benefits = new { creditLimit = 3 } });

        var terms = await TermsAsync(id, new DateOnly(2021, 12, 1));
        var names = RuleNames(terms);
        foreach (var (field, _, _) in cases)
        {
            Assert.Contains($"{field}-holds-{tag}", names);
            Assert.DoesNotContain($"{field}-fails-{tag}", names);
        }
        Assert.Contains($"tiers-holds-{tag}", names);
        Assert.DoesNotContain($"tiers-fails-{tag}", names);
        Assert.DoesNotContain($"types-fails-{tag}", names);
        Assert.Equal(1m, terms.GetProperty("creditLimit").GetDecimal());
        var figures = terms.GetProperty("figures");
        Assert.Equal((1000m, 2, 0.9m, 50m, 2, 100m), (figures.GetProperty("revenue12m").GetDecimal(), figures.GetProperty("contracts12m").GetInt32(),
            figures.GetProperty("collectionRate").GetDecimal(), figures.GetProperty("qualityLoss12m").GetDecimal(), figures.GetProperty("activeMonths12m").GetInt32(),
            figures.GetProperty("averageUnitPrice12m").GetDecimal()));
        // Down a tier (Ordinary) no rule sets the credit limit any more.
        Assert.Equal("Key", terms.GetProperty("tierUp").GetProperty("tier").GetString());
        Assert.Equal("Ordinary", terms.GetProperty("tierDown").GetProperty("tier").GetString());
        Assert.Contains(terms.GetProperty("tierDown").GetProperty("changes").EnumerateArray(), c => c.GetProperty("benefit").GetString() == "creditLimit");
    }

    [Fact]
    public async Task Terms_PolicyWithoutConditions_AppliesToEveryAccount()
    {
        var (dealer, _) = await AccountAsync(owner: "rep2", tier: Tier.Small, type: "Dealer");
        var (customer, _) = await AccountAsync(tier: Tier.Key);
        var tag = TestApp.Unique("");
        await CreateAsync(new { name = $"全员{tag}", priority = 0, validFrom = "2034-01-01", validTo = "2034-12-31", benefits = new { commissionRate = 0.02 } });
        Assert.Equal(0.02m, (await TermsAsync(dealer, new DateOnly(2034, 3, 1))).GetProperty("commissionRate").GetDecimal());
        Assert.Equal(0.02m, (await TermsAsync(customer, new DateOnly(2034, 3, 1))).GetProperty("commissionRate").GetDecimal());
    }

    [Fact]
    public async Task Create_BadInput_Returns400NamingTheFieldAndWritesNothing()
    {
        using var admin = await app.ClientAsync("admin");
        await using var before = app.Db();
        var count = await before.SalesPolicies.CountAsync();
        async Task<JsonElement> Errors(object body) => (await (await admin.PostJsonAsync("/api/v1/policies", body)).ExpectAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True((await Errors(new { name = "负折扣", priority = 1, validFrom = "2030-01-01", benefits = new { discountPercent = -1 } })).TryGetProperty("benefits.discountPercent", out _));
        Assert.True((await Errors(new { name = "超额折扣", priority = 1, validFrom = "2030-01-01", benefits = new { discountPercent = 100.5 } })).TryGetProperty("benefits.discountPercent", out _));
        Assert.True((await Errors(new { name = "无等级", priority = 1, validFrom = "2030-01-01", conditions = new { tiers = new[] { "Gold" } } })).TryGetProperty("conditions.tiers", out _));
        Assert.True((await Errors(new { name = "反了", priority = 1, validFrom = "2030-02-01", validTo = "2030-01-01" })).TryGetProperty("validTo", out _));
        Assert.True((await Errors(new { name = "", priority = 1, validFrom = "2030-01-01" })).TryGetProperty("name", out _));
        await using var after = app.Db();
        Assert.Equal(count, await after.SalesPolicies.CountAsync());
    }

    [Fact]
    public async Task Versions_Overlapping_Return400NamingValidFromAndChangeNothing()
    {
        using var admin = await app.ClientAsync("admin");
        var policy = await CreateAsync(new { name = TestApp.Unique("重叠"), priority = 1, validFrom = "2030-01-01", validTo = "2030-06-30", benefits = new { discountPercent = 2 } });
        var id = policy.GetProperty("id").GetInt64();
        var added = await (await admin.PostJsonAsync($"/api/v1/policies/{id}/versions", new { priority = 1, validFrom = "2030-06-30", benefits = new { discountPercent = 3 } }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(added.GetProperty("errors").TryGetProperty("validFrom", out _));

        var first = policy.GetProperty("versions")[0];
        var put = await (await admin.PutJsonAsync($"/api/v1/policies/{id}", new
        {
            name = "改名",
            versions = new object[]
            {
                new { id = first.GetProperty("id").GetInt64(), priority = 1, validFrom = "2030-01-01", validTo = "2030-06-30", benefits = new { discountPercent = 2 } },
                new { priority = 1, validFrom = "2030-03-01", benefits = new { discountPercent = 4 } },
            },
        })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(put.GetProperty("errors").TryGetProperty("versions[1].validFrom", out _));

        await using var db = app.Db();
        var stored = await db.SalesPolicies.Include(p => p.Versions).SingleAsync(p => p.Id == id);
        Assert.Equal(policy.GetProperty("name").GetString(), stored.Name);
        Assert.Single(stored.Versions);
    }

    [Fact]
    public async Task Update_WithStaleIfMatch_Returns412AndAFreshOneSavesWithAudit()
    {
        using var admin = await app.ClientAsync("admin");
        var created = await admin.PostJsonAsync("/api/v1/policies", new { name = TestApp.Unique("编辑"), priority = 1, validFrom = "2030-01-01", benefits = new { paymentTermDays = 30 } });
        var policy = await created.ExpectAsync(HttpStatusCode.Created);
        var id = policy.GetProperty("id").GetInt64();
        var versionId = policy.GetProperty("versions")[0].GetProperty("id").GetInt64();
        object Body(int days) => new
        {
            name = "放宽账期",
            versions = new object[]
            {
                new { id = versionId, priority = 1, validFrom = "2030-01-01", validTo = "2030-12-31", benefits = new { paymentTermDays = days } },
                new { priority = 2, validFrom = "2031-01-01", benefits = new { paymentTermDays = 60 } },
            },
        };
        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/policies/{id}") { Content = System.Net.Http.Json.JsonContent.Create(Body(45), options: TestApp.Json) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"999\"");
        await (await admin.SendAsync(stale)).ExpectAsync(HttpStatusCode.PreconditionFailed);

        using var fresh = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/policies/{id}") { Content = System.Net.Http.Json.JsonContent.Create(Body(45), options: TestApp.Json) };
        fresh.Headers.TryAddWithoutValidation("If-Match", created.Headers.ETag!.Tag);
        var saved = await (await admin.SendAsync(fresh)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, saved.GetProperty("versions").GetArrayLength());

        await using var db = app.Db();
        var stored = await db.SalesPolicyVersions.SingleAsync(v => v.Id == versionId);
        Assert.Equal((45, (DateOnly?)new DateOnly(2030, 12, 31)), (stored.PaymentTermDays, stored.ValidTo));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == nameof(SalesPolicy) && e.EntityKey == id.ToString() && e.Action == KeyAccounts.Features.Audit.AuditAction.Created));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == nameof(SalesPolicyVersion) && e.Action == KeyAccounts.Features.Audit.AuditAction.Updated && e.After!.Contains("45")));
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Entity == nameof(SalesPolicyVersion) && e.EntityKey.StartsWith($"{id}:") && e.Action == KeyAccounts.Features.Audit.AuditAction.Created));
    }

    [Fact]
    public async Task Terms_AccountTheRepMayNotSee_Returns404AndOnlyAdminsWritePolicies()
    {
        var (mine, _) = await AccountAsync(owner: "rep");
        var (theirs, _) = await AccountAsync(owner: "westrep");
        using var rep = await app.ClientAsync("rep");
        await (await rep.GetAsync($"/api/v1/accounts/{mine}/terms")).ExpectAsync(HttpStatusCode.OK);
        await (await rep.GetAsync($"/api/v1/accounts/{theirs}/terms")).ExpectAsync(HttpStatusCode.NotFound);
        await (await rep.GetAsync("/api/v1/accounts/987654321/terms")).ExpectAsync(HttpStatusCode.NotFound);
        await (await rep.PostJsonAsync("/api/v1/policies", new { name = "越权", priority = 1, validFrom = "2030-01-01" })).ExpectAsync(HttpStatusCode.Forbidden);
        await (await rep.PostJsonAsync("/api/v1/policies/simulate", new { name = "越权", priority = 1, validFrom = "2030-01-01" })).ExpectAsync(HttpStatusCode.Forbidden);
        await (await rep.GetAsync("/api/v1/policies?page=1&pageSize=5")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CoverageAndSimulation_CountTheAccountsMeetingTheConditionsAndPriceTheDiscount()
    {
        var (_, small) = await AccountAsync();
        var (_, big) = await AccountAsync(owner: "westrep");
        await OrderAsync(small, $"{small}-1", new DateOnly(2035, 2, 1), 10, 100);
        await OrderAsync(big, $"{big}-1", new DateOnly(2035, 3, 1), 30, 100);
        using var admin = await app.ClientAsync("admin");
        var policy = await CreateAsync(new { name = TestApp.Unique("大单"), priority = 1, validFrom = "2035-01-01", conditions = new { minRevenue12m = 2000 }, benefits = new { discountPercent = 10 } });
        var coverage = await (await admin.GetAsync($"/api/v1/policies/{policy.GetProperty("id").GetInt64()}/coverage?on=2035-06-01")).ExpectAsync(HttpStatusCode.OK);
        var version = coverage.GetProperty("versions")[0];
        Assert.Equal((1, true), (version.GetProperty("accounts").GetInt32(), version.GetProperty("inForce").GetBoolean()));

        var simulation = await (await admin.PostJsonAsync("/api/v1/policies/simulate?on=2035-06-01",
            new { name = "试算", priority = 1, validFrom = "2035-01-01", conditions = new { minRevenue12m = 500 }, benefits = new { discountPercent = 10 } })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((2, 4000m, 400m), (simulation.GetProperty("accounts").GetInt32(), simulation.GetProperty("revenue12m").GetDecimal(), simulation.GetProperty("cost").GetDecimal()));
    }

    [Fact]
    public async Task Coverage_PolicySetsVisits_OverridesTheTierTableAndNamesThePolicy()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (id, code) = await AccountAsync(tier: Tier.Key);
        var (plain, _) = await AccountAsync(tier: Tier.Key);
        await OrderAsync(code, $"{code}-1", today.AddDays(-20), 1, 100);
        var name = TestApp.Unique("多走访");
        await CreateAsync(new
        {
            name,
            priority = 1,
            validFrom = Day(today.AddYears(-1)),
            validTo = Day(today.AddYears(1)),
            conditions = new { tiers = new[] { "Key" }, minContracts12m = 1 },
            benefits = new { visitsPerYear = new { Business = 24 } },
        });
        using var admin = await app.ClientAsync("admin");
        var start = new DateOnly(today.Year, 1, 1);
        var end = new DateOnly(today.Year, 12, 31);
        var items = (await (await admin.GetAsync($"/api/v1/visits/coverage?periodStart={Day(start)}&periodEnd={Day(end)}&pageSize=500")).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().ToList();
        var business = items.Single(i => i.GetProperty("accountId").GetInt64() == id && i.GetProperty("level").GetString() == "Business");
        Assert.Equal((24, name), (business.GetProperty("required").GetInt32(), business.GetProperty("requiredBy").GetString()));
        var leadership = items.Single(i => i.GetProperty("accountId").GetInt64() == id && i.GetProperty("level").GetString() == "Leadership");
        Assert.Equal(JsonValueKind.Null, leadership.GetProperty("requiredBy").ValueKind);
        var other = items.Single(i => i.GetProperty("accountId").GetInt64() == plain && i.GetProperty("level").GetString() == "Business");
        Assert.Equal((12, JsonValueKind.Null), (other.GetProperty("required").GetInt32(), other.GetProperty("requiredBy").ValueKind));
    }
}
