using KeyAccounts.Features.Accounts;

namespace KeyAccounts.Tests.Features.Accounts;

public sealed class AuditDiffTests
{
    [Fact]
    public void Of_Update_ListsOnlyChangedFieldsWithoutDerivedOnes()
    {
        var changes = AuditDiff.Of(
            """{"Name":"旧名","NormalizedName":"旧名","Tier":"Ordinary","UpdatedAt":"2026-01-01T00:00:00Z"}""",
            """{"Name":"新名","NormalizedName":"新名","Tier":"Key","UpdatedAt":"2026-02-01T00:00:00Z"}""");

        Assert.Equal([new FieldChange("Name", "旧名", "新名"), new FieldChange("Tier", "Ordinary", "Key")], changes);
    }

    [Fact]
    public void Of_Rename_LeavesOutTheDerivedSpellings()
    {
        var changes = AuditDiff.Of(
            """{"Name":"恒力石化","NameInitials":"HLSH","NamePinyin":"henglishihua","NameCore":"恒力石化"}""",
            """{"Name":"恒力化纤","NameInitials":"HLHX","NamePinyin":"henglihuaxian","NameCore":"恒力化纤"}""");

        Assert.Equal([new FieldChange("Name", "恒力石化", "恒力化纤")], changes);
    }

    [Fact]
    public void Of_NestedSectionStoredAsJsonText_DiffsItsFiguresOneByOne()
    {
        var changes = AuditDiff.Of(
            """{"ProductionScale":"{\"employees\":100,\"annualOutput\":\"5万吨\"}"}""",
            """{"ProductionScale":"{\"employees\":120,\"annualOutput\":\"5万吨\"}"}""");

        Assert.Equal([new FieldChange("ProductionScale.employees", "100", "120")], changes);
    }

    [Fact]
    public void Of_Created_ShowsTheFieldsThatHaveValues()
    {
        var changes = AuditDiff.Of(null, """{"Code":"A1","City":null,"Id":7}""");

        Assert.Equal([new FieldChange("Code", null, "A1")], changes);
    }
}
