using System.Globalization;
using System.Net;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Notifications;

/// <summary>
/// A time in a notification is on its recipient's clock (the zone of the browser they last signed in with) with its offset, or
/// in UTC said so: the complaint notification said "due 2026-12-08 09:00 UTC" to a reader in Shanghai.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NotificationTimeZoneTests(TestApp app)
{
    private async Task<(string Id, string UserName)> NewUserAsync(string? zone)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = TestApp.Unique("tz").ToLowerInvariant(), DisplayName = "时区", DepartmentId = app.EastTeamId };
        Assert.True((await users.CreateAsync(user, TestApp.Password)).Succeeded);
        await users.AddToRoleAsync(user, Roles.Rep);
        await UserTimeZone.RememberAsync(users, user, zone);
        return (user.Id, user.UserName!);
    }

    [Fact]
    public async Task AssignComplaint_ToUsersWithAndWithoutAZone_DeadlineOnEachOnesClock()
    {
        var (shanghai, _) = await NewUserAsync("Asia/Shanghai");
        var (unknown, _) = await NewUserAsync(null);
        var account = await app.AccountAsync("rep", KeyAccounts.Features.Accounts.Tier.Key);
        var contact = await app.ContactAsync("rep", account);
        using var rep = await app.ClientAsync("rep");
        var created = await (await rep.PostJsonAsync("/api/v1/complaints", new { accountId = account, contactId = contact, category = "Quality", severity = "High", description = "轴承异响" }))
            .ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        var due = DateTime.SpecifyKind(created.GetProperty("dueAt").GetDateTime(), DateTimeKind.Utc);

        await (await rep.PostJsonAsync($"/api/v1/complaints/{id}/assignee", new { assigneeId = shanghai })).ExpectAsync(HttpStatusCode.OK);
        await (await rep.PostJsonAsync($"/api/v1/complaints/{id}/assignee", new { assigneeId = unknown })).ExpectAsync(HttpStatusCode.OK);

        await using var db = app.Db();
        var titles = await db.Notifications.Where(n => n.Link == $"/complaints/{id}" && n.Event == NotificationEvent.ComplaintAssigned)
            .ToDictionaryAsync(n => n.RecipientId, n => n.Title);
        var local = due.AddHours(8).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        Assert.Equal($"投诉 #{id} 已分派给您（高，截止 {local} (UTC+8)）", titles[shanghai]);
        Assert.Equal($"投诉 #{id} 已分派给您（高，截止 {due.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} (UTC)）", titles[unknown]);
    }

    [Fact]
    public async Task SignIn_FromABrowserInShanghai_KeepsItsZoneAsTheUsers()
    {
        var (id, userName) = await NewUserAsync(null);
        var cookies = new System.Net.CookieContainer();
        cookies.Add(new Uri("http://localhost"), new System.Net.Cookie(UserTimeZone.Cookie, Uri.EscapeDataString("Asia/Shanghai")));
        using var browser = app.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));

        Assert.Equal(HttpStatusCode.Redirect, (await SignInForm.PostAsync(browser, userName, TestApp.Password)).StatusCode);

        await using var db = app.Db();
        Assert.Equal("Asia/Shanghai", await db.UserClaims.Where(c => c.UserId == id && c.ClaimType == UserTimeZone.Claim).Select(c => c.ClaimValue).SingleAsync());
    }
}
