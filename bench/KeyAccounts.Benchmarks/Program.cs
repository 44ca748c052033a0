using System.Globalization;
using KeyAccounts.Benchmarks;

// Scale benchmarks; each scenario writes its own section of docs/benchmarks.md (or --out).
// Usage: dotnet run -c Release --project bench/KeyAccounts.Benchmarks -- [--scenario list] [--providers sqlite,postgres] [--accounts 1000000]
//        [--contacts-per-account 3] [--seconds 10] [--clients 32] [--data /tmp/keyaccounts-bench] [--out docs/benchmarks.md]
//        [--match <text>: only the list scenarios whose user and request contain it] [--http-only: no replay of the SQL on the engine]
//   --scenario list (default): the account list and search under concurrent clients (wrk) vs the same SQL on the engine.
//   --scenario import-orders [--order-lines 10000000]: order lines through the app's CSV import vs the engine's bulk load.
//   --scenario import-accounts [--import-accounts 100000]: accounts through the app's CSV import (dry run, then import) vs the engine's bulk load.
//   --scenario evaluation [--lines-per-account 50] [--invoices-per-account 10] [--generate-only]: a full evaluation run vs its bare SQL.
//   --scenario visits [--visits 2000000] [--tasks 5000000]: the coverage board and calendar at scale.
//   --scenario care: the daily care-reminder job over the generated contacts.
//   --scenario ageing [--accounts 100000] [--invoices-per-account 5]: the receivables ageing report's first page vs its bare SQL.
var options = BenchOptions.Parse(args);
var scenario = BenchOptions.Value(args, "--scenario", "list");
long Number(string name, long fallback) => long.Parse(BenchOptions.Value(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

switch (scenario)
{
    case "evaluation":
        return await EvaluationBench.MainAsync(args, options);
    case "ageing":
        return await AgeingBench.MainAsync(args, options);
    case "import-orders":
        var imports = new List<ImportResult>();
        foreach (var provider in options.Providers)
        {
            Console.WriteLine($"== {provider}: import {Number("--order-lines", 10_000_000):N0} order lines");
            imports.Add(await ImportRun.RunOrdersAsync(provider, options, Number("--order-lines", 10_000_000)));
            ImportRun.WriteOrders(options, imports);
        }
        break;
    case "import-accounts":
        var accountImports = new List<ImportResult>();
        foreach (var provider in options.Providers)
        {
            Console.WriteLine($"== {provider}: import {Number("--import-accounts", 100_000):N0} accounts");
            accountImports.Add(await ImportRun.RunAccountsAsync(provider, options, (int)Number("--import-accounts", 100_000)));
            ImportRun.WriteAccounts(options, accountImports);
        }
        break;
    case "visits":
        var visitResults = new List<VisitsResult>();
        foreach (var provider in options.Providers)
        {
            Console.WriteLine($"== visits on {provider}");
            visitResults.Add(await VisitsScale.RunAsync(provider, options, (int)Number("--visits", 2_000_000), (int)Number("--tasks", 5_000_000)));
            VisitsReport.Write(options, visitResults);
        }
        break;
    case "care":
        var lines = new List<string>();
        foreach (var provider in options.Providers) lines.Add(await CareRun.RunAsync(provider, options));
        CareRun.Write(options, lines);
        break;
    case "list":
        var results = new List<ProviderResult>();
        foreach (var provider in options.Providers)
        {
            Console.WriteLine($"== {provider}");
            if (await ScaleRun.RunAsync(provider, options) is not { } result) continue;
            results.Add(result);
            Report.Write(options, results);
        }
        break;
    default:
        Console.Error.WriteLine($"Unknown scenario '{scenario}': list, import-orders, import-accounts, evaluation, visits, care or ageing.");
        return 2;
}
Console.WriteLine($"Wrote {options.Output}");
return 0;
