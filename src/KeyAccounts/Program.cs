using KeyAccounts.Infrastructure;

// Settings and assets come from beside the executable, whatever directory it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddKeyAccounts();
var app = builder.Build();

if (CommandLine.IsCommand(args))
    return await CommandLine.RunAsync(app, args);

await app.PrepareAsync();
app.UseKeyAccounts();
await app.RunAsync();
return 0;

public partial class Program;
