using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Receivables;

/// <summary>The Finance workspace's lists beside the ageing: overdue instalments and this month's collections against plan.</summary>
public static class FinanceBoard
{
    /// <summary>Overdue instalments considered, most recently due first: the states are computed, so the list reads a bounded window.</summary>
    public const int OverdueWindow = 5000;

    public sealed record OverdueRow(InstalmentView Instalment, string AccountCode, string AccountName, int DaysOverdue);

    /// <summary>GET /api/v1/receivables/overdue-instalments?page=&amp;pageSize=: the caller's book, longest overdue first.</summary>
    public static async Task<Ok<Paged<OverdueRow>>> OverdueAsync(int? page, int? pageSize, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await ReadOverdueAsync(db, user, GetAgeing.Today(clock), page, pageSize, ct));

    public static async Task<Paged<OverdueRow>> ReadOverdueAsync(AppDb db, CurrentUser user, DateOnly today, int? page, int? pageSize, CancellationToken ct)
    {
        var (p, size) = Paging.Normalize(page, pageSize);
        var visible = (await db.Accounts.VisibleToAsync(db, user, ct)).Select(a => a.Id);
        var planIds = await db.Instalments.AsNoTracking().Where(i => i.VoidedAt == null && i.DueOn < today && visible.Contains(i.AccountId))
            .OrderByDescending(i => i.DueOn).Select(i => i.PlanId).Take(OverdueWindow).Distinct().ToListAsync(ct);
        var overdue = (await InstalmentStates.OfPlansAsync(db, planIds, today, ct)).Where(v => v.State == InstalmentState.Overdue)
            .OrderBy(v => v.DueOn).ThenBy(v => v.Id).ToList();
        var pageRows = overdue.Skip((p - 1) * size).Take(size).ToList();
        long[] accountIds = [.. pageRows.Select(r => r.AccountId).Distinct()];
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).Select(a => new { a.Id, a.Code, a.Name }).ToDictionaryAsync(a => a.Id, ct);
        return new Paged<OverdueRow>([.. pageRows.Select(r => new OverdueRow(r, accounts[r.AccountId].Code, accounts[r.AccountId].Name,
            today.DayNumber - r.DueOn.DayNumber))], overdue.Count, p, size);
    }

    public sealed record MonthCollections(string Month, int Instalments, decimal Planned, decimal Collected, decimal Rate, int Completed, int Partial,
        int Pending, int Overdue);

    /// <summary>GET /api/v1/receivables/collections-this-month: the instalments due this month in the caller's book, planned against paid.</summary>
    public static async Task<Ok<MonthCollections>> ThisMonthAsync(AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await ReadThisMonthAsync(db, user, GetAgeing.Today(clock), ct));

    public static async Task<MonthCollections> ReadThisMonthAsync(AppDb db, CurrentUser user, DateOnly today, CancellationToken ct)
    {
        var first = new DateOnly(today.Year, today.Month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        var visible = (await db.Accounts.VisibleToAsync(db, user, ct)).Select(a => a.Id);
        var planIds = await db.Instalments.AsNoTracking().Where(i => i.DueOn >= first && i.DueOn <= last && visible.Contains(i.AccountId))
            .Select(i => i.PlanId).Distinct().ToListAsync(ct);
        var due = (await InstalmentStates.OfPlansAsync(db, planIds, today, ct))
            .Where(v => v.DueOn >= first && v.DueOn <= last && v.State != InstalmentState.Void).ToList();
        var planned = due.Sum(v => v.Amount);
        var collected = due.Sum(v => v.Paid);
        return new MonthCollections(first.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), due.Count, planned, collected,
            planned > 0 ? Math.Round(collected / planned, 4) : 1, due.Count(v => v.State == InstalmentState.Completed),
            due.Count(v => v.State == InstalmentState.Partial), due.Count(v => v.State == InstalmentState.Pending), due.Count(v => v.State == InstalmentState.Overdue));
    }
}
