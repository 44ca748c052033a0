using System.Net.Http.Json;
using System.Text.Json;
using KeyAccounts.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Organisation;

public sealed class OrganisationPagesTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private ILocator TreeNode(string name) => Page.GetByTestId("department-node").Filter(new() { HasText = name }).First;

    [Fact]
    public async Task AdminCreatesDepartmentAndUser_TheNewUserCanSignIn()
    {
        var department = "华南" + AppServer.Unique("D");
        var userName = AppServer.Unique("u").ToLowerInvariant();
        await SignInAsync("admin");

        await GotoAsync("/admin/departments");
        await TreeNode("总公司").ClickAsync();
        await Field(Page, "department-child-name").FillAsync(department);
        await Page.GetByTestId("department-add-child").ClickAsync();
        await Expect(TreeNode(department)).ToBeVisibleAsync();

        await GotoAsync("/admin/users");
        await Page.GetByTestId("user-create").ClickAsync();
        await Field(Page, "new-user-name").FillAsync(userName);
        await Field(Page, "new-user-display-name").FillAsync("王小明");
        await Field(Page, "new-user-password").FillAsync("Welcome2026");
        await SelectAsync(Page, "new-user-department", department);
        await Page.GetByTestId("new-user-save").ClickAsync();
        await Expect(Page.Locator(".mud-snackbar")).ToContainTextAsync(userName);

        await Field(Page, "users-search").FillAsync(userName);
        var row = Page.Locator("tr").Filter(new() { Has = Page.GetByTestId("user-row-name").GetByText(userName, new() { Exact = true }) });
        await Expect(row).ToContainTextAsync(department);
        await Expect(row).ToContainTextAsync("客户经理");

        var newcomer = await NewPageAsync();
        await SignInAsync(userName, "Welcome2026", newcomer);
        await Expect(newcomer.GetByTestId("home-page")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task DeleteDepartment_WithMembers_ShowsTheRefusalAndKeepsIt()
    {
        await SignInAsync("admin");
        await GotoAsync("/admin/departments");

        await TreeNode("西部销售部").ClickAsync();
        await Page.GetByTestId("department-delete").ClickAsync();
        await Page.Locator(".mud-dialog .mud-button-root").Filter(new() { HasText = "删除" }).Last.ClickAsync();

        await Expect(Page.GetByTestId("form-error")).ToContainTextAsync("请先把它的成员调到其他部门。");
        await Expect(TreeNode("西部销售部")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task RenameAndMoveDepartment_TreeShowsItUnderTheNewParent()
    {
        var name = "临时" + AppServer.Unique("M");
        await App.CreateDepartmentAsync(name, App.WestTeamId);
        await SignInAsync("admin");
        await GotoAsync("/admin/departments");

        await TreeNode(name).ClickAsync();
        await Field(Page, "department-name").FillAsync(name + "改");
        await SelectAsync(Page, "department-parent", "华东销售一部");
        await Page.GetByTestId("department-save").ClickAsync();

        var moved = TreeNode(name + "改");
        var parentItem = moved.Locator("xpath=ancestor::li[contains(concat(' ', normalize-space(@class), ' '), ' mud-treeview-item ')][2]");
        await Expect(parentItem.GetByTestId("department-node").First).ToContainTextAsync("华东销售一部");
        using var admin = await App.ClientAsync("admin");
        var stored = (await admin.GetFromJsonAsync<JsonElement>("api/v1/departments")).EnumerateArray()
            .Single(d => d.GetProperty("name").GetString() == name + "改");
        Assert.Equal(App.EastTeamId, stored.GetProperty("parentId").GetInt32());
    }

    [Fact]
    public async Task SetHead_PickedFromUserSearch_TreeShowsTheHead()
    {
        var name = "华北" + AppServer.Unique("H");
        var departmentId = await App.CreateDepartmentAsync(name, App.CompanyId);
        var head = AppServer.Unique("head").ToLowerInvariant();
        await App.CreateUserAsync(head, ["Manager"], departmentId, displayName: "赵" + head);
        await SignInAsync("admin");
        await GotoAsync("/admin/departments");

        await TreeNode(name).ClickAsync();
        await Field(Page, "department-head").FillAsync(head);
        await Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = head }).First.ClickAsync();
        await Page.GetByTestId("department-save").ClickAsync();

        await Expect(TreeNode(name)).ToContainTextAsync("赵" + head);
        await Expect(TreeNode(name).GetByTestId("department-members")).ToContainTextAsync("1");
    }

    [Fact]
    public async Task DeactivateUser_ThroughEditDialog_UserCannotSignIn()
    {
        var userName = AppServer.Unique("off").ToLowerInvariant();
        await App.CreateUserAsync(userName, ["Rep"], App.WestTeamId);
        await SignInAsync("admin");
        await GotoAsync("/admin/users");

        await Field(Page, "users-search").FillAsync(userName);
        await Expect(Page.GetByTestId("user-row-name")).ToHaveCountAsync(1);
        var row = Page.Locator("tr").Filter(new() { Has = Page.GetByTestId("user-row-name").GetByText(userName, new() { Exact = true }) });
        await row.GetByTestId("user-edit").ClickAsync();
        await Page.GetByTestId("edit-user-active").ClickAsync();
        await Page.GetByTestId("edit-user-save").ClickAsync();
        await Expect(row).ToContainTextAsync("已停用");

        var other = await NewPageAsync();
        await other.GotoAsync("/account/login");
        await other.GetByTestId("login-username").FillAsync(userName);
        await other.GetByTestId("login-password").FillAsync(Password);
        await other.GetByTestId("login-submit").ClickAsync();
        await Expect(other.GetByTestId("login-error")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task UsersPage_AsRep_IsRefused()
    {
        await SignInAsync("rep");
        await GotoAsync("/admin/users");

        await Expect(Page.GetByText("您无权访问此页面。")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("users-table")).ToHaveCountAsync(0);
    }
}
