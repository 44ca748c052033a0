using System.Globalization;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace KeyAccounts.Tests.Infrastructure;

/// <summary>A form shows the server's validation messages in the user's language; the API keeps answering in English.</summary>
[Collection(AppCollection.Name)]
public sealed class ValidationMessagesTests(TestApp app)
{
    private IStringLocalizer<MessagesText> Localizer => app.Services.GetRequiredService<IStringLocalizer<MessagesText>>();

    private static T In<T>(string culture, Func<T> read)
    {
        var before = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        try
        {
            return read();
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = before;
        }
    }

    [Fact]
    public void AProblem_WordedFromItsTemplates_WholeMessagesFirst_EnglishForTheApi()
    {
        var problem = new Validation()
            .Require("name", " ", 200)
            .Require("purpose", null, 200)
            .Add("criteria[0].key", $"The key {"StrategicFit"} is used twice.")
            .Add("criteria[0].key", $"A message nobody translated: {42}.")
            .Problem();

        var chinese = In("zh-CN", () => problem.ErrorsIn(Localizer));
        Assert.Equal(["名称不能为空。"], chinese["NAME"]);
        Assert.Equal(["目的不能为空。"], chinese["purpose"]);
        Assert.Equal(["键 StrategicFit 被使用了两次。", "A message nobody translated: 42."], chinese["criteria[0].key"]);

        Assert.Equal(["name is required."], In("en", () => problem.ErrorsIn(Localizer))["name"]);
        Assert.Equal(["The key StrategicFit is used twice.", "A message nobody translated: 42."], problem.ProblemDetails.Errors["criteria[0].key"]);
    }

    [Fact]
    public void AProblemMadeElsewhere_KeepsItsTexts()
    {
        var problem = TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Name"] = ["Given by hand."] });
        Assert.Equal(["Given by hand."], In("zh-CN", () => problem.ErrorsIn(Localizer))["name"]);
    }

    [Fact]
    public async Task NewAccountWithAWrongCheckCharacterAndATier_ARepReadsWhyInChinese()
    {
        await using var db = app.Db();
        var p = TestApp.Unique("V");
        var result = await CreateAccount.HandleAsync(
            new CreateAccount.Request($"{p}1", $"甲{p}机械有限公司", AccountType.Customer, CreditCode: "91350100M000100Y44", Tier: Tier.Key),
            db, TestApp.As(app.UserIds["rep"], "rep", Roles.Rep), TimeProvider.System, CancellationToken.None);

        var problem = Assert.IsType<ValidationProblem>(result.Result);
        Assert.Equal(["The check character should be '3', not '4'."], problem.ProblemDetails.Errors["creditCode"]);
        var chinese = In("zh-CN", () => problem.ErrorsIn(Localizer));
        Assert.Equal(["校验码应为“3”，而不是“4”。"], chinese["creditCode"]);
        Assert.Equal(["只有经理、领导和管理员可以设置客户等级。"], chinese["tier"]);
    }

    [Fact]
    public async Task NewAccountWithATakenCodeOrName_TheConflictIsSaidInChinese_TheApiDetailStaysEnglish()
    {
        var p = TestApp.Unique("W");
        var rep = TestApp.As(app.UserIds["rep"], "rep", Roles.Rep);
        await using (var db = app.Db())
            Assert.IsType<Created<AccountDto>>((await CreateAccount.HandleAsync(
                new CreateAccount.Request($"{p}1", $"乙{p}精工有限公司", AccountType.Customer), db, rep, TimeProvider.System, CancellationToken.None)).Result);

        await using (var db = app.Db())
        {
            var takenCode = Assert.IsType<Conflict<ProblemDetails>>((await CreateAccount.HandleAsync(
                new CreateAccount.Request($"{p}1", $"丙{p}精工有限公司", AccountType.Customer), db, rep, TimeProvider.System, CancellationToken.None)).Result);
            Assert.Equal($"The code {p}1 is already used by another account.", takenCode.Value!.Detail);
            Assert.Equal($"客户编码 {p}1 已被其他客户使用。", In("zh-CN", () => takenCode.Value.DetailIn(Localizer)));
        }

        await using (var db = app.Db())
        {
            var sameName = Assert.IsType<Conflict<ProblemDetails>>((await CreateAccount.HandleAsync(
                new CreateAccount.Request($"{p}2", $"乙{p}精工股份有限公司", AccountType.Customer), db, rep, TimeProvider.System, CancellationToken.None)).Result);
            Assert.StartsWith("An account with the same name already exists (owner: ", sameName.Value!.Detail);
            Assert.StartsWith("已存在同名客户（负责人：", In("zh-CN", () => sameName.Value.DetailIn(Localizer)));
        }
    }
}
