using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Visits;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.FollowUps;

public sealed record FollowUpDto(
    long Id, long AccountId, string AccountName, long? VisitId, FollowUpMethod Method, DateOnly OccurredOn, string Summary, DateOnly? NextContactOn,
    string UserId, string UserName, IReadOnlyList<ContactRef> Contacts);

/// <summary>Logs a contact with an account: how, with whom, what was said, when to get in touch next.</summary>
public static class LogFollowUp
{
    public sealed record Request(long? AccountId, FollowUpMethod? Method, string? Summary, IReadOnlyList<long>? ContactIds = null,
        DateOnly? OccurredOn = null, DateOnly? NextContactOn = null);

    public static async Task<Results<Created<FollowUpDto>, NotFound, ForbidHttpResult, ValidationProblem>> HandleAsync(
        Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (request.AccountId is not { } accountId) return Validation.Single("accountId", $"accountId is required.");
        switch (await VisitRules.RightOnAsync(db, user, accountId, ct))
        {
            case AccountRight.None: return TypedResults.NotFound();
            case AccountRight.Read: return TypedResults.Forbid();
        }
        var today = VisitRules.Today(clock);
        var occurredOn = request.OccurredOn ?? today;
        var v = new Validation().Require("summary", request.Summary, 2000);
        if (request.Method is null) v.Add("method", $"method is required: Call, WeChat, Meeting, Email or Visit.");
        if (occurredOn > today) v.Add("occurredOn", $"A follow-up cannot be logged before it happened.");
        if (request.NextContactOn is { } next && next < occurredOn) v.Add("nextContactOn", $"The next contact cannot be before this one.");
        await VisitRules.CheckContactsAsync(v, db, accountId, request.ContactIds, "contactIds", ct);
        if (!v.IsValid) return v.Problem();

        var followUp = new FollowUp
        {
            AccountId = accountId,
            Method = request.Method!.Value,
            OccurredOn = occurredOn,
            Summary = request.Summary!.Trim(),
            NextContactOn = request.NextContactOn,
            UserId = user.Id,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Contacts = [.. (request.ContactIds ?? []).Distinct().Select(id => new FollowUpContact { ContactId = id })],
        };
        db.FollowUps.Add(followUp);
        await db.SaveChangesAsync(ct);
        var dto = await ListFollowUps.Project(db, db.FollowUps.Where(f => f.Id == followUp.Id)).FirstAsync(ct);
        return TypedResults.Created($"/api/v1/follow-ups/{followUp.Id}", dto);
    }
}

public static class ListFollowUps
{
    public sealed record Query(long? AccountId = null, string? UserId = null, FollowUpMethod? Method = null, int? Page = null, int? PageSize = null);

    public static async Task<Ok<Paged<FollowUpDto>>> HandleAsync([AsParameters] Query q, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var followUps = db.FollowUps.Where(f => db.VisibleAccountIds(user).Contains(f.AccountId));
        if (q.AccountId is { } accountId) followUps = followUps.Where(f => f.AccountId == accountId);
        if (q.UserId.Trimmed() is { } userId) followUps = followUps.Where(f => f.UserId == userId);
        if (q.Method is { } method) followUps = followUps.Where(f => f.Method == method);
        var page = await Project(db, followUps.OrderByDescending(f => f.OccurredOn).ThenByDescending(f => f.Id)).ToPagedAsync(q.Page, q.PageSize, ct);
        return TypedResults.Ok(page);
    }

    public static IQueryable<FollowUpDto> Project(AppDb db, IQueryable<FollowUp> followUps) =>
        followUps.Join(db.Accounts, f => f.AccountId, a => a.Id, (f, a) => new FollowUpDto(f.Id, f.AccountId, a.Name, f.VisitId, f.Method, f.OccurredOn,
            f.Summary, f.NextContactOn, f.UserId, db.Users.Where(u => u.Id == f.UserId).Select(u => u.DisplayName).FirstOrDefault() ?? "",
            db.FollowUpContacts.Where(c => c.FollowUpId == f.Id).Join(db.Contacts, fc => fc.ContactId, c => c.Id, (fc, c) => new ContactRef(c.Id, c.Name, c.Title)).ToList()));
}

public sealed record ContactTodayItem(
    long AccountId, string AccountCode, string AccountName, Tier Tier, string OwnerId, string OwnerName, long FollowUpId, FollowUpMethod Method,
    DateOnly LastContactOn, string Summary, DateOnly NextContactOn, int DaysLate);

/// <summary>
/// 今日待联系: accounts whose latest follow-up set a next contact day of today or earlier. Only the latest follow-up of an
/// account counts: once someone got in touch again, the earlier promise is kept.
/// </summary>
public static class ContactToday
{
    public sealed record Query(string? OwnerId = null, bool? Mine = null, int? Page = null, int? PageSize = null);

    public static async Task<Ok<Paged<ContactTodayItem>>> HandleAsync([AsParameters] Query q, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var today = VisitRules.Today(clock);
        var accounts = db.Accounts.VisibleTo(db, user);
        if (q.Mine == true) accounts = accounts.Where(a => a.OwnerId == user.Id);
        else if (q.OwnerId.Trimmed() is { } owner) accounts = accounts.Where(a => a.OwnerId == owner);
        var due = db.FollowUps
            .Where(f => f.NextContactOn != null && f.NextContactOn <= today)
            .Where(f => !db.FollowUps.Any(g => g.AccountId == f.AccountId && (g.OccurredOn > f.OccurredOn || (g.OccurredOn == f.OccurredOn && g.Id > f.Id))));
        var page = await due.Join(accounts, f => f.AccountId, a => a.Id, (f, a) => new { f, a })
            .OrderBy(x => x.f.NextContactOn).ThenBy(x => x.a.Name).ThenBy(x => x.a.Id)
            .Select(x => new ContactTodayItem(x.a.Id, x.a.Code, x.a.Name, x.a.Tier, x.a.OwnerId, x.a.Owner!.DisplayName, x.f.Id, x.f.Method, x.f.OccurredOn,
                x.f.Summary, x.f.NextContactOn!.Value, 0))
            .ToPagedAsync(q.Page, q.PageSize, ct);
        return TypedResults.Ok(page with { Items = [.. page.Items.Select(i => i with { DaysLate = today.DayNumber - i.NextContactOn.DayNumber })] });
    }
}
