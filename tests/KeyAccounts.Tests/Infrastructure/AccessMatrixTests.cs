using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using KeyAccounts.Data;
using KeyAccounts.Tests.Features.Evaluation;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace KeyAccounts.Tests.Infrastructure;

/// <summary>
/// Every operation of the OpenAPI document, as every role, on a record of every kind the caller may see (own) and one it may not
/// (foreign: another rep's account in another department). A foreign record answers 404, or 403 where the role lacks the
/// permission, or exactly what a record that does not exist answers (input refused before any look-up), and nothing changes.
/// The operations and their path parameters come from the document, so a new endpoint is covered without editing this test;
/// one whose parameters it cannot fill fails it until taught here.
/// </summary>
public sealed class AccessMatrixTests(TestApp app, ITestOutputHelper output) : IClassFixture<TestApp>
{
    private const string Missing = "999999999";

    /// <summary>Users who cannot see the foreign account (Rep and Engineer see their own book, Manager their department's).</summary>
    private static readonly string[] Restricted = ["rep", "engineer", "manager"];
    private static readonly string[] Everyone = ["admin", "leader", "manager", "rep", "engineer", "finance"];

    private sealed record Book(long Account, long Contact, long Visit, long Task, long Complaint, string SurveyToken, long Plan = 0, long Quote = 0);

    [Fact]
    public async Task EveryOperation_ForeignRecords_AnswerNotFoundOrForbiddenAndChangeNothing()
    {
        var own = await BookAsync("rep");
        var foreign = await BookAsync("westrep");
        // The engineer works on the rep's account through a share: it is the engineer's own record too.
        using (var rep = await app.ClientAsync("rep"))
            await (await rep.PutJsonAsync($"/api/v1/accounts/{own.Account}/shares", new { userId = app.UserIds["engineer"], access = "ReadWrite" }))
                .ExpectAsync(HttpStatusCode.NoContent);
        var globals = await GlobalsAsync();

        var operations = await OperationsAsync();
        var unfilled = new List<string>();
        var defects = new List<string>();
        var undocumented = new List<string>();

        string? Url(Operation op, Book book, bool missing)
        {
            var segments = op.Path.Split('/');
            for (var i = 0; i < segments.Length; i++)
            {
                if (!segments[i].StartsWith('{')) continue;
                var name = segments[i].Trim('{', '}');
                if (Fill(segments[i - 1], name, book, globals) is not { } value) return null;
                segments[i] = missing && value.Owned ? Missing : value.Value;
            }
            return string.Join('/', segments);
        }

        // Foreign records first: their requests must change nothing, so they cannot disturb what follows.
        var snapshot = await SnapshotAsync(foreign.Account);
        foreach (var op in operations.Where(o => o.Path.Contains('{')))
        {
            if (Url(op, foreign, false) is not { } url) { unfilled.Add($"{op.Method} {op.Path}"); continue; }
            if (op.Anonymous || !AddressesAccountRecord(op.Path)) continue;
            var missingUrl = Url(op, foreign, true)!;
            var statuses = new List<string>();
            foreach (var user in Restricted)
            {
                var status = await SendAsync(user, op, url);
                statuses.Add($"{user} {status}");
                if (status is not (403 or 404) && await SendAsync(user, op, missingUrl) is var missingStatus && status != missingStatus)
                    defects.Add($"{user} {op.Method} {url}: foreign record answers {status}, a missing one {missingStatus}");
                Documented(op, status, user, url);
            }
            var after = await SnapshotAsync(foreign.Account);
            if (after != snapshot) defects.Add($"{op.Method} {url}: a foreign record changed ({string.Join(", ", statuses)})");
            snapshot = after;
        }
        Assert.True(unfilled.Count == 0, "The access matrix cannot fill the path parameters of these operations; teach Fill() their records:\n"
                                         + string.Join('\n', unfilled.Distinct()));

        // Own records, safe methods first: every role sees what it may see, and no answer is a server error.
        foreach (var op in operations.Where(o => o.Path.Contains('{')).OrderBy(o => o.Method switch { "GET" => 0, "PUT" => 1, "POST" => 2, _ => 3 }))
        {
            var url = Url(op, own, false)!;
            foreach (var user in op.Anonymous ? ["anonymous"] : Everyone)
            {
                var status = await SendAsync(user, op, url);
                if (status >= 500) defects.Add($"{user} {op.Method} {url}: {status} on own record");
                else if (op.Method == "GET" && status == 404 && AddressesAccountRecord(op.Path))
                    defects.Add($"{user} {op.Method} {url}: own record answers 404");
                Documented(op, status, user, url);
            }
        }

        void Documented(Operation op, int status, string user, string url)
        {
            if (!op.Responses.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                undocumented.Add($"{user} {op.Method} {url}: {status} is not among the documented answers [{string.Join(", ", op.Responses)}]");
        }

        foreach (var line in undocumented) output.WriteLine(line);
        Assert.True(defects.Count == 0, string.Join('\n', defects));
    }

    /// <summary>A path parameter's value: the record of the book it names, or a record the whole company shares (Owned is false).</summary>
    private static (string Value, bool Owned)? Fill(string before, string name, Book book, Globals g) => (before, name) switch
    {
        ("accounts", "id") or (_, "accountId") => (book.Account.ToString(), true),
        ("contacts", "id") => (book.Contact.ToString(), true),
        ("visits", "id") => (book.Visit.ToString(), true),
        ("tasks", "id") => (book.Task.ToString(), true),
        ("complaints", "id") => (book.Complaint.ToString(), true),
        ("collection-plans", "id") => (book.Plan.ToString(), true),
        ("quotes", "id") => (book.Quote.ToString(), true),
        ("instalments", "no") => ("1", false),
        ("surveys", "token") => (book.SurveyToken, true),
        ("shares", "userId") => (g.SharedUserId, false),
        ("runs", "id") => (g.Run.ToString(), false),
        ("models", "id") => (g.Model.ToString(), false),
        ("templates", "id") => (g.Template.ToString(), false),
        ("notifications", "id") => (g.Notification.ToString(), false),
        ("deliveries", "id") => (g.Delivery.ToString(), false),
        ("departments", "id") => (g.Department.ToString(), false),
        ("users", "id") => (g.User, false),
        ("approvals", "id") => (g.Approval.ToString(), false),
        ("approval-flows", "id") => (g.Flow.ToString(), false),
        ("price-lists", "id") => (g.PriceList.ToString(), false),
        ("policies", "id") => (g.Policy.ToString(), false),
        ("imports", "kind") => ("accounts", false),
        _ => null,
    };

    private static bool AddressesAccountRecord(string path) =>
        path.Split('/').Zip(path.Split('/').Skip(1)).Any(p => p.Second.StartsWith('{') && (p.First is "accounts" or "contacts" or "visits" or "tasks" or "complaints" or "collection-plans" or "quotes" || p.Second == "{accountId}"));

    private sealed record Globals(long Run, long Model, long Template, long Notification, long Delivery, int Department, string User, string SharedUserId)
    {
        /// <summary>The run's approval request, and a flow of its own (one that never applies) for the flows' endpoints to change and delete.</summary>
        public long Approval { get; init; }
        public int Flow { get; init; }
        public long PriceList { get; init; }
        public long Policy { get; init; }
    }

    private sealed record Operation(string Method, string Path, bool Anonymous, string? BodyType, HashSet<string> Responses);

    private async Task<List<Operation>> OperationsAsync()
    {
        var doc = await OpenApiDocumentTests.DocumentAsync(app);
        var list = new List<Operation>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                var anonymous = !operation.Value.TryGetProperty("security", out var security) || security.EnumerateArray().All(s => !s.EnumerateObject().Any());
                string? body = null;
                if (operation.Value.TryGetProperty("requestBody", out var requestBody))
                    body = requestBody.GetProperty("content").EnumerateObject().First().Name;
                var responses = operation.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
                list.Add(new Operation(operation.Name.ToUpperInvariant(), path.Name, anonymous, body, responses));
            }
        return list;
    }

    private readonly Dictionary<string, HttpClient> clients = [];

    /// <summary>Sends the operation with an empty body of its media type: enough to reach the record's look-up, never a valid change.</summary>
    private async Task<int> SendAsync(string user, Operation op, string url)
    {
        if (!clients.TryGetValue(user, out var client))
            clients[user] = client = user == "anonymous" ? app.CreateClient() : await app.ClientAsync(user);
        using var request = new HttpRequestMessage(new HttpMethod(op.Method), url);
        if (op.BodyType is { } type)
            request.Content = type.StartsWith("multipart/", StringComparison.Ordinal)
                ? new MultipartFormDataContent()
                : new StringContent("{}", Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }

    private static readonly JsonSerializerOptions SnapshotJson = new() { ReferenceHandler = ReferenceHandler.IgnoreCycles };

    /// <summary>The audit log's length and every row of the account and what hangs off it, as one comparable string.</summary>
    private async Task<string> SnapshotAsync(long accountId)
    {
        await using var db = app.Db();
        var parts = new List<object>
        {
            await db.AuditEntries.CountAsync(),
            await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).ToListAsync(),
            await Rows(db.Contacts), await Rows(db.Archives), await Rows(db.AccountShares), await Rows(db.Visits), await Rows(db.FollowUpTasks),
            await Rows(db.FollowUps), await Rows(db.Complaints), await Rows(db.CareActions), await Rows(db.SurveyInvitations),
            await Rows(db.EvaluationResults), await Rows(db.JudgedScores), await Rows(db.CollectionPlans), await Rows(db.Instalments),
            await Rows(db.InvoiceTitles), await Rows(db.Payments), await Rows(db.Quotes),
            await db.Notifications.AsNoTracking().Where(n => n.AccountId == accountId).ToListAsync(),
        };
        return JsonSerializer.Serialize(parts, SnapshotJson);

        Task<List<T>> Rows<T>(DbSet<T> set) where T : class =>
            set.AsNoTracking().Where(e => EF.Property<long>(e, "AccountId") == accountId).ToListAsync();
    }

    private async Task<Book> BookAsync(string owner)
    {
        var account = await EvaluationFixture.AccountAsync(app, owner);
        await EvaluationFixture.TransactionsAsync(app, account, new DateOnly(2031, 3, 1), 500_000m, loss: 1_000m);
        var contact = await app.ContactAsync(owner, account);
        using var client = await app.ClientAsync(owner);
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2).ToString("yyyy-MM-dd");

        async Task<JsonElement> Post(string url, object body) => await (await client.PostJsonAsync(url, body)).ExpectAsync(HttpStatusCode.Created);

        (await client.PutJsonAsync($"/api/v1/accounts/{account}/archive", new { })).EnsureSuccessStatusCode();
        var visit = (await Post("/api/v1/visits", new { accountId = account, level = "Business", plannedOn = day, purpose = "季度回顾", contactIds = new[] { contact } })).GetProperty("id").GetInt64();
        var task = (await Post("/api/v1/tasks", new { accountId = account, title = "准备材料", dueOn = day })).GetProperty("id").GetInt64();
        await Post("/api/v1/follow-ups", new { accountId = account, method = "Call", summary = "电话确认" });
        var complaint = (await Post("/api/v1/complaints", new { accountId = account, contactId = contact, category = "Quality", severity = "Low", description = "异响" })).GetProperty("id").GetInt64();
        await Post($"/api/v1/accounts/{account}/care-actions", new { contactId = contact, occasion = "Festival", festival = "MidAutumn", what = "月饼", takenOn = "2024-09-15", cost = 100m });
        var template = await TemplateAsync();
        var sent = await Post($"/api/v1/accounts/{account}/surveys", new { templateId = template, contactIds = new[] { contact }, validDays = 7 });
        var url = sent.GetProperty("links")[0].GetProperty("url").GetString()!;
        long plan;
        await using (var db = app.Db())
        {
            var invoice = await db.Invoices.Where(i => i.AccountId == account).Select(i => new { i.InvoiceNo, i.Amount }).FirstAsync();
            plan = (await Post("/api/v1/collection-plans", new { invoiceNo = invoice.InvoiceNo, instalments = new[] { new { dueOn = day, amount = invoice.Amount } } }))
                .GetProperty("id").GetInt64();
        }
        long quote;
        await using (var db = app.Db())
        {
            var product = new KeyAccounts.Features.Transactions.Product { Code = TestApp.Unique("MQ"), Name = "矩阵产品", UpdatedAt = DateTime.UtcNow };
            db.Products.Add(product);
            await db.SaveChangesAsync();
            using var admin = await app.ClientAsync("admin");
            await (await admin.PostJsonAsync("/api/v1/price-lists", new { name = TestApp.Unique("矩阵价目"), validFrom = "2020-01-01", lines = new[] { new { productId = product.Id, unitPrice = 100m } } }))
                .ExpectAsync(HttpStatusCode.Created);
            quote = (await Post("/api/v1/quotes", new { accountId = account, lines = new[] { new { productId = product.Id, quantity = 1 } } })).GetProperty("id").GetInt64();
        }
        return new Book(account, contact, visit, task, complaint, url[(url.LastIndexOf('/') + 1)..], plan, quote);
    }

    private long? template;

    private async Task<long> TemplateAsync()
    {
        if (template is { } t) return t;
        using var manager = await app.ClientAsync("manager");
        var body = await (await manager.PostJsonAsync("/api/v1/surveys/templates", new { name = TestApp.Unique("矩阵"), questions = new[] { new { kind = "Csat", text = "满意吗" } } }))
            .ExpectAsync(HttpStatusCode.Created);
        template = body.GetProperty("id").GetInt64();
        return template.Value;
    }

    private async Task<Globals> GlobalsAsync()
    {
        var model = await EvaluationFixture.ActiveModelAsync(app, EvaluationFixture.BandModel(TestApp.Unique("矩阵")));
        var run = (await EvaluationFixture.RunAsync(app, model, new DateOnly(2031, 1, 1), new DateOnly(2031, 12, 31))).GetProperty("id").GetInt64();
        using var admin = await app.ClientAsync("admin");
        var department = (await (await admin.PostJsonAsync("/api/v1/departments", new { name = TestApp.Unique("矩阵部"), parentId = app.CompanyId }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        var user = (await (await admin.PostJsonAsync("/api/v1/users", new { userName = TestApp.Unique("matrix"), password = TestApp.Password, roles = new[] { "Rep" } }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await using var db = app.Db();
        var notification = await db.Notifications.OrderBy(n => n.Id).Select(n => n.Id).FirstOrDefaultAsync();
        var delivery = await db.NotificationDeliveries.OrderBy(n => n.Id).Select(n => n.Id).FirstOrDefaultAsync();
        var approval = await db.ApprovalRequests.Where(r => r.DocumentType == "EvaluationRun" && r.DocumentId == run).Select(r => r.Id).FirstAsync();
        var flow = (await (await admin.PostJsonAsync("/api/v1/approval-flows", new
        {
            documentType = "EvaluationRun",
            name = TestApp.Unique("矩阵流程"),
            priority = 1,
            conditions = new[] { new { fact = "never", @operator = "Gt", value = 0 } },
            steps = new[] { new { name = "领导", kind = "Role", mode = "Any", role = "Leader" } },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        var product = new KeyAccounts.Features.Transactions.Product { Code = TestApp.Unique("MG"), Name = "矩阵通用产品", UpdatedAt = DateTime.UtcNow };
        db.Products.Add(product);
        await db.SaveChangesAsync();
        var priceList = (await (await admin.PostJsonAsync("/api/v1/price-lists", new { name = TestApp.Unique("矩阵通用价目"), validFrom = "2020-01-01", lines = new[] { new { productId = product.Id, unitPrice = 100m } } }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        // Valid long ago only: no account's terms change.
        var policy = (await (await admin.PostJsonAsync("/api/v1/policies", new { name = TestApp.Unique("矩阵政策"), priority = 1, validFrom = "2001-01-01", validTo = "2001-12-31", conditions = new { }, benefits = new { discountPercent = 1 } }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        return new Globals(run, model, await TemplateAsync(), notification == 0 ? long.Parse(Missing) : notification,
            delivery == 0 ? long.Parse(Missing) : delivery, department, user, app.UserIds["engineer"])
        { Approval = approval, Flow = flow, PriceList = priceList, Policy = policy };
    }
}
