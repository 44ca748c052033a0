using System.Net;
using System.Net.Http.Headers;
using KeyAccounts.Features.Imports;
using KeyAccounts.Features.Transactions;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Transactions;

/// <summary>The whole UCI Online Retail file through the converter and the ordinary HTTP imports, counted.</summary>
[Collection(AppCollection.Name)]
public sealed class OnlineRetailTests(TestApp app)
{
    /// <summary>The shared data folder sits next to the repository (../shared/data), or next to the folder of worktrees.</summary>
    public static string DataFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "online-retail", "online_retail.csv.gz");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("The online-retail data is missing: expected ../shared/data/online-retail/online_retail.csv.gz next to the repository.");
    }

    private async Task<ImportReport> ImportAsync(HttpClient client, string kind, string path)
    {
        using var content = new MultipartFormDataContent();
        var part = new StreamContent(File.OpenRead(path));
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(part, "file", Path.GetFileName(path));
        return await (await client.PostAsync($"/api/v1/imports/{kind}", content)).ExpectAsync<ImportReport>(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OnlineRetail_WholeFile_ImportsWithDocumentedCounts()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"online-retail-{Guid.NewGuid():N}");
        try
        {
            var conversion = OnlineRetail.Convert(DataFile(), folder);

            Assert.Equal(541_909, conversion.SourceLines);
            Assert.Equal(4_372, conversion.Accounts);
            Assert.Equal(22_190, conversion.Orders);
            Assert.Equal(3_654, conversion.ReturnOrders);
            Assert.Equal(401_604, conversion.Lines);
            Assert.Equal(8_872, conversion.ReturnLines);
            Assert.Equal(40, conversion.ZeroPriceLines);
            Assert.Equal(new Dictionary<string, int>
            {
                [OnlineRetail.Reasons.BadDebtAdjustment] = 3,
                [OnlineRetail.Reasons.DuplicateLine] = 5_225,
                [OnlineRetail.Reasons.NoCustomer] = 135_077,
            }, conversion.Rejected);
            Assert.Equal(conversion.SourceLines, conversion.Lines + conversion.Rejected.Values.Sum());
            Assert.Equal(conversion.Rejected.Values.Sum() + 1, File.ReadLines(conversion.RejectedCsv).Count());

            using var admin = await app.ClientAsync("admin");
            var accounts = await ImportAsync(admin, "accounts", conversion.AccountsCsv);
            Assert.Equal((4_372, 0), (accounts.Accepted, accounts.Rejected));
            var orders = await ImportAsync(admin, "orders", conversion.OrdersCsv);
            Assert.Equal((401_604, 0), (orders.Accepted, orders.Rejected));

            await using var db = app.Db();
            var ids = db.Accounts.Where(a => a.Code.StartsWith(OnlineRetail.AccountPrefix)).Select(a => a.Id);
            Assert.Equal(4_372, await ids.CountAsync());
            Assert.Equal(22_190, await db.Orders.CountAsync(o => ids.Contains(o.AccountId)));
            Assert.Equal(3_654, await db.Orders.CountAsync(o => ids.Contains(o.AccountId) && o.OrderNo.StartsWith("C")));
            Assert.Equal(401_604, await db.OrderLines.CountAsync(l => ids.Contains(l.AccountId)));
            Assert.Equal(8_872, await db.OrderLines.CountAsync(l => ids.Contains(l.AccountId) && l.Quantity < 0));
            var revenue = await db.OrderLines.Where(l => ids.Contains(l.AccountId)).SumAsync(l => l.Quantity * l.UnitPrice);
            Assert.Equal(8_278_519.42m, Math.Round(revenue, 2));

            // The same files again change nothing and duplicate nothing.
            var again = await ImportAsync(admin, "orders", conversion.OrdersCsv);
            Assert.Equal(401_604, again.Accepted);
            Assert.Equal(401_604, await db.OrderLines.CountAsync(l => ids.Contains(l.AccountId)));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
