using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Archives;

/// <summary>Saves the whole archive of an account at once; the version the user edited guards against overwriting a colleague's save.</summary>
public static class SaveArchive
{
    public sealed record Request(
        ProductionScale? ProductionScale = null,
        List<ProductLine>? ProductLines = null,
        List<ProductionLine>? ProductionLines = null,
        List<DevelopmentPlan>? DevelopmentPlans = null,
        MarketShare? MarketShare = null,
        List<SalesRegion>? SalesRegions = null,
        List<SubDealer>? SubDealers = null,
        List<Terminal>? Terminals = null,
        List<Competitor>? Competitors = null,
        int? Version = null);

    public const string StaleMessage = "Someone else saved this archive since you opened it. Reload it and apply your changes again.";

    public static async Task<Results<Ok<ArchiveDto>, NotFound, ForbidHttpResult, ValidationProblem, ProblemHttpResult>> HandleAsync(
        long id, Request request, AppDb db, CurrentUser user, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.Forbid();

        var v = ArchiveRules.Validate(request);
        if (!v.IsValid) return v.Problem();

        var expected = ETags.IfMatch(http) ?? request.Version;
        var archive = await db.Archives.FirstOrDefaultAsync(a => a.AccountId == id, ct);
        var current = archive?.Version ?? 0;
        if (expected is { } version && version != current)
            return Problems.PreconditionFailed($"{StaleMessage} (The archive is at version {current}; you edited version {version}.)");

        if (archive is null)
        {
            archive = new AccountArchive { AccountId = id, Version = 1 };
            db.Archives.Add(archive);
        }
        else if (expected is { } v2) db.Entry(archive).Property(a => a.Version).OriginalValue = v2;
        ArchiveRules.Apply(archive, request);
        archive.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.PreconditionFailed(StaleMessage);
        }
        catch (DbUpdateException) when (db.Entry(archive).State == EntityState.Added)
        {
            // Two first saves raced: the other one created the row.
            return Problems.PreconditionFailed(StaleMessage);
        }
        await RefreshArchiveScore.HandleAsync(db, id, ct);
        var saved = await db.Archives.AsNoTracking().Where(a => a.AccountId == id).Select(ArchiveDto.FromEntity).FirstAsync(ct);
        http?.Response.Headers.ETag = ETags.For(saved.Version);
        return TypedResults.Ok(saved);
    }
}
