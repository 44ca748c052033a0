using System.Net;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Contacts;

[Collection(AppCollection.Name)]
public sealed class DeleteContactTests(TestApp app)
{
    [Fact]
    public async Task Delete_ContactNamedInAVisit_Returns409AndKeepsThem()
    {
        var account = await app.AccountAsync("rep");
        var contact = await app.ContactAsync("rep", account);
        using var rep = await app.ClientAsync("rep");
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2).ToString("yyyy-MM-dd");
        await (await rep.PostJsonAsync("/api/v1/visits", new { accountId = account, level = "Business", plannedOn = day, purpose = "回顾", contactIds = new[] { contact } }))
            .ExpectAsync(HttpStatusCode.Created);
        await using var db = app.Db();
        var audits = await db.AuditEntries.CountAsync();

        var problem = await (await rep.DeleteAsync($"/api/v1/contacts/{contact}")).ExpectAsync(HttpStatusCode.Conflict);

        Assert.Contains("mark them as left", problem.GetProperty("detail").GetString());
        Assert.True(await db.Contacts.AnyAsync(c => c.Id == contact));
        Assert.Equal(audits, await db.AuditEntries.CountAsync());
    }
}
