using System.CommandLine;
using KeyAccounts.Data;
using KeyAccounts.Features.Demo;

namespace KeyAccounts.Infrastructure;

/// <summary>The same executable as a command-line tool: <c>dotnet run --project src/KeyAccounts -- --help</c>.</summary>
public static class CommandLine
{
    private static readonly string[] Commands = ["seed-demo", "generate", "migrate", "--help", "-h", "-?", "help"];

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

        var normalized = args[0] == "help" ? ["--help"] : args;
        return await root.Parse(normalized).InvokeAsync();
    }
}
