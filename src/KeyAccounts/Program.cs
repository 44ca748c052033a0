using KeyAccounts.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddKeyAccounts();
var app = builder.Build();

if (CommandLine.IsCommand(args))
    return await CommandLine.RunAsync(app, args);

await app.PrepareAsync();
app.UseKeyAccounts();
await app.RunAsync();
return 0;

public partial class Program;
