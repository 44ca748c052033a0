using System.Net;
using System.Net.Http.Json;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using KeyAccounts.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KeyAccounts.BrowserTests.Components;

/// <summary>
/// Every routable page (its @page routes read from the app's assembly, so a new page is covered without a line here), signed in
/// as an administrator, in Chinese and in English, with its tabs opened. A page fails on a raw resource key
/// ("Status.New"), on English words in the Chinese UI or Chinese in the English UI. The words checked are the UI's own — headers,
/// labels, buttons, tabs, navigation, chips, headings, column labels, placeholders — not the data in table cells and fields; the
/// data this test seeded is taken out of headings and chips before they are judged. Accessibility labels are not judged yet:
/// MudBlazor's own (the pager's "First page", a select's "Open") are English until its texts are localised.
/// </summary>
public sealed partial class EveryPageLanguageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>Latin words that belong in the Chinese UI: the product, abbreviations, formats, brands, the seeded users' names.</summary>
    private static readonly HashSet<string> LatinAllowed = new(StringComparer.OrdinalIgnoreCase)
    {
        "KeyAccounts", "AHP", "API", "CSV", "ID", "CR", "NPS", "CSAT", "UTC", "Excel", "xlsx", "csv", "ABC", "CNY", "iCal", "ics", "URL",
        "SMTP", "Webhook", "WeCom", "DingTalk", "Feishu", "KPI", "CRM", "TOP", "vs", "English", "Outlook", "UTF", "GBK", "https", "http",
        "ADMIN", "LEADER", "MANAGER", "REP", "REP2", "WESTREP", "ENGINEER", "FINANCE", "Administrator", "admin", "rep",
    };

    /// <summary>Fragments a page may still show in the other language, by path and word (none today).</summary>
    private static readonly (string Path, string Word)[] Pending = [];

    /// <summary>Chinese that belongs in the English UI: the language switch.</summary>
    private static readonly string[] ChineseAllowed = ["中文"];

    /// <summary>Words with a dot between capitals that are not resource keys.</summary>
    private static readonly HashSet<string> KeysAllowed = ["ASP.NET", "Microsoft.AspNetCore"];

    /// <summary>The UI's own words on the page: what is judged. Table cells, inputs and free text are data.</summary>
    private const string CollectScript = """
        () => {
          const own = 'th, label, button, .mud-tab, h1, h2, h3, h4, h5, h6, .mud-nav-link, .mud-chip-content, .mud-input-label, .mud-alert-message, .mud-table-empty-row, .mud-snackbar, .mud-menu-item, .mud-list-item-text, legend, caption, .mud-typography-caption';
          const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
          const texts = [...document.querySelectorAll(own)].filter(visible).map(e => e.innerText.trim()).filter(t => t);
          for (const e of document.querySelectorAll('[data-label], [placeholder]'))
            for (const a of ['data-label', 'placeholder'])
              if (e.getAttribute(a)) texts.push(e.getAttribute(a));
          return { own: texts, body: document.body.innerText };
        }
        """;

    private sealed record Collected(string[] Own, string Body);

    private sealed record Route(string Template, bool Static);

    /// <summary>
    /// The @page routes of the app's components, read from the assembly's metadata: the test process does not load the web app,
    /// and every component with a RouteAttribute is a page someone can open.
    /// </summary>
    private static List<Route> Routes()
    {
        using var stream = File.OpenRead(AppServer.AppDll());
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var routes = new List<Route>();
        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            var templates = new List<string>();
            var isStatic = false;
            foreach (var a in type.GetCustomAttributes())
            {
                var attribute = md.GetCustomAttribute(a);
                var name = AttributeName(md, attribute);
                if (name == "RouteAttribute") templates.Add((string)attribute.DecodeValue(new StringTypes()).FixedArguments[0].Value!);
                if (name == "ExcludeFromInteractiveRoutingAttribute") isStatic = true;
            }
            routes.AddRange(templates.Select(t => new Route(t, isStatic)));
        }
        return [.. routes.OrderBy(r => r.Template, StringComparer.Ordinal)];
    }

    private static string AttributeName(MetadataReader md, CustomAttribute attribute)
    {
        var parent = attribute.Constructor.Kind == HandleKind.MemberReference ? md.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent : default;
        if (parent.Kind == HandleKind.TypeReference) return md.GetString(md.GetTypeReference((TypeReferenceHandle)parent).Name);
        if (attribute.Constructor.Kind == HandleKind.MethodDefinition)
            return md.GetString(md.GetTypeDefinition(md.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType()).Name);
        return "";
    }

    /// <summary>Enough of a type provider to read an attribute's string arguments.</summary>
    private sealed class StringTypes : ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSystemType() => "System.Type";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);
        public string GetTypeFromSerializedName(string name) => name;
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;
        public bool IsSystemType(string type) => type == "System.Type";
    }

    private sealed record Seeded(Dictionary<string, string> Paths, List<string> Data);

    /// <summary>One of each thing a page with an id shows, owned by the rep: its path per route template, and its data's words.</summary>
    private async Task<Seeded> SeedAsync()
    {
        var account = await App.CreateAccountAsync("rep");
        var contactName = "刘" + AppServer.Unique("")[..4];
        var contact = (await App.PostAsync("rep", $"/api/v1/accounts/{account.Id}/contacts", new { name = contactName })).GetProperty("id").GetInt64();
        var complaint = await App.PostAsync("rep", "/api/v1/complaints",
            new { accountId = account.Id, contactId = contact, category = "Delivery", severity = "Critical", description = "交期延误两周" });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var visit = await App.PostAsync("rep", "/api/v1/visits",
            new { accountId = account.Id, level = "Business", plannedOn = today.AddDays(2), purpose = "年度商务回顾", contactIds = new[] { contact } });
        var task = await App.PostAsync("rep", "/api/v1/tasks", new { accountId = account.Id, title = "寄送报价单", dueOn = today });
        var template = await App.PostAsync("manager", "/api/v1/surveys/templates", new
        {
            name = "年度满意度",
            questions = new object[] { new { kind = "Csat", text = "产品质量" }, new { kind = "Nps", text = "推荐意愿" }, new { kind = "Text", text = "建议" } },
        });
        var sent = await App.PostAsync("rep", $"/api/v1/accounts/{account.Id}/surveys", new { templateId = template.GetProperty("id").GetInt64(), contactIds = new[] { contact } });
        var year = DateTime.UtcNow.Year - 1;
        using (var admin = await App.ClientAsync("admin"))
            await AppServer.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/transactions/orders", new
            {
                items = new object[] { new { orderNo = AppServer.Unique("SO"), accountCode = account.Code, orderDate = $"{year}-03-01", productCode = "P-LANG", productName = "减速机", quantity = 2, unitPrice = 9_000, unitCost = 6_000, line = 1 } },
            }, AppServer.Json), HttpStatusCode.OK);
        var run = await App.PostAsync("admin", "/api/v1/evaluation/runs", new { periodStart = $"{year}-01-01", periodEnd = $"{year}-12-31" });
        var runId = run.GetProperty("id").GetInt64();
        long approval, product, priceList, policy, quote;
        var policyName = "语言检查政策" + AppServer.Unique("")[..4];
        var priceListName = "语言检查价目表" + AppServer.Unique("")[..4];
        using (var admin = await App.ClientAsync("admin"))
        {
            approval = (await admin.GetFromJsonAsync<JsonElement>($"api/v1/approvals?documentType=EvaluationRun&documentId={runId}", AppServer.Json))
                .GetProperty("items")[0].GetProperty("id").GetInt64();
            product = (await admin.GetFromJsonAsync<JsonElement>("api/v1/products?search=P-LANG&pageSize=50", AppServer.Json))
                .GetProperty("items").EnumerateArray().First(p => p.GetProperty("code").GetString() == "P-LANG").GetProperty("id").GetInt64();
        }
        priceList = (await App.PostAsync("admin", "/api/v1/price-lists", new { name = priceListName, validFrom = "2020-01-01", lines = new[] { new { productId = product, unitPrice = 9_000m } } }))
            .GetProperty("id").GetInt64();
        // Valid long ago only: it changes no account's terms today.
        policy = (await App.PostAsync("admin", "/api/v1/policies", new { name = policyName, priority = 1, validFrom = "2001-01-01", validTo = "2001-12-31", conditions = new { }, benefits = new { discountPercent = 1 } }))
            .GetProperty("id").GetInt64();
        quote = (await App.PostAsync("rep", "/api/v1/quotes", new { accountId = account.Id, lines = new[] { new { productId = product, quantity = 2 } } })).GetProperty("id").GetInt64();
        var models = await (await App.ClientAsync("admin")).GetFromJsonAsync<JsonElement>("api/v1/evaluation/models", AppServer.Json);
        var data = new List<string> { account.Name, account.Code, contactName, "交期延误两周", "年度商务回顾", "寄送报价单", "年度满意度", "产品质量", "推荐意愿", "建议", "减速机", "总公司", policyName, priceListName };
        foreach (var m in models.GetProperty("items").EnumerateArray())
        {
            data.Add(m.GetProperty("name").GetString()!);
            data.AddRange(m.GetProperty("criteria").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));
        }
        using (var admin = await App.ClientAsync("admin"))
            data.AddRange((await admin.GetFromJsonAsync<JsonElement>("api/v1/departments", AppServer.Json)).EnumerateArray().Select(d => d.GetProperty("name").GetString()!));
        return new Seeded(new()
        {
            ["/accounts/{Id:long}"] = $"/accounts/{account.Id}",
            ["/complaints/{Id:long}"] = $"/complaints/{complaint.GetProperty("id").GetInt64()}",
            ["/visits/{Id:long}"] = $"/visits/{visit.GetProperty("id").GetInt64()}",
            ["/tasks/{Id:long}"] = $"/tasks/{task.GetProperty("id").GetInt64()}",
            ["/surveys/templates/{Id:long}"] = $"/surveys/templates/{template.GetProperty("id").GetInt64()}",
            ["/evaluation/runs/{Id:long}"] = $"/evaluation/runs/{runId}",
            ["/approvals/{Id:long}"] = $"/approvals/{approval}",
            ["/policies/{Id:long}"] = $"/policies/{policy}",
            ["/price-lists/{Id:long}"] = $"/price-lists/{priceList}",
            ["/quotes/{Id:long}"] = $"/quotes/{quote}",
            ["/s/{Token}"] = sent.GetProperty("links")[0].GetProperty("url").GetString()!,
        }, [.. data.Where(d => d.Length > 0).Distinct().OrderByDescending(d => d.Length)]);
    }

    [Fact]
    public async Task EveryPage_AsAdminInChineseAndEnglish_NoRawKeyNorTheOtherLanguage()
    {
        var routes = Routes();
        Assert.Contains(routes, r => r.Template == "/accounts/{Id:long}");
        var seeded = await SeedAsync();
        var withoutId = routes.Where(r => r.Template.Contains('{') && !seeded.Paths.ContainsKey(r.Template)).Select(r => r.Template).ToList();
        Assert.True(withoutId.Count == 0, "Seed an entity for these routes in EveryPageLanguageTests.SeedAsync: " + string.Join(", ", withoutId));

        // The administrator reaches every page and tab (a rep sees fewer of them); the two languages run side by side, as the
        // pages wait on the server far more than on the browser.
        List<string>[] sessions;
        try
        {
            sessions = await Task.WhenAll(new[] { ("admin", "zh-CN"), ("admin", "en") }
                .Select(s => VisitAllAsync(s.Item1, s.Item2, routes, seeded)));
        }
        finally
        {
            // The language chosen is the user's own and follows them to their next sign-in: give the administrator, whom the
            // other tests sign in as, Chinese back.
            var reset = await NewPageAsync(locale: "zh-CN");
            await SignInAsync("admin", on: reset);
            await reset.GotoAsync("/culture/set?culture=zh-CN&redirectUri=%2F");
        }
        var findings = sessions.SelectMany(f => f).ToList();
        var distinct = findings.Distinct().ToList();
        foreach (var f in distinct) Output.WriteLine(f);
        Assert.True(distinct.Count == 0, $"{distinct.Count} untranslated fragments:\n" + string.Join("\n", distinct));
    }

    private async Task<List<string>> VisitAllAsync(string user, string culture, List<Route> routes, Seeded seeded)
    {
        var findings = new List<string>();
        var page = await NewPageAsync(locale: culture);
        await SignInAsync(user, on: page);
        // The language is chosen explicitly: a user's earlier choice (another test's) would follow them at sign-in.
        await page.GotoAsync($"/culture/set?culture={culture}&redirectUri=%2F");
        foreach (var route in routes)
        {
            if (user != "admin" && route.Template.StartsWith("/admin", StringComparison.Ordinal)) continue;
            var path = seeded.Paths.GetValueOrDefault(route.Template, route.Template);
            await page.GotoAsync(path);
            if (!route.Static) await WaitForInteractiveAsync(page);
            await SettledAsync(page);
            findings.AddRange(await JudgeAsync(page, culture, seeded.Data, path, $"{user} {culture} {path}"));
            var tabs = page.Locator(".mud-tabs-tabbar .mud-tab");
            for (var i = 0; i < await tabs.CountAsync(); i++)
            {
                var tab = tabs.Nth(i);
                if (await tab.GetAttributeAsync("class") is { } c && (c.Contains("mud-tab-active") || c.Contains("mud-disabled"))) continue;
                var name = (await tab.InnerTextAsync()).Trim();
                await tab.ClickAsync();
                await SettledAsync(page);
                findings.AddRange(await JudgeAsync(page, culture, seeded.Data, path, $"{user} {culture} {path} [{name}]"));
            }
        }
        return findings;
    }

    /// <summary>Waits until nothing on the page is loading (MudBlazor's indeterminate progress and table loading rows).</summary>
    private static Task SettledAsync(IPage page) =>
        page.WaitForFunctionAsync("() => !document.querySelector('.mud-table-loading, .mud-progress-indeterminate, .mud-skeleton')");

    private static async Task<List<string>> JudgeAsync(IPage page, string culture, List<string> data, string path, string where)
    {
        var json = await page.EvaluateAsync<JsonElement>(CollectScript);
        var collected = new Collected([.. json.GetProperty("own").EnumerateArray().Select(t => t.GetString()!)], json.GetProperty("body").GetString()!);
        var found = new List<string>();
        foreach (Match m in RawKey().Matches(collected.Body + "\n" + string.Join("\n", collected.Own)))
            if (!KeysAllowed.Contains(m.Value)) found.Add($"{where}: raw key \"{m.Value}\"");
        foreach (var text in collected.Own)
        {
            var own = data.Aggregate(text, (t, d) => t.Replace(d, " ", StringComparison.Ordinal));
            if (culture == "zh-CN")
            {
                foreach (Match w in LatinWord().Matches(own))
                    if (!LatinAllowed.Contains(w.Value) && !w.Value.Any(char.IsDigit)
                        && !Pending.Any(p => path.StartsWith(p.Path, StringComparison.Ordinal) && p.Word == w.Value)) found.Add($"{where}: English \"{w.Value}\" in \"{Short(text)}\"");
            }
            else if (ChineseAllowed.Aggregate(own, (t, a) => t.Replace(a, "", StringComparison.Ordinal)) is var rest && Cjk().IsMatch(rest))
                found.Add($"{where}: Chinese in \"{Short(text)}\"");
        }
        return found;
    }

    private static string Short(string s) => s.Length <= 80 ? s.ReplaceLineEndings(" ") : s[..80].ReplaceLineEndings(" ") + "…";

    [GeneratedRegex(@"\b[A-Z][a-zA-Z]+\.[A-Z][A-Za-z]+\b")]
    private static partial Regex RawKey();

    /// <summary>A Latin word of two letters or more (a code such as BT1A2B has digits and is data).</summary>
    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9]+")]
    private static partial Regex LatinWord();

    [GeneratedRegex(@"[\u3400-\u9FFF\uF900-\uFAFF\u3000-\u303F\uFF00-\uFF60]")]
    private static partial Regex Cjk();
}
