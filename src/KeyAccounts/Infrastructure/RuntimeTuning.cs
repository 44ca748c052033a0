using System.Runtime.InteropServices;

namespace KeyAccounts.Infrastructure;

/// <summary>
/// The .NET garbage collector sizes its youngest generation (gen0) from the CPU's cache, which on Linux it reads from
/// <c>/sys/devices/system/cpu/cpu0/cache</c>; on a server that gives a budget of several to tens of megabytes. Some sandboxes and
/// container runtimes (gVisor among them: the benchmark machine of docs/benchmarks.md is one) hide that directory, and the
/// collector then falls back to about 2 MB: under load the app collects every few dozen requests (docs/benchmarks.md). The budget can only be set in the environment before
/// the process starts (<c>DOTNET_GCgen0size</c>; runtimeconfig.json does not carry it), so the app says at start-up what to set.
/// </summary>
public static class RuntimeTuning
{
    public const string Gen0SizeVariable = "DOTNET_GCgen0size";

    /// <summary>32 MB, hexadecimal as the runtime reads it: what the collector picks by itself on a server with a large L3 cache.</summary>
    public const string Gen0Size = "0x2000000";

    private const string CacheDirectory = "/sys/devices/system/cpu/cpu0/cache";

    /// <summary>The environment a process of the app should be started with on this machine (empty where the runtime sizes gen0 by itself).</summary>
    public static IReadOnlyDictionary<string, string> Environment() =>
        NeedsGen0Size(OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86,
            Directory.Exists(CacheDirectory), System.Environment.GetEnvironmentVariable)
            ? new Dictionary<string, string> { [Gen0SizeVariable] = Gen0Size }
            : new Dictionary<string, string>();

    /// <summary>
    /// Whether the gen0 budget must be given: on Linux on x86/x64 (on Arm the runtime estimates a cache from the number of cores
    /// when it cannot read one) when the cache sizes cannot be read and the operator has not chosen already: a budget of their
    /// own (<c>DOTNET_</c> or the older <c>COMPlus_</c> prefix), or the runtime's <c>GCCacheSizeFromSysConf</c>, which reads the
    /// sizes another way.
    /// </summary>
    public static bool NeedsGen0Size(bool fallsBackToMinimum, bool cacheSizesVisible, Func<string, string?> environment) =>
        fallsBackToMinimum && !cacheSizesVisible
        && OperatorChoices.All(name => string.IsNullOrEmpty(environment(name)));

    /// <summary>The variables by which an operator sizes gen0 themselves (<see cref="NeedsGen0Size"/>).</summary>
    public static readonly string[] OperatorChoices =
        [Gen0SizeVariable, "COMPlus_GCgen0size", "DOTNET_GCCacheSizeFromSysConf", "COMPlus_GCCacheSizeFromSysConf"];

    /// <summary>Warns at start-up when this process runs with the fallback budget.</summary>
    public static void WarnIfUntuned(ILogger logger)
    {
        foreach (var (name, value) in Environment())
            logger.LogWarning(
                "The runtime cannot read the CPU cache sizes ({Directory} is missing), so its garbage collector runs with a 2 MB young " +
                "generation and collects every few dozen requests under load. Start the app with {Variable}={Value} (docs/operations.md).",
                CacheDirectory, name, value);
    }
}
