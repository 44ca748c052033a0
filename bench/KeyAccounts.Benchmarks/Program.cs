using KeyAccounts.Benchmarks;

// Scale benchmark: generates (or reuses) the data set per provider, starts the built app on loopback, drives the
// account list and search with 32 concurrent clients (wrk), runs the same SQL straight on the engine, writes docs/benchmarks.md.
// Usage: dotnet run -c Release --project bench/KeyAccounts.Benchmarks -- [--providers sqlite,postgres] [--accounts 1000000]
//        [--contacts-per-account 3] [--seconds 10] [--clients 32] [--data /tmp/keyaccounts-bench] [--out docs/benchmarks.md]
//        --scenario import-orders [--order-lines 10000000]: order lines through the app's CSV import vs the engine's bulk load.
var options = BenchOptions.Parse(args);
if (args.Contains("--scenario") && args.SkipWhile(a => a != "--scenario").Skip(1).FirstOrDefault() == "evaluation")
    return await EvaluationBench.MainAsync(args, options);
if (BenchOptions.Value(args, "--scenario", "scale") == "import-orders")
{
    var lines = long.Parse(BenchOptions.Value(args, "--order-lines", "10000000"), System.Globalization.CultureInfo.InvariantCulture);
    var imports = new List<ImportResult>();
    foreach (var provider in options.Providers)
    {
        Console.WriteLine($"== {provider}: import {lines:N0} order lines");
        imports.Add(await ImportRun.RunAsync(provider, options, lines));
        ImportRun.Write(options, imports);
    }
    Console.WriteLine($"Wrote {options.Output}");
    return 0;
}
// --scenario visits [--visits 2000000] [--tasks 5000000]: the coverage board and calendar at scale (VisitsScale.cs).
if (args.SkipWhile(a => a != "--scenario").Skip(1).FirstOrDefault() == "visits")
{
    int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v) : fallback;
    var visitResults = new List<VisitsResult>();
    foreach (var provider in options.Providers)
    {
        Console.WriteLine($"== visits on {provider}");
        visitResults.Add(await VisitsScale.RunAsync(provider, options, Arg("--visits", 2_000_000), Arg("--tasks", 5_000_000)));
        VisitsReport.Write(options, visitResults);
    }
    Console.WriteLine($"Wrote {options.Output}");
    return 0;
}
if (args.Contains("--only") && args[Array.IndexOf(args, "--only") + 1] == "care")
{
    var lines = new List<string>();
    foreach (var provider in options.Providers) lines.Add(await CareRun.RunAsync(provider, options));
    CareRun.Write(options, lines);
    Console.WriteLine($"Wrote {options.Output}");
    return 0;
}
var results = new List<ProviderResult>();
foreach (var provider in options.Providers)
{
    Console.WriteLine($"== {provider}");
    results.Add(await ScaleRun.RunAsync(provider, options));
    Report.Write(options, results);
}
Console.WriteLine($"Wrote {options.Output}");
return 0;
