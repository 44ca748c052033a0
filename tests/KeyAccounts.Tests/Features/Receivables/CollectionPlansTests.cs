using System.Net;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Receivables;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static KeyAccounts.Tests.Features.Receivables.ReceivablesTestData;

namespace KeyAccounts.Tests.Features.Receivables;

/// <summary>Collection plans: instalment states from the allocated payments, bad input, reminders, invoice titles.</summary>
[Collection(AppCollection.Name)]
public sealed class CollectionPlansTests(TestApp app)
{
    private static InstalmentState[] States(System.Text.Json.JsonElement plan) =>
        [.. plan.GetProperty("instalments").EnumerateArray().Select(i => Enum.Parse<InstalmentState>(i.GetProperty("state").GetString()!))];

    [Fact]
    public async Task Plan_PaymentsAllocated_InstalmentsCompletedOverdueAndPending()
    {
        using var admin = await app.ClientAsync("admin");
        var (_, code) = await AccountAsync(admin);
        var inv = No("INV");
        await InvoiceAsync(admin, code, inv, Today.AddDays(-30), Today.AddDays(30), 1000);
        var plan = await PlanAsync(admin, inv, (Today.AddDays(-20), 300), (Today.AddDays(-5), 300), (Today.AddDays(10), 400));
        Assert.Equal([InstalmentState.Overdue, InstalmentState.Overdue, InstalmentState.Pending], States(plan));

        await PaymentAsync(admin, code, No("PAY"), Today.AddDays(-1), 450, inv, "电汇");

        var id = plan.GetProperty("id").GetInt64();
        var after = await (await admin.GetAsync($"/api/v1/collection-plans/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([InstalmentState.Completed, InstalmentState.Overdue, InstalmentState.Pending], States(after));
        Assert.Equal([300m, 150m, 0m], after.GetProperty("instalments").EnumerateArray().Select(i => i.GetProperty("paid").GetDecimal()).ToArray());
        await using var db = app.Db();
        Assert.Equal(PaymentMethod.WireTransfer, (await db.Payments.SingleAsync(p => p.InvoiceNo == inv)).Method);
    }

    [Fact]
    public async Task Plan_PartlyPaidAndVoided_PartialThenVoidAndOverdueLater()
    {
        using var admin = await app.ClientAsync("admin");
        var (_, code) = await AccountAsync(admin);
        var inv = No("INV");
        await InvoiceAsync(admin, code, inv, Today.AddDays(-10), Today.AddDays(60), 1000);
        var plan = await PlanAsync(admin, inv, (Today.AddDays(5), 500), (Today.AddDays(35), 500));
        var id = plan.GetProperty("id").GetInt64();
        await PaymentAsync(admin, code, No("PAY"), Today, 200);

        var voided = await (await admin.PostJsonAsync($"/api/v1/collection-plans/{id}/instalments/2/void", new { reason = "客户退货，第二期取消" }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([InstalmentState.Partial, InstalmentState.Void], States(voided));
        await using var db = app.Db();
        var later = await InstalmentStates.OfPlansAsync(db, [id], Today.AddDays(6), CancellationToken.None);
        Assert.Equal([InstalmentState.Overdue, InstalmentState.Void], later.Select(v => v.State).ToArray());
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == nameof(Instalment) && e.EntityKey == $"{id}:2" && e.Action == KeyAccounts.Features.Audit.AuditAction.Updated));
    }

    [Fact]
    public async Task CreatePlan_InstalmentsNotAddingUp_400NamingInstalmentsAndNothingWritten()
    {
        using var admin = await app.ClientAsync("admin");
        var (_, code) = await AccountAsync(admin);
        var inv = No("INV");
        await InvoiceAsync(admin, code, inv, Today, Today.AddDays(30), 1000);

        var sum = await (await admin.PostJsonAsync("/api/v1/collection-plans", new
        {
            invoiceNo = inv,
            instalments = new[] { new { dueOn = Today.AddDays(10), amount = 300m }, new { dueOn = Today.AddDays(20), amount = 300m } },
        })).ExpectAsync(HttpStatusCode.BadRequest);
        var fields = await (await admin.PostJsonAsync("/api/v1/collection-plans", new
        {
            invoiceNo = inv,
            orderNo = "SO-1",
            instalments = new object[] { new { dueOn = Today.AddDays(10), amount = -1m }, new { amount = 1001m } },
        })).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(sum.GetProperty("errors").TryGetProperty("instalments", out _));
        var errors = fields.GetProperty("errors");
        Assert.True(errors.TryGetProperty("invoiceNo", out _));
        Assert.True(errors.TryGetProperty("instalments[0].amount", out _));
        Assert.True(errors.TryGetProperty("instalments[1].dueOn", out _));
        await using var db = app.Db();
        Assert.False(await db.CollectionPlans.AnyAsync(p => p.InvoiceNo == inv));
        Assert.False(await db.Instalments.AnyAsync(i => db.CollectionPlans.Where(p => p.InvoiceNo == inv).Select(p => p.Id).Contains(i.PlanId)));
    }

    [Fact]
    public async Task RecordPayment_BeyondWhatTheInvoiceOwes_400NamingAmountAndNothingWritten()
    {
        using var admin = await app.ClientAsync("admin");
        var (_, code) = await AccountAsync(admin);
        var inv = No("INV");
        await InvoiceAsync(admin, code, inv, Today, Today.AddDays(30), 1000);
        var id = (await PlanAsync(admin, inv, (Today.AddDays(30), 1000))).GetProperty("id").GetInt64();
        await PaymentAsync(admin, code, No("PAY"), Today, 700, inv);
        var paymentNo = No("PAY");

        var tooMuch = await (await admin.PostJsonAsync($"/api/v1/collection-plans/{id}/payments", new { paymentNo, paidOn = Today, amount = 300.01m, method = "Cheque" }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        var ok = await (await admin.PostJsonAsync($"/api/v1/collection-plans/{id}/payments", new { paymentNo, paidOn = Today, amount = 300m, method = "Cheque" }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.True(tooMuch.GetProperty("errors").TryGetProperty("amount", out _));
        Assert.Equal([InstalmentState.Completed], States(ok));
        await using var db = app.Db();
        Assert.Equal(300m, (await db.Payments.SingleAsync(p => p.PaymentNo == paymentNo)).Amount);
    }

    [Fact]
    public async Task ImportPayments_UnknownMethodOrInvoiceType_400NamingTheColumnAndNothingWritten()
    {
        using var admin = await app.ClientAsync("admin");
        var (_, code) = await AccountAsync(admin);
        var paymentNo = No("PAY");
        var invoiceNo = No("INV");

        var payment = await (await admin.PostJsonAsync("/api/v1/transactions/payments", new
        {
            items = new[] { new { paymentNo, accountCode = code, paidOn = Today, amount = 10m, method = "比特币" } },
        })).ExpectAsync(HttpStatusCode.BadRequest);
        var invoice = await (await admin.PostJsonAsync("/api/v1/transactions/invoices", new
        {
            items = new[] { new { invoiceNo, accountCode = code, issuedOn = Today, dueOn = Today, amount = 10m, invoiceType = "红票", taxRate = 13m } },
        })).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(payment.GetProperty("errors").TryGetProperty("items[0].method", out _));
        Assert.True(invoice.GetProperty("errors").TryGetProperty("items[0].invoiceType", out _));
        Assert.True(invoice.GetProperty("errors").TryGetProperty("items[0].taxRate", out _));
        await using var db = app.Db();
        Assert.False(await db.Payments.AnyAsync(p => p.PaymentNo == paymentNo));
        Assert.False(await db.Invoices.AnyAsync(i => i.InvoiceNo == invoiceNo));
    }

    [Fact]
    public async Task Reminders_RunTwice_OwnerAndFinanceRemindedOncePerInstalmentAndEvent()
    {
        using var admin = await app.ClientAsync("admin");
        var (_, code) = await AccountAsync(admin, app.UserIds["rep"]);
        var inv = No("INV");
        await InvoiceAsync(admin, code, inv, Today.AddDays(-20), Today.AddDays(30), 900);
        var plan = await PlanAsync(admin, inv, (Today.AddDays(-2), 300), (Today.AddDays(3), 300), (Today.AddDays(40), 300));
        long[] ids = [.. plan.GetProperty("instalments").EnumerateArray().Select(i => i.GetProperty("id").GetInt64())];

        await using (var db = app.Db())
        {
            await InstalmentReminders.RunAsync(db, Today, 7, CancellationToken.None);
            await InstalmentReminders.RunAsync(db, Today, 7, CancellationToken.None);
        }

        await using var check = app.Db();
        string[] keys = [$"instalment:{ids[0]}:overdue", $"instalment:{ids[1]}:due", $"instalment:{ids[2]}:due"];
        var sent = await check.Notifications.Where(n => keys.Contains(n.DedupKey)).Select(n => new { n.RecipientId, n.Event, n.DedupKey }).ToListAsync();
        string[] recipients = [app.UserIds["rep"], app.UserIds["finance"]];
        Assert.Equal(recipients.Order(), sent.Where(n => n.DedupKey == keys[0] && n.Event == NotificationEvent.InstalmentOverdue).Select(n => n.RecipientId).Order());
        Assert.Equal(recipients.Order(), sent.Where(n => n.DedupKey == keys[1] && n.Event == NotificationEvent.InstalmentDue).Select(n => n.RecipientId).Order());
        Assert.DoesNotContain(sent, n => n.DedupKey == keys[2]);
        var repNote = await check.Notifications.FirstAsync(n => n.DedupKey == keys[0] && n.RecipientId == app.UserIds["rep"]);
        Assert.Contains(inv, repNote.Title);
    }

    [Fact]
    public async Task InvoiceTitle_SavedThenInvoiceImported_CopiedOntoInvoiceAndAudited()
    {
        using var admin = await app.ClientAsync("admin");
        var (id, code) = await AccountAsync(admin);
        var put = await admin.PutJsonAsync($"/api/v1/accounts/{id}/invoice-title", new
        {
            name = "苏州精工机械有限公司",
            address = "苏州工业园区星湖街 1 号",
            phone = "0512-66668888",
            bank = "中国工商银行苏州分行",
            bankAccount = "1102 0201 0900 1234 567",
        });
        await put.ExpectAsync(HttpStatusCode.OK);
        var inv = No("INV");
        await InvoiceAsync(admin, code, inv, Today, Today.AddDays(30), 100);
        var badPut = await (await admin.PutJsonAsync($"/api/v1/accounts/{id}/invoice-title", new { name = "", bankAccount = "abc" })).ExpectAsync(HttpStatusCode.BadRequest);

        await using var db = app.Db();
        var invoice = await db.Invoices.SingleAsync(i => i.InvoiceNo == inv);
        Assert.Equal(("苏州精工机械有限公司", "中国工商银行苏州分行", "1102 0201 0900 1234 567"), (invoice.BuyerName, invoice.BuyerBank, invoice.BuyerBankAccount));
        Assert.True(badPut.GetProperty("errors").TryGetProperty("name", out _));
        Assert.True(badPut.GetProperty("errors").TryGetProperty("bankAccount", out _));
        Assert.Equal("苏州精工机械有限公司", (await db.InvoiceTitles.SingleAsync(t => t.AccountId == id)).Name);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == nameof(AccountInvoiceTitle) && e.AccountId == id));
    }

    [Fact]
    public async Task Plan_OtherRepsAccount_404AndNotPlannable()
    {
        using var admin = await app.ClientAsync("admin");
        var (_, code) = await AccountAsync(admin, app.UserIds["rep2"]);
        var inv = No("INV");
        await InvoiceAsync(admin, code, inv, Today, Today.AddDays(30), 100);
        var id = (await PlanAsync(admin, inv, (Today.AddDays(30), 100))).GetProperty("id").GetInt64();

        using var west = await app.ClientAsync("westrep");
        Assert.Equal(HttpStatusCode.NotFound, (await west.GetAsync($"/api/v1/collection-plans/{id}")).StatusCode);
        var body = await (await west.PostJsonAsync("/api/v1/collection-plans", new { invoiceNo = inv, instalments = new[] { new { dueOn = Today, amount = 100m } } }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(body.GetProperty("errors").TryGetProperty("invoiceNo", out _));
    }
}
