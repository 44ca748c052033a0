using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.FollowUps;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Visits;

public sealed record GoingColdItem(
    long ContactId, string ContactName, string? Title, long AccountId, string AccountName, string OwnerName, DateOnly? LastMetOn, int? DaysSince);

/// <summary>Key people of key accounts nobody has met (a visit or a meeting) for N days, or ever: the relationships going cold.</summary>
public static class GoingCold
{
    public const int DefaultDays = 90;

    public sealed record Query(int? Days = null, Tier? Tier = null, string? OwnerId = null, bool? Mine = null, int? Page = null, int? PageSize = null);

    public static async Task<Results<Ok<Paged<GoingColdItem>>, ValidationProblem>> HandleAsync(
        [AsParameters] Query q, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var days = q.Days ?? DefaultDays;
        if (days is < 1 or > 3650) return Validation.Single("days", $"days must be between 1 and 3650.");
        var today = VisitRules.Today(clock);
        var cutoff = today.AddDays(-days);
        var tier = q.Tier ?? Tier.Key;
        var accounts = db.Accounts.VisibleTo(db, user).Where(a => a.Tier == tier && a.Status == AccountStatus.Active);
        if (q.Mine == true) accounts = accounts.Where(a => a.OwnerId == user.Id);
        else if (q.OwnerId.Trimmed() is { } owner) accounts = accounts.Where(a => a.OwnerId == owner);
        var met = db.FollowUps.Where(f => f.Method == FollowUpMethod.Visit || f.Method == FollowUpMethod.Meeting);
        var page = await db.Contacts.Where(c => c.IsActive)
            .Join(accounts, c => c.AccountId, a => a.Id, (c, a) => new
            {
                c,
                a,
                LastMet = db.FollowUpContacts.Where(fc => fc.ContactId == c.Id).Join(met, fc => fc.FollowUpId, f => f.Id, (fc, f) => (DateOnly?)f.OccurredOn).Max(),
            })
            .Where(x => x.LastMet == null || x.LastMet < cutoff)
            .OrderBy(x => x.LastMet).ThenBy(x => x.a.Name).ThenBy(x => x.c.Name).ThenBy(x => x.c.Id)
            .Select(x => new GoingColdItem(x.c.Id, x.c.Name, x.c.Title, x.a.Id, x.a.Name, x.a.Owner!.DisplayName, x.LastMet, null))
            .ToPagedAsync(q.Page, q.PageSize, ct);
        return TypedResults.Ok(page with { Items = [.. page.Items.Select(i => i with { DaysSince = i.LastMetOn is { } d ? today.DayNumber - d.DayNumber : null })] });
    }
}
