using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using KeyAccounts.Tests.Features.Visits;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using static KeyAccounts.Tests.Features.Visits.VisitTestData;

namespace KeyAccounts.Tests.Features.Accounts;

[Collection(AppCollection.Name)]
public sealed class AccountHistoryLinesTests(TestApp app)
{
    private async Task<List<HistoryLine>> HistoryAsync(long accountId, string culture, string zone)
    {
        var saved = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<UserTimeZone>().Use(zone);
            var user = TestApp.As(app.UserIds["rep"], "rep", Roles.Rep);
            await using var db = app.Db();
            var page = (await AccountHistory.ChangesAsync(accountId, 1, 50, db, user, CancellationToken.None)).Result as Ok<Paged<AuditEntryDto>>;
            return await scope.ServiceProvider.GetRequiredService<AccountHistoryLines>().DescribeAsync(accountId, page!.Value!.Items, db, user, CancellationToken.None);
        }
        finally
        {
            CultureInfo.CurrentUICulture = saved;
        }
    }

    private async Task<long> AccountWithEditedTaskAsync()
    {
        var accountId = await VisitTestData.CreateAccountAsync(app, "rep", Tier.Ordinary, 0);
        using var rep = await app.ClientAsync("rep");
        var created = await (await rep.PostJsonAsync("/api/v1/tasks", new { accountId, title = "报价", dueOn = Day(Today.AddDays(3)) })).ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        await (await rep.PutJsonAsync($"/api/v1/tasks/{id}", new { title = "报价单", dueOn = Day(Today.AddDays(4)), ownerId = app.UserIds["rep2"], version = 1 }))
            .ExpectAsync(HttpStatusCode.OK);
        await (await rep.PostAsync($"/api/v1/tasks/{id}/complete", null)).ExpectAsync(HttpStatusCode.OK);
        return accountId;
    }

    [Fact]
    public async Task Describe_TaskEditedInChinese_ShowsFormLabelsNamesTranslatedValuesAndLocalTime()
    {
        var accountId = await AccountWithEditedTaskAsync();

        var lines = await HistoryAsync(accountId, "zh-CN", "Asia/Shanghai");

        var edit = lines.Single(l => l.What == "任务 · 修改" && l.Changes.Any(c => c.Field == "Title"));
        Assert.Contains(new ChangeLine("Title", "任务", "报价", "报价单"), edit.Changes);
        Assert.Contains(new ChangeLine("OwnerId", "负责人", "REP", "REP2"), edit.Changes);
        Assert.Equal("REP", edit.Who);
        Assert.Equal(edit.At.AddHours(8).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), edit.LocalTime);
        var done = lines.Single(l => l.Changes.Any(c => c.Field == "Status" && c.After == "已完成"));
        Assert.Equal("未完成", done.Changes.Single(c => c.Field == "Status").Before);

        var account = lines.Single(l => l.What == "客户 · 新建");
        Assert.Contains(account.Changes, c => c.Label == "部门" && c.After == "华东销售一部");
        Assert.Contains(account.Changes, c => c.Label == "负责人" && c.After == "REP");
        // No id, no enum name, no raw field name is left for a person to decode.
        var texts = lines.SelectMany(l => l.Changes.SelectMany(c => new[] { c.Label, c.Before, c.After })).OfType<string>().ToList();
        Assert.DoesNotContain(texts, t => Regex.IsMatch(t, "^[0-9a-f]{8}-[0-9a-f]{4}-") || t is "Ordinary" or "Open" or "Done" or "DepartmentId" or "OwnerId");
    }

    [Fact]
    public async Task Describe_TaskEditedInEnglish_ShowsEnglishLabelsAndValues()
    {
        var accountId = await AccountWithEditedTaskAsync();

        var lines = await HistoryAsync(accountId, "en", "America/New_York");

        var edit = lines.Single(l => l.Action == KeyAccounts.Features.Audit.AuditAction.Updated && l.Changes.Any(c => c.Field == "Title"));
        Assert.Contains(new ChangeLine("Title", "Task", "报价", "报价单"), edit.Changes);
        Assert.Contains(new ChangeLine("OwnerId", "Owner", "REP", "REP2"), edit.Changes);
        var at = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(edit.At, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        Assert.Equal(at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), edit.LocalTime);
        var account = lines.Single(l => l.What.StartsWith("Account", StringComparison.Ordinal) && l.Action == KeyAccounts.Features.Audit.AuditAction.Created);
        Assert.Contains(account.Changes, c => c.Label == "Department" && c.After == "华东销售一部");
    }
}
