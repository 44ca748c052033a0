using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Audit;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Features.Quotes;
using KeyAccounts.Features.Transactions;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Quotes;

[Collection(AppCollection.Name)]
public sealed class QuotesApiTests(TestApp app)
{
    private static readonly DateOnly LongAgo = new(2020, 1, 1);

    private async Task<long> ProductAsync(string name = "调心滚子轴承 22220", decimal? knownCost = null)
    {
        await using var db = app.Db();
        var product = new Product { Code = TestApp.Unique("P"), Name = name, UpdatedAt = DateTime.UtcNow };
        db.Products.Add(product);
        await db.SaveChangesAsync();
        if (knownCost is { } cost)
        {
            // The cost the ERP fed on an earlier order line: what a quote's order line takes as its unit cost.
            var account = await db.Accounts.Select(a => a.Id).FirstAsync();
            var order = new SalesOrder { OrderNo = TestApp.Unique("ERP"), AccountId = account, OrderDate = LongAgo, UpdatedAt = DateTime.UtcNow };
            db.Orders.Add(order);
            await db.SaveChangesAsync();
            db.OrderLines.Add(new OrderLine { OrderId = order.Id, LineNo = 1, AccountId = account, OrderDate = LongAgo, ProductId = product.Id, Quantity = 1, UnitPrice = cost * 2, UnitCost = cost });
            await db.SaveChangesAsync();
        }
        return product.Id;
    }

    private async Task<long> PriceListAsync(object body)
    {
        using var admin = await app.ClientAsync("admin");
        var created = await (await admin.PostJsonAsync("/api/v1/price-lists", body)).ExpectAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetInt64();
    }

    private Task<long> StandardPriceAsync(long productId, decimal price) =>
        PriceListAsync(new { name = "标准价目表", validFrom = LongAgo, lines = new[] { new { productId, unitPrice = price } } });

    private static async Task<JsonElement> CreateQuoteAsync(HttpClient client, long accountId, params object[] lines) =>
        await (await client.PostJsonAsync("/api/v1/quotes", new { accountId, lines })).ExpectAsync(HttpStatusCode.Created);

    private async Task<(long Account, long Product, long Quote)> DraftAsync(string owner = "rep", decimal extraDiscount = 0, decimal price = 1450m, decimal? knownCost = null)
    {
        var account = await app.AccountAsync(owner, Tier.Key);
        var product = await ProductAsync(knownCost: knownCost);
        await StandardPriceAsync(product, price);
        using var client = await app.ClientAsync(owner);
        var quote = await CreateQuoteAsync(client, account, new { productId = product, quantity = 10, requestedDiscountPercent = extraDiscount });
        return (account, product, quote.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Create_FromTheStandardList_PricesTheLinesAndExplainsThem()
    {
        var account = await app.AccountAsync("rep");
        var bearing = await ProductAsync();
        var pump = await ProductAsync("轴向柱塞泵 A4VSO125");
        await PriceListAsync(new { name = "2026 标准价", validFrom = LongAgo, lines = new[] { new { productId = bearing, unitPrice = 1450m }, new { productId = pump, unitPrice = 32000m } } });
        using var rep = await app.ClientAsync("rep");

        var quote = await CreateQuoteAsync(rep, account, new { productId = bearing, quantity = 12 }, new { productId = pump, quantity = 2.5m });

        Assert.Equal("Draft", quote.GetProperty("state").GetString());
        Assert.Equal("CNY", quote.GetProperty("currency").GetString());
        Assert.StartsWith("BJ", quote.GetProperty("number").GetString());
        var lines = quote.GetProperty("lines");
        Assert.Equal(1450m, lines[0].GetProperty("listPrice").GetDecimal());
        Assert.Equal("2026 标准价", lines[0].GetProperty("priceListName").GetString());
        Assert.Equal(0m, lines[0].GetProperty("policyDiscountPercent").GetDecimal());
        Assert.Equal(17400m, lines[0].GetProperty("amount").GetDecimal());
        Assert.Equal(80000m, lines[1].GetProperty("amount").GetDecimal());
        Assert.Equal(97400m, quote.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Create_TierAndDealerLists_TheMostSpecificValidListPricesEachProduct()
    {
        var dealer = await app.AccountAsync("rep", Tier.Key);
        var (onAll, onTierAndStandard, onStandardOnly) = (await ProductAsync(), await ProductAsync(), await ProductAsync());
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        await PriceListAsync(new { name = "标准价", validFrom = LongAgo, lines = new[] { new { productId = onAll, unitPrice = 100m }, new { productId = onTierAndStandard, unitPrice = 50m }, new { productId = onStandardOnly, unitPrice = 10m } } });
        await PriceListAsync(new { name = "大客户价", tier = "Key", validFrom = LongAgo, lines = new[] { new { productId = onAll, unitPrice = 90m }, new { productId = onTierAndStandard, unitPrice = 45m } } });
        await PriceListAsync(new { name = "经销商专属价", accountId = dealer, validFrom = LongAgo, lines = new[] { new { productId = onAll, unitPrice = 80m } } });
        // Dated lists: one that starts tomorrow and one that ended yesterday do not apply today.
        await PriceListAsync(new { name = "明年经销商价", accountId = dealer, validFrom = today.AddDays(1), lines = new[] { new { productId = onAll, unitPrice = 1m } } });
        await PriceListAsync(new { name = "旧大客户价", tier = "Key", validFrom = LongAgo, validTo = today.AddDays(-1), lines = new[] { new { productId = onStandardOnly, unitPrice = 2m } } });
        // Another tier's list is not this account's.
        await PriceListAsync(new { name = "小客户价", tier = "Small", validFrom = LongAgo, lines = new[] { new { productId = onStandardOnly, unitPrice = 3m } } });
        using var rep = await app.ClientAsync("rep");

        var quote = await CreateQuoteAsync(rep, dealer, new { productId = onAll, quantity = 1 }, new { productId = onTierAndStandard, quantity = 1 }, new { productId = onStandardOnly, quantity = 1 });

        var lines = quote.GetProperty("lines");
        Assert.Equal((80m, "经销商专属价"), (lines[0].GetProperty("listPrice").GetDecimal(), lines[0].GetProperty("priceListName").GetString()));
        Assert.Equal((45m, "大客户价"), (lines[1].GetProperty("listPrice").GetDecimal(), lines[1].GetProperty("priceListName").GetString()));
        Assert.Equal((10m, "标准价"), (lines[2].GetProperty("listPrice").GetDecimal(), lines[2].GetProperty("priceListName").GetString()));
    }

    [Fact]
    public async Task Create_HalfFenPrices_RoundHalfAwayFromZeroAndTotalIsTheSumOfLines()
    {
        var account = await app.AccountAsync("rep");
        var (washer, pin) = (await ProductAsync("垫圈"), await ProductAsync("销"));
        await PriceListAsync(new { name = "标准价", validFrom = LongAgo, lines = new[] { new { productId = washer, unitPrice = 1.25m }, new { productId = pin, unitPrice = 0.05m } } });
        using var rep = await app.ClientAsync("rep");

        var quote = await CreateQuoteAsync(rep, account, new { productId = washer, quantity = 3, requestedDiscountPercent = 10m }, new { productId = pin, quantity = 0.5m });

        var lines = quote.GetProperty("lines");
        Assert.Equal(1.13m, lines[0].GetProperty("unitPrice").GetDecimal());
        Assert.Equal(3.39m, lines[0].GetProperty("amount").GetDecimal());
        Assert.Equal(0.03m, lines[1].GetProperty("amount").GetDecimal());
        Assert.Equal(3.42m, quote.GetProperty("total").GetDecimal());
        await using var db = app.Db();
        var id = quote.GetProperty("id").GetInt64();
        Assert.Equal(3.42m, await db.Quotes.Where(q => q.Id == id).Select(q => q.Total).FirstAsync());
    }

    [Fact]
    public async Task Submit_WithinPolicy_ApprovedAtOnceAndConvertedToOneOrder()
    {
        var (account, product, id) = await DraftAsync(knownCost: 900m);
        using var rep = await app.ClientAsync("rep");

        var submitted = await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/submit", new { })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Approved", submitted.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, submitted.GetProperty("lines")[0].GetProperty("approvedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, submitted.GetProperty("lines")[0].GetProperty("approvedById").ValueKind);

        var ordered = await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/order", new { })).ExpectAsync(HttpStatusCode.Created);
        var again = await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/order", new { })).ExpectAsync(HttpStatusCode.Conflict);

        Assert.Equal("Ordered", ordered.GetProperty("quote").GetProperty("state").GetString());
        Assert.Contains(ordered.GetProperty("orderNo").GetString()!, again.GetProperty("detail").GetString());
        await using var db = app.Db();
        var order = Assert.Single(await db.Orders.Where(o => o.QuoteId == id).ToListAsync());
        Assert.Equal(account, order.AccountId);
        Assert.Equal($"SO-{submitted.GetProperty("number").GetString()}", order.OrderNo);
        var line = Assert.Single(await db.OrderLines.Where(l => l.OrderId == order.Id).ToListAsync());
        Assert.Equal((product, 10m, 1450m, 900m), (line.ProductId, line.Quantity, line.UnitPrice, line.UnitCost));
        Assert.Equal(order.Id, await db.Quotes.Where(q => q.Id == id).Select(q => q.OrderId).FirstAsync());
    }

    [Fact]
    public async Task Submit_ExtraDiscountBeyondPolicy_WaitsForApprovalAndCannotBeOrdered()
    {
        var (_, _, id) = await DraftAsync(extraDiscount: 5m);
        using var rep = await app.ClientAsync("rep");

        var submitted = await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/submit", new { })).ExpectAsync(HttpStatusCode.OK);
        await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/order", new { })).ExpectAsync(HttpStatusCode.Conflict);

        Assert.Equal("PendingApproval", submitted.GetProperty("state").GetString());
        Assert.Equal(1377.50m, submitted.GetProperty("lines")[0].GetProperty("unitPrice").GetDecimal());
        await using var db = app.Db();
        Assert.False(await db.Orders.AnyAsync(o => o.QuoteId == id));
        var quote = await db.Quotes.Include(q => q.Lines).FirstAsync(q => q.Id == id);
        Assert.Equal(new QuoteApproval.Facts(5m, 5m, 13775m), QuoteApproval.FactsOf(quote));
    }

    [Fact]
    public async Task Submit_ExtraDiscount_GoesToTheFlowItsFactsChoose_ApprovedInTheInbox_BecomesAnOrder()
    {
        // A flow of its own, chosen by this quote's amount (1,234.56 less 7 % = 1,148.14 a unit, × 10 = 11,481.40), that names the leader.
        var (_, _, id) = await DraftAsync(extraDiscount: 7m, price: 1234.56m);
        using var admin = await app.ClientAsync("admin");
        await (await admin.PostJsonAsync("/api/v1/approval-flows", new
        {
            documentType = "Quote",
            name = TestApp.Unique("特价审批"),
            priority = 1000,
            conditions = new[] { new { fact = "amount", @operator = "Eq", value = 11481.40m } },
            steps = new[] { new { name = "公司领导审批", kind = "NamedUsers", mode = "Any", userIds = new[] { app.UserIds["leader"] } } },
        })).ExpectAsync(HttpStatusCode.Created);
        using var rep = await app.ClientAsync("rep");

        var submitted = await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/submit", new { })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("PendingApproval", submitted.GetProperty("state").GetString());
        Assert.Equal(11481.40m, submitted.GetProperty("total").GetDecimal());
        using var leader = await app.ClientAsync("leader");
        var inbox = await (await leader.GetAsync("/api/v1/approvals/inbox?pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        var request = inbox.GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("documentType").GetString() == "Quote" && i.GetProperty("documentId").GetInt64() == id);
        var requestId = request.GetProperty("id").GetInt64();
        // Not an approver of this step: refused, nothing decided.
        using var manager = await app.ClientAsync("manager");
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostJsonAsync($"/api/v1/approvals/{requestId}/approve", new { })).StatusCode);
        await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/order", new { })).ExpectAsync(HttpStatusCode.Conflict);

        await (await leader.PostJsonAsync($"/api/v1/approvals/{requestId}/approve", new { })).ExpectAsync(HttpStatusCode.OK);

        var approved = await (await rep.GetAsync($"/api/v1/quotes/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Approved", approved.GetProperty("state").GetString());
        await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/order", new { })).ExpectAsync(HttpStatusCode.Created);
        await using var db = app.Db();
        var lines = await db.QuoteLines.Where(l => l.QuoteId == id).ToListAsync();
        Assert.All(lines, l => Assert.Equal(app.UserIds["leader"], l.ApprovedById));
        Assert.True(await db.Orders.AnyAsync(o => o.QuoteId == id));
    }

    [Fact]
    public async Task ApproveQuote_Pending_ApprovedWithTheApproverOnEveryLineThenOrdered()
    {
        var (_, _, id) = await DraftAsync(extraDiscount: 8m);
        using var rep = await app.ClientAsync("rep");
        await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/submit", new { })).ExpectAsync(HttpStatusCode.OK);

        await using (var db = app.Db())
            Assert.IsType<Ok>((await QuoteApproval.ApproveQuoteAsync(db, id, app.UserIds["manager"])).Result);

        var approved = await (await rep.GetAsync($"/api/v1/quotes/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Approved", approved.GetProperty("state").GetString());
        Assert.Equal("MANAGER", approved.GetProperty("decidedByName").GetString());
        Assert.All(approved.GetProperty("lines").EnumerateArray(), l => Assert.Equal("MANAGER", l.GetProperty("approvedByName").GetString()));
        await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/order", new { })).ExpectAsync(HttpStatusCode.Created);
        await using var check = app.Db();
        Assert.Single(await check.Orders.Where(o => o.QuoteId == id).ToListAsync());
    }

    [Fact]
    public async Task RejectQuote_WithoutReason_RefusedAndStillPending_WithReason_RejectedAndEditableAgain()
    {
        var (_, product, id) = await DraftAsync(extraDiscount: 20m);
        using var rep = await app.ClientAsync("rep");
        await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/submit", new { })).ExpectAsync(HttpStatusCode.OK);

        await using (var db = app.Db())
        {
            var refused = Assert.IsType<ValidationProblem>((await QuoteApproval.RejectQuoteAsync(db, id, "  ")).Result);
            Assert.True(refused.ProblemDetails.Errors.ContainsKey("reason"));
            Assert.Equal(QuoteState.PendingApproval, await db.Quotes.Where(q => q.Id == id).Select(q => q.State).FirstAsync());
        }
        await using (var db = app.Db())
            Assert.IsType<Ok>((await QuoteApproval.RejectQuoteAsync(db, id, "折扣超出区域授权")).Result);

        var rejected = await (await rep.GetAsync($"/api/v1/quotes/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Rejected", rejected.GetProperty("state").GetString());
        Assert.Equal("折扣超出区域授权", rejected.GetProperty("decisionNote").GetString());
        var edited = await (await rep.PutJsonAsync($"/api/v1/quotes/{id}", new { lines = new[] { new { productId = product, quantity = 10, requestedDiscountPercent = 0 } } }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Draft", edited.GetProperty("state").GetString());
    }

    [Fact]
    public async Task ReturnQuote_Pending_ReturnedToTheSubmitterWhoCanSubmitAgain()
    {
        var (_, _, id) = await DraftAsync(extraDiscount: 3m);
        using var rep = await app.ClientAsync("rep");
        await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/submit", new { })).ExpectAsync(HttpStatusCode.OK);

        await using (var db = app.Db())
            Assert.IsType<Ok>((await QuoteApproval.ReturnQuoteAsync(db, id, "请补充竞品报价")).Result);

        var again = await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/submit", new { })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("PendingApproval", again.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Create_BadLines_Returns400NamingEachFieldAndStoresNothing()
    {
        var account = await app.AccountAsync("rep");
        var product = await ProductAsync();
        var unpriced = await ProductAsync();
        await StandardPriceAsync(product, 100m);
        using var rep = await app.ClientAsync("rep");

        var body = await (await rep.PostJsonAsync("/api/v1/quotes", new
        {
            accountId = account,
            lines = new object[]
            {
                new { productId = 987_654_321L, quantity = 1 },
                new { productId = product, quantity = 0 },
                new { productId = product, quantity = 1, requestedDiscountPercent = 100.5m },
                new { productId = product, quantity = 1, requestedDiscountPercent = -1 },
                new { productId = unpriced, quantity = 1 },
            },
        })).ExpectAsync(HttpStatusCode.BadRequest);

        var errors = body.GetProperty("errors");
        foreach (var field in new[] { "lines[0].productId", "lines[1].quantity", "lines[2].requestedDiscountPercent", "lines[3].requestedDiscountPercent", "lines[4].productId" })
            Assert.True(errors.TryGetProperty(field, out _), field);
        Assert.Equal(5, errors.EnumerateObject().Count());
        await using var db = app.Db();
        Assert.False(await db.Quotes.AnyAsync(q => q.AccountId == account));
        Assert.False(await db.AuditEntries.AnyAsync(e => e.AccountId == account && e.Entity == nameof(Quote)));
    }

    [Fact]
    public async Task Update_BadLine_Returns400AndKeepsTheQuoteAsItWas()
    {
        var (_, product, id) = await DraftAsync();
        using var rep = await app.ClientAsync("rep");

        var body = await (await rep.PutJsonAsync($"/api/v1/quotes/{id}", new { lines = new object[] { new { productId = product, quantity = 99 }, new { productId = product, quantity = -5 } } }))
            .ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(body.GetProperty("errors").TryGetProperty("lines[1].quantity", out _));
        await using var db = app.Db();
        var line = Assert.Single(await db.QuoteLines.Where(l => l.QuoteId == id).ToListAsync());
        Assert.Equal(10m, line.Quantity);
        Assert.Equal(1, await db.Quotes.Where(q => q.Id == id).Select(q => q.Version).FirstAsync());
    }

    [Fact]
    public async Task Update_StaleIfMatch_Returns412AndChangesNothing()
    {
        var (_, product, id) = await DraftAsync();
        using var rep = await app.ClientAsync("rep");
        var first = await rep.GetAsync($"/api/v1/quotes/{id}");
        var etag = first.Headers.ETag!.Tag;
        await (await rep.PutJsonAsync($"/api/v1/quotes/{id}", new { lines = new[] { new { productId = product, quantity = 11 } } })).ExpectAsync(HttpStatusCode.OK);

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/quotes/{id}") { Content = JsonContent.Create(new { lines = new[] { new { productId = product, quantity = 12 } } }) };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(etag));
        await (await rep.SendAsync(stale)).ExpectAsync(HttpStatusCode.PreconditionFailed);

        await using var db = app.Db();
        Assert.Equal(11m, await db.QuoteLines.Where(l => l.QuoteId == id).Select(l => l.Quantity).FirstAsync());
    }

    [Fact]
    public async Task Quote_ForeignRep_Gets404EverywhereAndSeesNoneInTheList()
    {
        var (account, product, id) = await DraftAsync();
        using var west = await app.ClientAsync("westrep");

        await (await west.GetAsync($"/api/v1/quotes/{id}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.PutJsonAsync($"/api/v1/quotes/{id}", new { lines = new[] { new { productId = product, quantity = 1 } } })).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.PostJsonAsync($"/api/v1/quotes/{id}/submit", new { })).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.PostJsonAsync($"/api/v1/quotes/{id}/order", new { })).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.PostJsonAsync($"/api/v1/quotes/{id}/cancel", new { })).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.GetAsync($"/quotes/{id}/print")).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.PostJsonAsync("/api/v1/quotes", new { accountId = account, lines = new[] { new { productId = product, quantity = 1 } } })).ExpectAsync(HttpStatusCode.NotFound);
        var list = await (await west.GetAsync($"/api/v1/quotes?accountId={account}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
        await using var db = app.Db();
        Assert.Equal(QuoteState.Draft, await db.Quotes.Where(q => q.Id == id).Select(q => q.State).FirstAsync());
    }

    [Fact]
    public async Task List_FilterByStateAndOwner_PagedToTheCallersBook()
    {
        var (account, _, id) = await DraftAsync();
        using var rep = await app.ClientAsync("rep");
        await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/cancel", new { reason = "客户取消采购" })).ExpectAsync(HttpStatusCode.OK);
        using var manager = await app.ClientAsync("manager");

        var cancelled = await (await manager.GetAsync($"/api/v1/quotes?state=Cancelled&ownerId={app.UserIds["rep"]}&pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        var ofOthers = await (await manager.GetAsync($"/api/v1/quotes?accountId={account}&ownerId={app.UserIds["rep2"]}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Contains(cancelled.GetProperty("items").EnumerateArray(), q => q.GetProperty("id").GetInt64() == id);
        Assert.All(cancelled.GetProperty("items").EnumerateArray(), q => Assert.Equal("Cancelled", q.GetProperty("state").GetString()));
        Assert.Equal(0, ofOthers.GetProperty("total").GetInt32());
        Assert.Equal(500, cancelled.GetProperty("pageSize").GetInt32());
    }

    [Fact]
    public async Task Cancel_OrderedQuote_Returns409()
    {
        var (_, _, id) = await DraftAsync();
        using var rep = await app.ClientAsync("rep");
        await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/submit", new { })).ExpectAsync(HttpStatusCode.OK);
        await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/order", new { })).ExpectAsync(HttpStatusCode.Created);

        await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/cancel", new { })).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Submit_PastValidUntil_MarksTheQuoteExpiredAndRefuses()
    {
        var (_, _, id) = await DraftAsync();
        var later = new ManualClock(DateTimeOffset.UtcNow.AddDays(SaveQuote.DefaultValidDays + 2));

        await using (var db = app.Db())
        {
            db.Clock = later;
            var result = await SubmitQuote.HandleAsync(id, new SubmitQuote.Request(), db, TestApp.As(app.UserIds["rep"], "rep", Roles.Rep), later, null, null, CancellationToken.None);
            Assert.IsType<Conflict<Microsoft.AspNetCore.Mvc.ProblemDetails>>(result.Result);
        }

        await using var check = app.Db();
        Assert.Equal(QuoteState.Expired, await check.Quotes.Where(q => q.Id == id).Select(q => q.State).FirstAsync());
    }

    [Fact]
    public async Task Changes_AreAuditedWithTheirAuthor()
    {
        var (account, _, id) = await DraftAsync();
        using var rep = await app.ClientAsync("rep");
        await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/submit", new { })).ExpectAsync(HttpStatusCode.OK);
        await (await rep.PostJsonAsync($"/api/v1/quotes/{id}/order", new { })).ExpectAsync(HttpStatusCode.Created);

        await using var db = app.Db();
        var entries = await db.AuditEntries.Where(e => e.AccountId == account).ToListAsync();
        Assert.Contains(entries, e => e.Entity == nameof(Quote) && e.Action == AuditAction.Created && e.UserName == "rep");
        Assert.Contains(entries, e => e.Entity == nameof(Quote) && e.Action == AuditAction.Updated && e.After!.Contains("Approved"));
        Assert.Contains(entries, e => e.Entity == nameof(Quote) && e.Action == AuditAction.Updated && e.After!.Contains("Ordered"));
        Assert.Contains(entries, e => e.Entity == nameof(QuoteLine) && e.Action == AuditAction.Created);
        Assert.Contains(entries, e => e.Entity == nameof(SalesOrder) && e.Action == AuditAction.Created && e.UserName == "rep");
        Assert.Contains(entries, e => e.Entity == nameof(OrderLine) && e.Action == AuditAction.Created);
    }

    [Fact]
    public async Task Print_Quote_HtmlWithTheCompanyHeaderAndTheLines()
    {
        var (_, _, id) = await DraftAsync();
        using var rep = await app.ClientAsync("rep");

        var response = await rep.GetAsync($"/quotes/{id}/print");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("华锐传动科技有限公司", html);
        Assert.Contains("报价单", html);
        Assert.Contains("调心滚子轴承 22220", html);
        Assert.Contains("14,500.00", html);
        Assert.Contains("壹万肆仟伍佰元整", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", ""));
        Assert.DoesNotContain("https://", html);
    }
}
