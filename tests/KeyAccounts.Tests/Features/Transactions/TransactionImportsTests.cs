using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KeyAccounts.Features.Audit;
using KeyAccounts.Features.Imports;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Transactions;

[Collection(AppCollection.Name)]
public sealed class TransactionImportsTests(TestApp app)
{
    public const string OrderHeader = "orderNo,accountCode,orderDate,productCode,productName,quantity,unitPrice,unitCost";

    private async Task<(long Id, string Code)> AccountAsync(string owner)
    {
        var code = TestApp.Unique("T");
        using var client = await app.ClientAsync(owner);
        var body = await (await client.PostJsonAsync("/api/v1/accounts", new { code, name = $"常州{code}传动设备有限公司", type = "Customer" })).ExpectAsync(HttpStatusCode.Created);
        return (body.GetProperty("id").GetInt64(), code);
    }

    private async Task<HttpResponseMessage> PostAsync(string user, string kind, string[] lines, string query = "")
    {
        using var client = await app.ClientAsync(user);
        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(part, "file", $"{kind}.csv");
        return await client.PostAsync($"/api/v1/imports/{kind}{query}", content);
    }

    private async Task<ImportReport> ImportAsync(string user, string kind, string[] lines, string query = "")
    {
        var report = await (await PostAsync(user, kind, lines, query)).ExpectAsync<ImportReport>(HttpStatusCode.OK);
        return report;
    }

    private static void AssertNoErrors(ImportReport report) =>
        Assert.True(report.Errors.Count == 0, string.Join("\n", report.Errors.Select(e => $"{e.Line} {e.Column}: {e.Message}")));

    [Fact]
    public async Task Orders_ValidFile_StoresOrdersLinesProductsAndOneCreationSummary()
    {
        var (id, code) = await AccountAsync("rep");
        var p = TestApp.Unique("P");
        var report = await ImportAsync("rep", "orders",
        [
            OrderHeader,
            $"{code}-1,{code},2026-03-01,{p}-A,Gear A,10,12.5,8",
            $"{code}-1,{code},2026-03-01,{p}-B,Gear B,2,100,60",
            $"{code}-2,{code},2026-03-05,{p}-A,,-3,12.5,8",
        ]);

        AssertNoErrors(report);
        Assert.Equal(3, report.Accepted);
        await using var db = app.Db();
        var orders = await db.Orders.Where(o => o.AccountId == id).OrderBy(o => o.OrderNo).ToListAsync();
        Assert.Equal([$"{code}-1", $"{code}-2"], orders.Select(o => o.OrderNo));
        var lines = await db.OrderLines.Where(l => l.AccountId == id).OrderBy(l => l.OrderId).ThenBy(l => l.LineNo).ToListAsync();
        Assert.Equal([1, 2, 1], lines.Select(l => l.LineNo));
        Assert.Equal(-3m, lines[2].Quantity);
        Assert.Equal(new DateOnly(2026, 3, 5), lines[2].OrderDate);
        Assert.Equal("Gear A", (await db.Products.SingleAsync(x => x.Code == $"{p}-A")).Name);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == "OrderLine" && e.Action == AuditAction.Created && e.UserName == "rep" && e.After!.Contains("\"created\":3")));
    }

    [Fact]
    public async Task Orders_BadRows_ReportedPerLineAndColumnAndNothingWritten()
    {
        var (id, code) = await AccountAsync("rep");
        var (_, foreign) = await AccountAsync("westrep");
        var response = await PostAsync("rep", "orders",
        [
            OrderHeader,
            $"{code}-1,{code},2026-03-01,P1,Gear,1,10,5",
            $"{code}-2,NOPE{code},2026-03-01,P1,Gear,1,10,5",
            $"{code}-3,{code},2026-02-30,P1,Gear,1,10,5",
            $"{code}-4,{code},2026-03-01,P1,Gear,1,-10,5",
            $"{code}-5,{code},2026-03-01,P1,Gear,1,10,-5",
            $"{code}-6,{foreign},2026-03-01,P1,Gear,1,10,5",
            $"{code}-1,{code},2026-03-02,P1,Gear,1,10,5",
            $"{code}-7,{code},2026-03-01,,Gear,1,10,5",
        ]);
        var body = await response.ExpectAsync(HttpStatusCode.UnprocessableEntity);

        var errors = body.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString())).ToList();
        Assert.Equal([(3, "accountCode"), (4, "orderDate"), (5, "unitPrice"), (6, "unitCost"), (7, "accountCode"), (8, "orderDate"), (9, "productCode")], errors);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        var foreignMessage = body.GetProperty("errors")[4].GetProperty("message").GetString();
        Assert.Equal($"There is no account {foreign}.", foreignMessage);
        await using var db = app.Db();
        Assert.False(await db.OrderLines.AnyAsync(l => l.AccountId == id));
    }

    [Fact]
    public async Task Orders_DryRun_ReportsAndWritesNothing()
    {
        var (id, code) = await AccountAsync("rep");
        var report = await ImportAsync("rep", "orders", [OrderHeader, $"{code}-1,{code},2026-03-01,P1,Gear,1,10,5"], "?dryRun=true");
        Assert.Equal(1, report.Accepted);
        await using var db = app.Db();
        Assert.False(await db.Orders.AnyAsync(o => o.AccountId == id));
    }

    [Fact]
    public async Task Orders_SkipInvalid_ImportsTheGoodRows()
    {
        var (id, code) = await AccountAsync("rep");
        var report = await ImportAsync("rep", "orders",
            [OrderHeader, $"{code}-1,{code},2026-03-01,P1,Gear,1,10,5", $"{code}-2,{code},bad,P1,Gear,1,10,5"], "?skipInvalid=true");
        Assert.Equal((1, 1), (report.Accepted, report.Rejected));
        await using var db = app.Db();
        Assert.Equal(1, await db.OrderLines.CountAsync(l => l.AccountId == id));
    }

    [Fact]
    public async Task Orders_Reimport_UpdatesLinesAuditsThemAndRemovesSurplusLines()
    {
        var (id, code) = await AccountAsync("rep");
        await ImportAsync("rep", "orders",
            [OrderHeader, $"{code}-1,{code},2026-03-01,P1,Gear,1,10,5", $"{code}-1,{code},2026-03-01,P1,Gear,2,10,5", $"{code}-1,{code},2026-03-01,P1,Gear,3,10,5"]);
        var report = await ImportAsync("rep", "orders",
            [OrderHeader, $"{code}-1,{code},2026-03-01,P1,Gear,1,10,5", $"{code}-1,{code},2026-03-01,P1,Gear,5,11,5"]);

        AssertNoErrors(report);
        await using var db = app.Db();
        Assert.Equal(1, await db.Orders.CountAsync(o => o.AccountId == id));
        var lines = await db.OrderLines.Where(l => l.AccountId == id).OrderBy(l => l.LineNo).ToListAsync();
        Assert.Equal([(1, 1m, 10m), (2, 5m, 11m)], lines.Select(l => (l.LineNo, l.Quantity, l.UnitPrice)));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.AccountId == id && e.Entity == "OrderLine" && e.Action == AuditAction.Updated && e.Before!.Contains("\"Quantity\":2")));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.AccountId == id && e.Entity == "OrderLine" && e.Action == AuditAction.Deleted));
    }

    [Fact]
    public async Task Orders_StoredOrderAmongNewOnes_KeepsItsLinesAndNumbersNewOrdersInserted()
    {
        var (id, code) = await AccountAsync("rep");
        await ImportAsync("rep", "orders",
            [OrderHeader, $"{code}-1,{code},2026-03-01,P1,Gear,1,10,5", $"{code}-1,{code},2026-03-01,P1,Gear,2,10,5", $"{code}-1,{code},2026-03-01,P1,Gear,3,10,5"]);
        await using (var before = app.Db())
        {
            var stored = await before.OrderLines.Where(l => l.AccountId == id).OrderBy(l => l.LineNo).Select(l => l.Id).ToListAsync();
            var report = await ImportAsync("rep", "orders",
            [
                OrderHeader,
                $"{code}-2,{code},2026-03-02,P1,Gear,7,10,5",
                $"{code}-1,{code},2026-03-01,P1,Gear,1,10,5",
                $"{code}-2,{code},2026-03-02,P1,Gear,8,10,5",
                $"{code}-1,{code},2026-03-01,P1,Gear,2,10,5",
                $"{code}-3,{code},2026-03-03,P1,Gear,9,10,5",
                $"{code}-1,{code},2026-03-01,P1,Gear,4,10,5",
            ]);

            AssertNoErrors(report);
            await using var db = app.Db();
            Assert.Equal(3, await db.Orders.CountAsync(o => o.AccountId == id));
            var lines = await db.OrderLines.Where(l => l.AccountId == id).Join(db.Orders, l => l.OrderId, o => o.Id, (l, o) => new { o.OrderNo, l.LineNo, l.Quantity, l.Id })
                .OrderBy(x => x.OrderNo).ThenBy(x => x.LineNo).ToListAsync();
            Assert.Equal([($"{code}-1", 1, 1m), ($"{code}-1", 2, 2m), ($"{code}-1", 3, 4m), ($"{code}-2", 1, 7m), ($"{code}-2", 2, 8m), ($"{code}-3", 1, 9m)],
                lines.Select(l => (l.OrderNo, l.LineNo, l.Quantity)));
            Assert.Equal(stored, lines.Take(3).Select(l => l.Id));
            Assert.False(await db.AuditEntries.AnyAsync(e => e.AccountId == id && e.Entity == "OrderLine" && e.Action == AuditAction.Deleted));
        }
    }

    [Fact]
    public async Task Orders_StoredOrderShortenedAfterNewOrders_LosesItsSurplusLines()
    {
        var (id, code) = await AccountAsync("rep");
        await ImportAsync("rep", "orders",
            [OrderHeader, $"{code}-1,{code},2026-03-01,P1,Gear,1,10,5", $"{code}-1,{code},2026-03-01,P1,Gear,2,10,5", $"{code}-1,{code},2026-03-01,P1,Gear,3,10,5"]);
        var report = await ImportAsync("rep", "orders",
            [OrderHeader, $"{code}-2,{code},2026-03-02,P1,Gear,7,10,5", $"{code}-1,{code},2026-03-01,P1,Gear,1,10,5"]);

        AssertNoErrors(report);
        await using var db = app.Db();
        var order = await db.Orders.SingleAsync(o => o.OrderNo == $"{code}-1");
        Assert.Equal([1], await db.OrderLines.Where(l => l.OrderId == order.Id).Select(l => l.LineNo).ToListAsync());
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.AccountId == id && e.Entity == "OrderLine" && e.Action == AuditAction.Deleted));
    }

    [Fact]
    public async Task Orders_OtherDateFormsBlankLinesAndMultilineCells_ReadAndReportedOnTheirLines()
    {
        var (id, code) = await AccountAsync("rep");
        var response = await PostAsync("rep", "orders",
        [
            OrderHeader,
            $"{code}-1,{code},2026/3/5,P1,Gear,1,10,5",
            "",
            $"{code}-2,{code},20260306,P1,\"Gear\nlarge\",1,10,5",
            $"{code}-3,{code},2026-13-01,P1,Gear,1,10,5",
            $"{code}-4,{code},2026-02-29,P1,Gear,1,10,5",
        ]);
        var body = await response.ExpectAsync(HttpStatusCode.UnprocessableEntity);

        var errors = body.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString())).ToList();
        Assert.Equal([(6, "orderDate"), (7, "orderDate")], errors);
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        await using var db = app.Db();
        Assert.False(await db.OrderLines.AnyAsync(l => l.AccountId == id));
    }

    [Fact]
    public async Task Invoices_Reimport_UpdatesNeverDuplicates()
    {
        var (id, code) = await AccountAsync("rep");
        await ImportAsync("rep", "invoices", ["invoiceNo,accountCode,issuedOn,dueOn,amount", $"{code}-I1,{code},2026-01-10,2026-02-10,1000"]);
        var report = await ImportAsync("rep", "invoices", ["INVOICENO,AccountCode,amount,dueOn,issuedOn", $"{code}-I1,{code},1200,2026-02-28,2026-01-10"]);

        AssertNoErrors(report);
        await using var db = app.Db();
        var invoice = await db.Invoices.SingleAsync(i => i.AccountId == id);
        Assert.Equal((1200m, new DateOnly(2026, 2, 28)), (invoice.Amount, invoice.DueOn));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.AccountId == id && e.Entity == "Invoice" && e.Action == AuditAction.Updated));
    }

    [Fact]
    public async Task Invoices_DuplicateKeyAndDueBeforeIssue_Rejected()
    {
        var (_, code) = await AccountAsync("rep");
        var body = await (await PostAsync("rep", "invoices",
        [
            "invoiceNo,accountCode,issuedOn,dueOn,amount",
            $"{code}-I1,{code},2026-01-10,2026-02-10,1000",
            $"{code}-I1,{code},2026-01-10,2026-02-10,1000",
            $"{code}-I2,{code},2026-01-10,2026-01-01,1000",
            $"{code}-I3,{code},2026-01-10,2026-02-10,-5",
            $",{code},2026-01-10,2026-02-10,5",
        ])).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString())).ToList();
        Assert.Equal([(3, "invoiceNo"), (4, "dueOn"), (5, "amount"), (6, "invoiceNo")], errors);
    }

    [Fact]
    public async Task Payments_FinanceImportsForAnyVisibleAccount_RepCannotForForeign()
    {
        var (id, code) = await AccountAsync("westrep");
        var lines = new[] { "paymentNo,accountCode,paidOn,amount,invoiceNo", $"{code}-P1,{code},2026-02-01,500,{code}-I1" };
        var rejected = await (await PostAsync("rep", "payments", lines)).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal($"There is no account {code}.", rejected.GetProperty("errors")[0].GetProperty("message").GetString());

        AssertNoErrors(await ImportAsync("finance", "payments", lines));
        AssertNoErrors(await ImportAsync("finance", "payments", lines));
        await using var db = app.Db();
        Assert.Equal(1, await db.Payments.CountAsync(p => p.AccountId == id));
    }

    [Fact]
    public async Task QualityIncidents_ImportAndMissingHeader_ReportedOnLine1()
    {
        var (id, code) = await AccountAsync("rep");
        AssertNoErrors(await ImportAsync("rep", "quality-incidents",
            ["incidentNo,accountCode,occurredOn,lossAmount,description", $"{code}-Q1,{code},2026-04-01,2500.50,轴承批次不合格"]));
        var body = await (await PostAsync("rep", "quality-incidents", ["incidentNo,accountCode,occurredOn", $"{code}-Q2,{code},2026-04-01"]))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal((1, "lossAmount"), (body.GetProperty("errors")[0].GetProperty("line").GetInt32(), body.GetProperty("errors")[0].GetProperty("column").GetString()));
        await using var db = app.Db();
        var incident = await db.QualityIncidents.SingleAsync(q => q.AccountId == id);
        Assert.Equal((2500.50m, "轴承批次不合格"), (incident.LossAmount, incident.Description));
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("invoices")]
    [InlineData("payments")]
    [InlineData("quality-incidents")]
    public async Task Template_EachTransactionKind_HasTheApiColumns(string kind)
    {
        using var client = await app.ClientAsync("rep");
        var text = (await client.GetStringAsync($"/api/v1/imports/{kind}/template?format=csv")).TrimStart('\uFEFF').Trim();
        var expected = kind switch
        {
            "orders" => OrderHeader,
            "invoices" => "invoiceNo,accountCode,issuedOn,dueOn,amount,orderNo,invoiceType,taxRate",
            "payments" => "paymentNo,accountCode,paidOn,amount,invoiceNo,method",
            _ => "incidentNo,accountCode,occurredOn,lossAmount,description",
        };
        Assert.Equal(expected, text);
    }
}
