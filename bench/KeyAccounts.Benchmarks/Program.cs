using KeyAccounts.Benchmarks;

// Scale benchmark: generates (or reuses) the data set per provider, starts the built app on loopback, drives the
// account list and search with 32 concurrent clients (wrk), runs the same SQL straight on the engine, writes docs/benchmarks.md.
// Usage: dotnet run -c Release --project bench/KeyAccounts.Benchmarks -- [--providers sqlite,postgres] [--accounts 1000000]
//        [--contacts-per-account 3] [--seconds 10] [--clients 32] [--data /tmp/keyaccounts-bench] [--out docs/benchmarks.md]
var options = BenchOptions.Parse(args);
if (args.Contains("--only") && args[Array.IndexOf(args, "--only") + 1] == "care")
{
    var lines = new List<string>();
    foreach (var provider in options.Providers) lines.Add(await CareRun.RunAsync(provider, options));
    CareRun.Write(options, lines);
    Console.WriteLine($"Wrote {options.Output}");
    return;
}
var results = new List<ProviderResult>();
foreach (var provider in options.Providers)
{
    Console.WriteLine($"== {provider}");
    results.Add(await ScaleRun.RunAsync(provider, options));
    Report.Write(options, results);
}
Console.WriteLine($"Wrote {options.Output}");
