namespace KeyAccounts.Benchmarks;

public sealed record BenchOptions(
    IReadOnlyList<string> Providers, int Accounts, int ContactsPerAccount, int Seconds, int Clients, string DataDirectory,
    string Output, string RepositoryRoot, string AppDll, string CommandLine, bool GenerateOnly)
{
    /// <summary>Only the scenarios whose "user request" contains this text (<c>--match</c>), for quick loops.</summary>
    public string? Match { get; init; }

    /// <summary>Skip the replay of the SQL on the engine (<c>--http-only</c>), for quick loops.</summary>
    public bool HttpOnly { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var root = FindRepositoryRoot();
        var dll = Path.Combine(root, "src/KeyAccounts/bin/Release/net10.0/KeyAccounts.dll");
        if (!File.Exists(dll)) dll = Path.Combine(root, "src/KeyAccounts/bin/Debug/net10.0/KeyAccounts.dll");
        return new BenchOptions(
            Value("--providers", "sqlite,postgres").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            int.Parse(Value("--accounts", "1000000")),
            int.Parse(Value("--contacts-per-account", "3")),
            int.Parse(Value("--seconds", "10")),
            int.Parse(Value("--clients", "32")),
            Value("--data", "/tmp/keyaccounts-bench"),
            Path.GetFullPath(Value("--out", Path.Combine(root, "docs/benchmarks.md"))),
            root,
            Path.GetFullPath(Value("--app", dll)),
            "dotnet run -c Release --project bench/KeyAccounts.Benchmarks -- " + string.Join(' ', args),
            args.Contains("--generate-only"))
        {
            Match = Value("--match", "") is { Length: > 0 } match ? match : null,
            HttpOnly = args.Contains("--http-only"),
        };
    }

    public static string Value(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KeyAccounts.slnx"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
