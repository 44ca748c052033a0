using System.CommandLine;
using KeyAccounts.Data;
using KeyAccounts.Features.Demo;
using KeyAccounts.Features.Transactions;

namespace KeyAccounts.Infrastructure;

/// <summary>The same executable as a command-line tool: <c>dotnet run --project src/KeyAccounts -- --help</c>.</summary>
public static class CommandLine
{
    private static readonly string[] Commands = ["seed-demo", "generate", "migrate", "import-online-retail", "--help", "-h", "-?", "help"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var root = new RootCommand("KeyAccounts — key account management. Without a command, runs the web application (--urls to choose the address).");

        var migrate = new Command("migrate", "Apply database migrations and create the first administrator, then exit.");
        migrate.SetAction(async (_, ct) => { await app.PrepareAsync(); return 0; });
        root.Subcommands.Add(migrate);

        var seed = new Command("seed-demo", "Load a realistic demo company: an industrial components manufacturer with ~300 customers and dealers, its organisation, users in every role, contacts and archives.");
        seed.SetAction(async (_, ct) =>
        {
            await app.PrepareAsync();
            await using var scope = app.Services.CreateAsyncScope();
            return await SeedDemo.RunAsync(scope.ServiceProvider, Console.Out, ct);
        });
        root.Subcommands.Add(seed);

        var accounts = new Option<int>("--accounts") { Description = "How many accounts to generate.", DefaultValueFactory = _ => 10_000 };
        var contacts = new Option<int>("--contacts-per-account") { Description = "Contacts per account.", DefaultValueFactory = _ => 3 };
        var generate = new Command("generate", GenerateAccounts.Description) { accounts, contacts };
        generate.SetAction(async (parse, ct) =>
        {
            await app.PrepareAsync();
            await using var scope = app.Services.CreateAsyncScope();
            return await GenerateAccounts.RunAsync(scope.ServiceProvider, parse.GetValue(accounts), parse.GetValue(contacts), Console.Out, ct);
        });
        root.Subcommands.Add(generate);

        var retailPath = new Argument<string>("path") { Description = "online_retail.csv(.gz), the UCI Online Retail file." };
        var retailOut = new Option<string?>("--out") { Description = "Where to write the import-ready CSVs and the rejected lines (default: a temporary folder)." };
        var retailUser = new Option<string>("--user") { Description = "The user the import runs as (it owns the new accounts).", DefaultValueFactory = _ => "admin" };
        var retailCost = new Option<decimal>("--cost-ratio") { Description = "Unit cost as a share of the unit price (the data has no costs).", DefaultValueFactory = _ => 0m };
        var retail = new Command("import-online-retail", "Convert the UCI Online Retail file to accounts and orders and import them through the ordinary imports.")
            { retailPath, retailOut, retailUser, retailCost };
        retail.SetAction(async (parse, ct) =>
        {
            await app.PrepareAsync();
            await using var scope = app.Services.CreateAsyncScope();
            return await OnlineRetail.RunAsync(scope.ServiceProvider, parse.GetValue(retailPath)!, parse.GetValue(retailOut), parse.GetValue(retailUser)!,
                parse.GetValue(retailCost), Console.Out, ct);
        });
        root.Subcommands.Add(retail);

        var normalized = args[0] == "help" ? ["--help"] : args;
        return await root.Parse(normalized).InvokeAsync();
    }
}
