using System.Net;
using KeyAccounts.Features.Complaints;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Notifications;

/// <summary>
/// A notification is worded in its recipient's language (their "locale" claim, else the company's) when it is raised: the
/// inbox, e-mail and the group robots carry the same words. The Chinese inbox said "Complaint #9 (Critical) was escalated to you".
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NotificationLanguageTests(TestApp app)
{
    private async Task<(string Id, string UserName)> NewUserAsync(string? locale)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = TestApp.Unique("lang").ToLowerInvariant(), DisplayName = "语言", DepartmentId = app.EastTeamId };
        Assert.True((await users.CreateAsync(user, TestApp.Password)).Succeeded);
        await users.AddToRoleAsync(user, Roles.Rep);
        if (locale is not null) await UserLanguage.SetAsync(users, user, locale);
        return (user.Id, user.UserName!);
    }

    private async Task<string?> LocaleAsync(string userName)
    {
        await using var db = app.Db();
        return await db.UserClaims.Where(c => c.ClaimType == Texts.LocaleClaim && db.Users.Any(u => u.Id == c.UserId && u.UserName == userName))
            .Select(c => c.ClaimValue).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task Send_ToAnEnglishAndADefaultRecipient_EachReadsItInTheirLanguage()
    {
        var (english, _) = await NewUserAsync("en");
        var (chinese, _) = await NewUserAsync(null);
        var key = TestApp.Unique("escalated");
        object?[] args = [9, Texts.Of<ComplaintsText>("Severity.Critical")];
        await using (var db = app.Db())
            Assert.Equal(3, await Notify.SendAsync(db, [
                new Notify.Message(english, NotificationEvent.ComplaintEscalated, key, "Complaint #{0} ({1}) was escalated to you", "齿轮箱漏油", TitleArgs: args),
                new Notify.Message(chinese, NotificationEvent.ComplaintEscalated, key, "Complaint #{0} ({1}) was escalated to you", "齿轮箱漏油", TitleArgs: args),
                new Notify.Message(chinese, NotificationEvent.TaskOverdue, key, "Task overdue: {0}", "{0} · due {1:yyyy-MM-dd}", TitleArgs: ["报价"],
                    BodyArgs: ["华东机械", new DateOnly(2026, 12, 10)]),
            ], default));

        await using var check = app.Db();
        var stored = await check.Notifications.Where(n => n.DedupKey == key).ToDictionaryAsync(n => (n.RecipientId, n.Event), n => (n.Title, n.Body));
        Assert.Equal(("Complaint #9 (Critical) was escalated to you", "齿轮箱漏油"), stored[(english, NotificationEvent.ComplaintEscalated)]);
        Assert.Equal(("投诉 #9（紧急）已升级给您", "齿轮箱漏油"), stored[(chinese, NotificationEvent.ComplaintEscalated)]);
        Assert.Equal(("任务逾期：报价", "华东机械 · 截止 2026-12-10"), stored[(chinese, NotificationEvent.TaskOverdue)]);
    }

    [Fact]
    public async Task SignIn_AfterChoosingEnglishOnTheSignInPage_KeepsEnglishAsTheUsersLanguageOnAnotherBrowser()
    {
        var (_, userName) = await NewUserAsync(null);
        using (var first = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await first.GetAsync("/culture/set?culture=en&redirectUri=%2Faccount%2Flogin")).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await SignInForm.PostAsync(first, userName, TestApp.Password)).StatusCode);
        }
        Assert.Equal("en", await LocaleAsync(userName));

        using var second = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signedIn = await SignInForm.PostAsync(second, userName, TestApp.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Den%7Cuic%3Den", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/culture/set?culture=zh-CN&redirectUri=%2F")).StatusCode);
        Assert.Equal("zh-CN", await LocaleAsync(userName));
    }
}
