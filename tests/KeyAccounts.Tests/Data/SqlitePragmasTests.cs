using System.Data.Common;
using KeyAccounts.Data;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Data;

/// <summary>SQLite's log sync mode: FULL unless <c>Database:SqliteSynchronous</c> trades it for NORMAL (PRAGMA synchronous reads 2 / 1).</summary>
[Collection(AppCollection.Name)]
public sealed class SqlitePragmasTests(TestApp app)
{
    [Fact]
    public async Task Connections_ByDefault_RunWithSynchronousFull()
    {
        if (app.Provider != DatabaseProvider.Sqlite) return;
        Assert.Equal((2L, 2L), await SynchronousAsync(app));
    }

    [Fact]
    public async Task Connections_ConfiguredNormal_RunWithSynchronousNormal()
    {
        if (app.Provider != DatabaseProvider.Sqlite) return;
        await using var node = app.WithWebHostBuilder(b => b.UseSetting("Database:SqliteSynchronous", "Normal"));
        Assert.Equal((1L, 1L), await SynchronousAsync(node));
    }

    /// <summary>The mode on an ordinary connection of the app's contexts, and on a list connection (<see cref="SqliteListConnections"/>).</summary>
    private static async Task<(long Context, long List)> SynchronousAsync(WebApplicationFactory<Program> node)
    {
        await using var db = node.Services.GetRequiredService<Func<AppDb>>()();
        await db.Database.OpenConnectionAsync();
        long context;
        try
        {
            context = await ReadAsync(db.Database.GetDbConnection());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        var list = await db.ReadListAsync(() => ReadAsync(db.Database.GetDbConnection()), CancellationToken.None);
        return (context, list);
    }

    private static async Task<long> ReadAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
