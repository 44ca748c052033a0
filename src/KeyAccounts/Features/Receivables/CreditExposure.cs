using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KeyAccounts.Features.Receivables;

/// <summary>
/// An account's credit exposure on a day: its open receivables (the ageing rule), plus what its orders are worth beyond the
/// invoices that bill them, and how many days its oldest overdue invoice is past due (0 when none is).
/// </summary>
public sealed record CreditExposure(decimal OpenReceivables, decimal OrdersNotInvoiced, decimal Total, int MaxDaysOverdue);

public static class CreditExposureQueries
{
    /// <summary>
    /// Orders older than this are taken as invoiced: ERP feeds that do not link invoices to orders (no <c>orderNo</c> on the
    /// invoice) would otherwise leave every past order open forever.
    /// </summary>
    public const int OpenOrderDays = 180;

    /// <summary>The exposure for credit checks (held orders): one account, no access check (the caller decides who asks).</summary>
    public static async Task<CreditExposure> CreditExposureAsync(this AppDb db, long accountId, DateOnly on, CancellationToken ct = default)
    {
        var scope = AccountScope.One(accountId);
        decimal open = 0, orders = 0;
        DateOnly? oldest = null;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            await using (var cmd = OpenInvoices.Command(connection, OpenInvoices.Ctes(scope) + """
                SELECT SUM(owed), MIN(CASE WHEN "DueOn" < @asOf THEN "DueOn" END) FROM unpaid WHERE ROUND(owed, 2) > 0
                """, scope, on))
            {
                cmd.Transaction = transaction;
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct))
                {
                    open = OpenInvoices.Money(reader, 0);
                    oldest = OpenInvoices.Date(reader, 1);
                }
            }
            await using (var cmd = OpenInvoices.Command(connection, OrdersNotInvoicedSql, scope, on))
            {
                cmd.Transaction = transaction;
                OpenInvoices.Add(cmd, "since", on.AddDays(-OpenOrderDays));
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct)) orders = OpenInvoices.Money(reader, 0);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        var days = oldest is { } d ? on.DayNumber - d.DayNumber : 0;
        return new CreditExposure(open, orders, open + orders, days);
    }

    /// <summary>Each recent order's value (returns net) beyond the invoices that name it, never below zero.</summary>
    private const string OrdersNotInvoicedSql = """
        SELECT SUM(CASE WHEN t.worth > COALESCE(v.billed, 0) THEN t.worth - COALESCE(v.billed, 0) ELSE 0 END)
        FROM (SELECT o."OrderNo", SUM(l."Quantity" * l."UnitPrice") AS worth
              FROM "Orders" o JOIN "OrderLines" l ON l."OrderId" = o."Id"
              WHERE o."AccountId" = @scope_account AND o."OrderDate" <= @asOf AND o."OrderDate" > @since
              GROUP BY o."OrderNo") t
        LEFT JOIN (SELECT "OrderNo", SUM("Amount") AS billed FROM "Invoices"
                   WHERE "AccountId" = @scope_account AND "OrderNo" IS NOT NULL AND "IssuedOn" <= @asOf
                   GROUP BY "OrderNo") v ON v."OrderNo" = t."OrderNo"
        """;

    /// <summary>GET /api/v1/accounts/{id}/credit-exposure?on=: the same figures for an account the caller sees (404 otherwise).</summary>
    public static async Task<Results<Ok<CreditExposure>, NotFound>> HandleAsync(long id, DateOnly? on, AppDb db, CurrentUser user, TimeProvider clock,
        CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        return TypedResults.Ok(await db.CreditExposureAsync(id, on ?? GetAgeing.Today(clock), ct));
    }
}
