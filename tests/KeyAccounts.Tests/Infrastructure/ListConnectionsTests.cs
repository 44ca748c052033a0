using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Infrastructure;

/// <summary>SQLite's lists run on connections that stay open and keep their prepared statements (<see cref="SqliteListConnections"/>).</summary>
[Collection(AppCollection.Name)]
public sealed class ListConnectionsTests(TestApp app)
{
    private static ListAccounts.Query Query(string search) => new() { Search = search, Tier = Tier.Key };

    private async Task<(int Total, System.Data.Common.DbConnection During)> ListAsync(AppDb db, string search)
    {
        System.Data.Common.DbConnection? during = null;
        var total = await db.ReadListAsync(async () =>
        {
            during = db.Database.GetDbConnection();
            return await db.Accounts.Where(a => a.Code.StartsWith(search)).CountAsync();
        }, CancellationToken.None);
        return (total, during!);
    }

    [Fact]
    public async Task ReadList_Twice_RunsOnAListConnectionReusingItsStatementsAndLeavesTheContextOnItsOwn()
    {
        await using var db = app.Db();
        var lists = app.Services.GetService<SqliteListConnections>();
        if (app.Provider == DatabaseProvider.Postgres)
        {
            Assert.Null(lists); // PostgreSQL keeps prepared statements itself (Max Auto Prepare)
            return;
        }
        var code = TestApp.Unique("LC");

        var (first, during) = await ListAsync(db, code);
        var afterFirst = db.Database.GetDbConnection();
        var kept = KeptOnTheNextListConnection(lists!, during);
        var (second, duringAgain) = await ListAsync(db, ""); // the same statement with another value: every account

        Assert.Equal(0, first);
        Assert.Equal(await db.Accounts.CountAsync(), second);
        Assert.True(second > 0);
        Assert.Equal(System.Data.ConnectionState.Open, during.State);
        Assert.NotSame(during, afterFirst);
        Assert.Equal(System.Data.ConnectionState.Closed, afterFirst.State);
        Assert.Same(during, duringAgain); // the last list connection back is the next one out
        Assert.True(kept >= 1);
        Assert.Equal(kept, KeptOnTheNextListConnection(lists!, during)); // the second run prepared nothing new
    }

    private static int KeptOnTheNextListConnection(SqliteListConnections lists, System.Data.Common.DbConnection expected)
    {
        var list = lists.Rent();
        try
        {
            Assert.Same(expected, list.Connection);
            return list.Kept;
        }
        finally
        {
            lists.Return(list, healthy: true);
        }
    }

    [Fact]
    public async Task ReadList_SeesWhatWasCommittedSinceTheStatementWasPrepared()
    {
        if (app.Provider == DatabaseProvider.Postgres) return;
        var code = TestApp.Unique("LC");
        await using (var db = app.Db()) Assert.Equal(0, (await ListAsync(db, code)).Total);
        using var rep = await app.ClientAsync("rep");
        await (await rep.PostJsonAsync("/api/v1/accounts", new { code, name = $"列表连接{code}", type = "Customer" })).ExpectAsync(System.Net.HttpStatusCode.Created);
        await using (var db = app.Db()) Assert.Equal(1, (await ListAsync(db, code)).Total);
    }

    [Fact]
    public async Task ReadList_WhenTheReadFails_ClosesItsConnectionInsteadOfKeepingIt()
    {
        await using var db = app.Db();
        System.Data.Common.DbConnection? during = null;
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.ReadListAsync<int>(() =>
        {
            during = db.Database.GetDbConnection();
            throw new InvalidOperationException("the list failed");
        }, CancellationToken.None));
        Assert.Equal(System.Data.ConnectionState.Closed, during!.State);
        Assert.Equal(System.Data.ConnectionState.Closed, db.Database.GetDbConnection().State);
    }
}
