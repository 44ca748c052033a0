using System.Net;
using System.Text.Json;
using KeyAccounts.Features.Receivables;
using KeyAccounts.Tests.Infrastructure;
using static KeyAccounts.Tests.Features.Receivables.ReceivablesTestData;

namespace KeyAccounts.Tests.Features.Receivables;

/// <summary>The ageing report and its allocation rule (API.md "Receivables"), on the test's engine.</summary>
[Collection(AppCollection.Name)]
public sealed class AgeingTests(TestApp app)
{
    private static readonly DateOnly AsOf = new(2026, 6, 30);

    private async Task<GetAgeing.AgeingReport> AgeingAsync(DateOnly asOf, params long[] accounts)
    {
        await using var db = app.Db();
        return await GetAgeing.ReadAsync(db, AccountScope.Many(accounts), asOf, 0, 50, 1, CancellationToken.None);
    }

    [Fact]
    public async Task Ageing_DueDatesAtBucketBoundaries_EachAmountInItsBucket()
    {
        using var admin = await app.ClientAsync("admin");
        var (id, code) = await AccountAsync(admin);
        // Days past due → amount: powers of two, so every bucket's sum tells which invoices landed in it.
        (int Days, decimal Amount)[] invoices = [(-5, 256), (0, 1), (1, 2), (30, 4), (31, 8), (60, 16), (61, 32), (90, 64), (91, 128)];
        foreach (var (days, amount) in invoices)
        {
            var due = AsOf.AddDays(-days);
            await InvoiceAsync(admin, code, No("INV"), due.AddDays(-10), due, amount);
        }

        var row = Assert.Single((await AgeingAsync(AsOf, id)).Items);

        Assert.Equal((id, code), (row.AccountId, row.AccountCode));
        Assert.Equal((257m, 6m, 24m, 96m, 128m, 511m), (row.NotDue, row.Days1To30, row.Days31To60, row.Days61To90, row.Over90, row.Total));
    }

    [Fact]
    public async Task Ageing_NamedUnnamedExcessAndRefund_AllocatedEarliestDueFirst()
    {
        using var admin = await app.ClientAsync("admin");
        var (id, code) = await AccountAsync(admin);
        string a = No("INVA"), b = No("INVB"), c = No("INVC");
        await InvoiceAsync(admin, code, a, new(2026, 1, 1), new(2026, 1, 10), 100);
        await InvoiceAsync(admin, code, b, new(2026, 2, 1), new(2026, 2, 10), 200);
        await InvoiceAsync(admin, code, c, new(2026, 3, 5), new(2026, 3, 10), 300);
        await PaymentAsync(admin, code, No("PAY"), new(2026, 4, 1), 350, c);   // names C: 300 to it, 50 excess to the pool
        await PaymentAsync(admin, code, No("PAY"), new(2026, 4, 2), 120);      // names none
        await PaymentAsync(admin, code, No("PAY"), new(2026, 4, 3), -30);      // a refund out of the pool

        // Pool 50 + 120 − 30 = 140 pays A (100) and 40 of B: B owes 160, 140 days past due.
        var row = Assert.Single((await AgeingAsync(AsOf, id)).Items);
        Assert.Equal((0m, 0m, 0m, 0m, 160m, 160m), (row.NotDue, row.Days1To30, row.Days31To60, row.Days61To90, row.Over90, row.Total));

        // On 1 April only the payment naming C is in: its excess 50 goes to A (due 10 Jan, 81 days), B owes all (50 days).
        row = Assert.Single((await AgeingAsync(new(2026, 4, 1), id)).Items);
        Assert.Equal((0m, 0m, 200m, 50m, 0m, 250m), (row.NotDue, row.Days1To30, row.Days31To60, row.Days61To90, row.Over90, row.Total));

        // On 1 March C is not issued yet and nothing is paid.
        row = Assert.Single((await AgeingAsync(new(2026, 3, 1), id)).Items);
        Assert.Equal((0m, 200m, 100m, 0m, 0m, 300m), (row.NotDue, row.Days1To30, row.Days31To60, row.Days61To90, row.Over90, row.Total));
    }

    [Fact]
    public async Task Ageing_RefundNamingAnInvoiceOrUnknownInvoice_ReopensOrGoesToPool()
    {
        using var admin = await app.ClientAsync("admin");
        var (id, code) = await AccountAsync(admin);
        string x = No("INVX"), y = No("INVY");
        await InvoiceAsync(admin, code, x, new(2026, 5, 1), new(2026, 6, 20), 100);
        await InvoiceAsync(admin, code, y, new(2026, 5, 1), new(2026, 7, 20), 100);
        await PaymentAsync(admin, code, No("PAY"), new(2026, 6, 1), 100, x);
        await PaymentAsync(admin, code, No("PAY"), new(2026, 6, 2), -40, x);          // paid back against X: X owes 40 again
        await PaymentAsync(admin, code, No("PAY"), new(2026, 6, 3), 25, "NO-SUCH-INV"); // names no invoice of the account: the pool

        // The pool (25) pays the earliest due open invoice, X: 15 left on X (10 days past due), Y owes all (not due).
        var row = Assert.Single((await AgeingAsync(AsOf, id)).Items);
        Assert.Equal((100m, 15m, 0m, 0m, 0m, 115m), (row.NotDue, row.Days1To30, row.Days31To60, row.Days61To90, row.Over90, row.Total));
    }

    [Fact]
    public async Task Ageing_AccountWithNothingOpen_LeftOut()
    {
        using var admin = await app.ClientAsync("admin");
        var (paidId, paidCode) = await AccountAsync(admin);
        var (openId, openCode) = await AccountAsync(admin);
        var inv = No("INV");
        await InvoiceAsync(admin, paidCode, inv, new(2026, 5, 1), new(2026, 5, 31), 500);
        await PaymentAsync(admin, paidCode, No("PAY"), new(2026, 6, 1), 500, inv);
        await InvoiceAsync(admin, openCode, No("INV"), new(2026, 5, 1), new(2026, 5, 31), 70);

        var report = await AgeingAsync(AsOf, paidId, openId);

        Assert.Equal(openId, Assert.Single(report.Items).AccountId);
        Assert.Equal(1, report.Total);
        Assert.Equal(70m, report.Totals.Total);
    }

    [Fact]
    public async Task Ageing_AsRep_OnlyOwnAccountsWithContractFields()
    {
        using var admin = await app.ClientAsync("admin");
        var repName = TestApp.Unique("arrep").ToLowerInvariant();
        var rep = await (await admin.PostJsonAsync("/api/v1/users", new { userName = repName, displayName = repName, password = TestApp.Password, roles = new[] { "Rep" } }))
            .ExpectAsync(HttpStatusCode.Created);
        var repId = rep.GetProperty("id").GetString();
        var (mine, mineCode) = await AccountAsync(admin, repId);
        var (_, otherCode) = await AccountAsync(admin);
        await InvoiceAsync(admin, mineCode, No("INV"), new(2026, 5, 1), new(2026, 6, 10), 1234.56m);
        await InvoiceAsync(admin, otherCode, No("INV"), new(2026, 5, 1), new(2026, 6, 10), 99);

        using var client = await app.ClientAsync(repName);
        var body = await (await client.GetAsync("/api/v1/receivables/ageing?asOf=2026-06-30&page=1&pageSize=10")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(1, body.GetProperty("total").GetInt32());
        Assert.Equal(1, body.GetProperty("page").GetInt32());
        Assert.Equal(10, body.GetProperty("pageSize").GetInt32());
        var item = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal(["accountId", "accountCode", "notDue", "days1To30", "days31To60", "days61To90", "over90", "total"],
            item.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(mine, item.GetProperty("accountId").GetInt64());
        Assert.Equal(1234.56m, item.GetProperty("days1To30").GetDecimal());

        var csv = await client.GetAsync("/api/v1/receivables/ageing/export?asOf=2026-06-30&format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.Contains(mineCode, text);
        Assert.DoesNotContain(otherCode, text);
    }

    [Fact]
    public async Task Export_AccountNamedLikeAFormula_CellNeutralised()
    {
        using var admin = await app.ClientAsync("admin");
        var code = TestApp.Unique("AR");
        await (await admin.PostJsonAsync("/api/v1/accounts", new { code, name = "=HYPERLINK(\"http://x\")", type = "Customer" })).ExpectAsync(HttpStatusCode.Created);
        await InvoiceAsync(admin, code, No("INV"), new(2026, 5, 1), new(2026, 6, 10), 10);

        var text = await (await admin.GetAsync("/api/v1/receivables/ageing/export?asOf=2026-06-30&format=csv")).Content.ReadAsStringAsync();

        Assert.Contains("'=HYPERLINK", text);
    }

    [Fact]
    public async Task Export_UnknownFormat_400NamingFormat()
    {
        using var admin = await app.ClientAsync("admin");
        var body = await (await admin.GetAsync("/api/v1/receivables/ageing/export?format=pdf")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(body.GetProperty("errors").TryGetProperty("format", out _));
    }

    [Fact]
    public async Task CreditExposure_OpenInvoicesAndOrdersNotInvoiced_Summed()
    {
        using var admin = await app.ClientAsync("admin");
        var (id, code) = await AccountAsync(admin);
        string o1 = No("SO"), o2 = No("SO");
        await OrderAsync(admin, code, o1, Today.AddDays(-50), 10, 150);   // worth 1500, invoiced 1000
        await OrderAsync(admin, code, o2, Today.AddDays(-5), 3, 100);     // worth 300, not invoiced
        await InvoiceAsync(admin, code, No("INV"), Today.AddDays(-40), Today.AddDays(-10), 1000, o1);
        await PaymentAsync(admin, code, No("PAY"), Today.AddDays(-3), 400);

        await using var db = app.Db();
        var exposure = await db.CreditExposureAsync(id, Today);

        Assert.Equal(new CreditExposure(600, 800, 1400, 10), exposure);
        var api = await (await admin.GetAsync($"/api/v1/accounts/{id}/credit-exposure")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1400m, api.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task CollectionRates_ByAccountAndMonth_PaidOverDue()
    {
        using var admin = await app.ClientAsync("admin");
        var (id, code) = await AccountAsync(admin);
        await InvoiceAsync(admin, code, No("INV"), new(2026, 3, 1), new(2026, 3, 20), 1000);
        await InvoiceAsync(admin, code, No("INV"), new(2026, 4, 1), new(2026, 4, 20), 1000);
        await PaymentAsync(admin, code, No("PAY"), new(2026, 3, 25), 800);
        await PaymentAsync(admin, code, No("PAY"), new(2026, 4, 25), 1000);

        await using var db = app.Db();
        var byAccount = await CollectionRates.ReadAsync(db, AccountScope.One(id), CollectionRates.Grouping.Account, new(2026, 3, 1), new(2026, 4, 30),
            new(2026, 6, 30), 1, 50, CancellationToken.None);
        var byMonth = await CollectionRates.ReadAsync(db, AccountScope.One(id), CollectionRates.Grouping.Month, new(2026, 3, 1), new(2026, 4, 30),
            new(2026, 6, 30), 1, 50, CancellationToken.None);

        var row = Assert.Single(byAccount.Items);
        Assert.Equal((code, 2000m, 1800m, 0.9m), (row.Code, row.Due, row.Paid, row.Rate));
        Assert.Equal([("2026-03", 0.8m), ("2026-04", 1m)], byMonth.Items.Select(r => (r.Key!, r.Rate)).ToArray());
    }

    [Fact]
    public async Task CollectionRates_UnknownGrouping_400NamingBy()
    {
        using var admin = await app.ClientAsync("admin");
        var body = await (await admin.GetAsync("/api/v1/receivables/collection-rates?by=planet")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(body.GetProperty("errors").TryGetProperty("by", out _));
        JsonElement ok = await (await admin.GetAsync("/api/v1/receivables/collection-rates?by=rep")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(ok.GetProperty("total").GetInt32() >= 0);
    }
}
