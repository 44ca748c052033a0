using System.Globalization;
using KeyAccounts.Infrastructure;

namespace KeyAccounts.Tests.Infrastructure;

public class RuntimeTuningTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(s => s.Name == name).Value;

    [Fact]
    public void Linux_without_the_cache_sizes_needs_the_gen0_budget()
    {
        Assert.True(RuntimeTuning.NeedsGen0Size(fallsBackToMinimum: true, cacheSizesVisible: false, Env()));
        Assert.True(RuntimeTuning.NeedsGen0Size(fallsBackToMinimum: true, cacheSizesVisible: false, Env(("DOTNET_gcServer", "0"), ("DOTNET_GCgen0size", ""))));
    }

    [Fact]
    public void A_machine_whose_cache_sizes_the_runtime_reads_keeps_its_own_budget()
    {
        Assert.False(RuntimeTuning.NeedsGen0Size(fallsBackToMinimum: true, cacheSizesVisible: true, Env()));
        Assert.False(RuntimeTuning.NeedsGen0Size(fallsBackToMinimum: false, cacheSizesVisible: false, Env()));
    }

    [Theory]
    [InlineData("DOTNET_GCgen0size")]
    [InlineData("COMPlus_GCgen0size")]
    [InlineData("DOTNET_GCCacheSizeFromSysConf")]
    public void A_choice_the_operator_made_is_left_alone(string variable)
    {
        Assert.False(RuntimeTuning.NeedsGen0Size(fallsBackToMinimum: true, cacheSizesVisible: false, Env((variable, "0x4000000"))));
    }

    [Fact]
    public void The_budget_is_32_MB_in_the_hexadecimal_the_runtime_reads()
    {
        Assert.Equal(32 * 1024 * 1024, int.Parse(RuntimeTuning.Gen0Size[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.StartsWith("0x", RuntimeTuning.Gen0Size);
    }
}
