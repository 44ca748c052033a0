using System.Globalization;
using System.Text;
using KeyAccounts.Features.Imports;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace KeyAccounts.Tests.Features.Imports;

/// <summary>The import page says why a row was refused in the user's language; the API keeps saying it in English.</summary>
[Collection(AppCollection.Name)]
public sealed class ImportReasonsTests(TestApp app)
{
    private async Task<ImportReport> DryRunAsync(string kind, string userName, string role, params string[] lines)
    {
        await using var db = app.Db();
        using var file = new MemoryStream(ImportTestData.Csv(lines, new UTF8Encoding(false), bom: true));
        var result = await RunImport.ExecuteAsync(app.Services.GetRequiredService<ImportKinds>()[kind], file, ImportFileType.Csv, new ImportOptions(DryRun: true, SkipInvalid: false),
            db, TestApp.As(app.UserIds[userName], userName, role), TimeProvider.System, CancellationToken.None);
        Assert.Null(result.Error);
        return result.Outcome!.Report;
    }

    private static T InChinese<T>(Func<T> read)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("zh-CN");
        try
        {
            return read();
        }
        finally
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = before;
        }
    }

    private IStringLocalizer<MessagesText> Localizer => app.Services.GetRequiredService<IStringLocalizer<MessagesText>>();

    [Fact]
    public async Task BadRowsOfEveryKind_EachReasonHasAChineseWording()
    {
        var p = TestApp.Unique("Z");
        var reports = new[]
        {
            await DryRunAsync("accounts", "rep", Roles.Rep, ImportTestData.AccountHeader,
                $"{p}1,甲{p}机械有限公司,Customer,,,,91350100M000100Y44,,",
                $"{p}2,乙{p}机械有限公司,Customer,,,,91350100M00010,,",
                $"{p}1,丙{p}机械有限公司,Partner,,,,,,",
                $"{p}3,,Customer,,,,,{p}3,nobody{p}",
                $"{p}4,有限公司,Dealer,,,,,NOPE{p},"),
            await DryRunAsync("accounts", "rep", Roles.Rep, "code,name", $"{p}5,戊{p}"),
            await DryRunAsync("contacts", "rep", Roles.Rep, "accountCode,name,role,influence,birthday,email",
                $"NOPE{p},张三,Boss,9,1975-13-45,not-an-address"),
            await DryRunAsync("orders", "admin", Roles.Admin, "orderNo,accountCode,orderDate,productCode,productName,quantity,unitPrice,unitCost",
                $"O{p},NOPE{p},2026-02-30,P1,轴承,0,abc,-1"),
            await DryRunAsync("invoices", "admin", Roles.Admin, "invoiceNo,accountCode,issuedOn,dueOn,amount",
                $"I{p},NOPE{p},2026-03-31,2026-03-01,"),
        };
        var errors = reports.SelectMany(r => r.Errors).ToList();
        Assert.True(errors.Count >= 20, string.Join("\n", errors.Select(e => e.Message)));

        var untranslated = InChinese(() => errors
            .Where(e => e.Reason is null || Localizer[e.Reason.Format].ResourceNotFound || e.In(Localizer) == e.Message)
            .Select(e => $"{e.Line} {e.Column}: {e.Message}").ToList());
        Assert.Empty(untranslated);
    }

    [Fact]
    public async Task CreditCodeWithAWrongCheckCharacter_SaidInChineseOnThePageAndInEnglishByTheApi()
    {
        var p = TestApp.Unique("Y");
        var report = await DryRunAsync("accounts", "rep", Roles.Rep, ImportTestData.AccountHeader, $"{p}1,甲{p}机械有限公司,Customer,,,,91350100M000100Y44,,");

        var error = Assert.Single(report.Errors);
        Assert.Equal("The check character should be '3', not '4'.", error.Message);
        Assert.Equal("校验码应为“3”，而不是“4”。", InChinese(() => error.In(Localizer)));
        var downloaded = Encoding.UTF8.GetString(InChinese(() => ImportErrorReport.Csv(report.Errors, e => e.In(Localizer))));
        Assert.Contains("2,creditCode,校验码应为“3”，而不是“4”。", downloaded);
    }
}
