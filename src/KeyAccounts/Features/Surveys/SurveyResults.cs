using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Surveys;

/// <summary>Satisfaction over time: per month, the mean CSAT and the NPS of the responses, for one account, a tier, or the caller's whole view.</summary>
public static class SurveyResults
{
    public sealed record Period(string Month, int Responses, double? Csat, double? Nps);

    public sealed record TierFigure(Tier Tier, int Responses, double? Csat, double? Nps);

    public sealed record Response(int Responses, double? Csat, double? Nps, IReadOnlyList<Period> Months, IReadOnlyList<TierFigure> Tiers);

    public static async Task<Results<Ok<Response>, NotFound>> HandleAsync(long? accountId, Tier? tier, DateOnly? from, DateOnly? to,
        AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (accountId is { } id && !await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        return TypedResults.Ok(await ComputeAsync(accountId, tier, from, to, db, user, clock, ct));
    }

    public static async Task<Response> ComputeAsync(long? accountId, Tier? tier, DateOnly? from, DateOnly? to, AppDb db, CurrentUser user,
        TimeProvider clock, CancellationToken ct)
    {
        var end = (to ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var start = (from ?? DateOnly.FromDateTime(end).AddMonths(-12)).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var accounts = db.Accounts.VisibleTo(db, user);
        if (accountId is { } id) accounts = accounts.Where(a => a.Id == id);
        if (tier is { } t) accounts = accounts.Where(a => a.Tier == t);
        var rows = db.SurveyResponses.Where(r => r.AnsweredAt >= start && r.AnsweredAt < end)
            .Join(accounts, r => r.AccountId, a => a.Id, (r, a) => new { r.AnsweredAt.Year, r.AnsweredAt.Month, a.Tier, r.Csat, r.Nps });
        var groups = await rows.GroupBy(r => new { r.Year, r.Month, r.Tier }).Select(g => new
        {
            g.Key.Year,
            g.Key.Month,
            g.Key.Tier,
            Responses = g.Count(),
            CsatSum = g.Sum(r => r.Csat ?? 0),
            CsatCount = g.Count(r => r.Csat != null),
            Promoters = g.Count(r => r.Nps >= 9),
            Detractors = g.Count(r => r.Nps <= 6),
            NpsCount = g.Count(r => r.Nps != null),
        }).ToListAsync(ct);

        static (int Responses, double? Csat, double? Nps) Figures<T>(IEnumerable<T> g, Func<T, int> responses, Func<T, double> csatSum, Func<T, int> csatCount,
            Func<T, int> promoters, Func<T, int> detractors, Func<T, int> npsCount)
        {
            var list = g.ToList();
            var cc = list.Sum(csatCount);
            return (list.Sum(responses), cc == 0 ? null : Math.Round(list.Sum(csatSum) / cc, 2),
                Satisfaction.NetPromoterScore(list.Sum(promoters), list.Sum(detractors), list.Sum(npsCount)));
        }

        var months = groups.GroupBy(g => (g.Year, g.Month)).OrderBy(g => g.Key).Select(g =>
        {
            var f = Figures(g, x => x.Responses, x => x.CsatSum, x => x.CsatCount, x => x.Promoters, x => x.Detractors, x => x.NpsCount);
            return new Period($"{g.Key.Year:D4}-{g.Key.Month:D2}", f.Responses, f.Csat, f.Nps);
        }).ToList();
        var tiers = Enum.GetValues<Tier>().Select(ti =>
        {
            var f = Figures(groups.Where(g => g.Tier == ti), x => x.Responses, x => x.CsatSum, x => x.CsatCount, x => x.Promoters, x => x.Detractors, x => x.NpsCount);
            return new TierFigure(ti, f.Responses, f.Csat, f.Nps);
        }).ToList();
        var all = Figures(groups, x => x.Responses, x => x.CsatSum, x => x.CsatCount, x => x.Promoters, x => x.Detractors, x => x.NpsCount);
        return new Response(all.Responses, all.Csat, all.Nps, months, tiers);
    }

    public sealed record ResponseDto(long Id, long ContactId, string ContactName, DateTime AnsweredAt, double? Csat, int? Nps, string? Comment);

    public static async Task<Results<Ok<Paged<ResponseDto>>, NotFound>> ListAsync(long id, int? page, int? pageSize, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        var result = await db.SurveyResponses.Where(r => r.AccountId == id).OrderByDescending(r => r.AnsweredAt).ThenByDescending(r => r.Id)
            .Select(r => new ResponseDto(r.Id, r.ContactId, db.Contacts.Where(c => c.Id == r.ContactId).Select(c => c.Name).FirstOrDefault() ?? "",
                r.AnsweredAt, r.Csat, r.Nps, r.Answers.Where(a => a.Text != null).Select(a => a.Text).FirstOrDefault()))
            .ToPagedAsync(page, pageSize, ct);
        return TypedResults.Ok(result);
    }
}
