using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Care;

public sealed record CareActionRequest(long? ContactId, CareOccasion Occasion, string? Festival, string? What, DateOnly? TakenOn, decimal Cost);

public sealed record CareActionDto(long Id, long AccountId, long? ContactId, string? ContactName, CareOccasion Occasion, string? Festival,
    string What, DateOnly TakenOn, decimal Cost, string ByUserId, string ByUserName);

/// <summary>Recording a care action taken for an account or one of its people, and listing an account's actions.</summary>
public static class CareActions
{
    private static readonly HashSet<string> FestivalKeys =
        [Festivals.SpringFestival, Festivals.DragonBoat, Festivals.MidAutumn, Festivals.NationalDay, Festivals.NewYear];

    public static async Task<Results<Created<CareActionDto>, NotFound, ForbidHttpResult, ValidationProblem>> RecordAsync(
        long id, CareActionRequest request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.Forbid();
        var now = clock.GetUtcNow().UtcDateTime;
        var v = new Validation().Require("what", request.What, 300);
        if (request.TakenOn is null) v.Add("takenOn", $"takenOn is required.");
        else if (request.TakenOn > DateOnly.FromDateTime(now).AddDays(1)) v.Add("takenOn", $"takenOn cannot be in the future.");
        if (request.Cost < 0 || request.Cost > 10_000_000) v.Add("cost", $"cost must be between 0 and 10,000,000.");
        if (request.Occasion == CareOccasion.Festival && (request.Festival is null || !FestivalKeys.Contains(request.Festival)))
            v.Add("festival", $"Name the festival: SpringFestival, DragonBoat, MidAutumn, NationalDay or NewYear.");
        if (request.ContactId is { } contactId && !await db.Contacts.AnyAsync(c => c.Id == contactId && c.AccountId == id, ct))
            v.Add("contactId", $"The person is not one of this account's contacts.");
        if (!v.IsValid) return v.Problem();

        var action = new CareAction
        {
            AccountId = id,
            ContactId = request.ContactId,
            Occasion = request.Occasion,
            Festival = request.Occasion == CareOccasion.Festival ? request.Festival : null,
            What = request.What!.Trim(),
            TakenOn = request.TakenOn!.Value,
            Cost = Math.Round(request.Cost, 2, MidpointRounding.AwayFromZero),
            ByUserId = user.Id,
            CreatedAt = now,
        };
        db.CareActions.Add(action);
        await db.SaveChangesAsync(ct);
        var dto = await Query(db, db.CareActions.Where(a => a.Id == action.Id)).FirstAsync(ct);
        return TypedResults.Created($"/api/v1/accounts/{id}/care-actions", dto);
    }

    public static async Task<Results<Ok<Paged<CareActionDto>>, NotFound>> ListAsync(long id, int? page, int? pageSize, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        var result = await Query(db, db.CareActions.Where(a => a.AccountId == id).OrderByDescending(a => a.TakenOn).ThenByDescending(a => a.Id)).ToPagedAsync(page, pageSize, ct);
        return TypedResults.Ok(result);
    }

    private static IQueryable<CareActionDto> Query(AppDb db, IQueryable<CareAction> actions) => actions.Select(a => new CareActionDto(a.Id, a.AccountId, a.ContactId,
        db.Contacts.Where(c => c.Id == a.ContactId).Select(c => c.Name).FirstOrDefault(), a.Occasion, a.Festival, a.What, a.TakenOn, a.Cost,
        a.ByUserId, db.Users.Where(u => u.Id == a.ByUserId).Select(u => u.DisplayName).FirstOrDefault() ?? ""));

    public sealed record CooperationRequest(DateOnly? CooperationSince);

    /// <summary>Sets since when the account works with us; its anniversary then appears in the care calendar.</summary>
    public static async Task<Results<NoContent, NotFound, ForbidHttpResult, ValidationProblem>> SetCooperationSinceAsync(
        long id, CooperationRequest request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        var account = await db.Accounts.EditableBy(db, user).FirstOrDefaultAsync(a => a.Id == id, ct);
        if (account is null) return TypedResults.Forbid();
        if (request.CooperationSince > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
            return Validation.Single("cooperationSince", $"cooperationSince cannot be in the future.");
        account.CooperationSince = request.CooperationSince;
        account.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
