using System.Globalization;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KeyAccounts.Features.Receivables;

/// <summary>
/// GET /api/v1/receivables/collection-rates?by=account|rep|department|month&amp;from=&amp;to=&amp;page=&amp;pageSize=. The collection rate is
/// the evaluation's (<see cref="Evaluation.RunEvaluation.AggregationSql"/>): money paid in the period over money invoiced due in
/// the period up to today (an invoice not yet due cannot be late), at most 1, and 1 when nothing fell due. A rep is the
/// account's owner today, a department the account's.
/// </summary>
public static class CollectionRates
{
    public enum Grouping { Account, Rep, Department, Month }

    public sealed record Row(string? Key, string? Label, string? Code, decimal Due, decimal Paid, decimal Rate);

    /// <summary>The evaluation's collection rate of these figures.</summary>
    public static decimal RateOf(decimal due, decimal paid) => due > 0 ? Math.Round(Math.Min(1, paid / due), 4) : 1;

    public static async Task<Results<Ok<Paged<Row>>, ValidationProblem>> HandleAsync(string? by, DateOnly? from, DateOnly? to, int? page, int? pageSize,
        AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var today = GetAgeing.Today(clock);
        var end = to ?? new DateOnly(today.Year, today.Month, 1).AddMonths(1).AddDays(-1);
        var start = from ?? new DateOnly(end.Year, end.Month, 1).AddMonths(-11);
        var v = new Validation();
        if (!Enum.TryParse<Grouping>(by ?? nameof(Grouping.Account), true, out var grouping) || int.TryParse(by, out _))
            v.Add("by", $"by must be account, rep, department or month.");
        if (end < start) v.Add("to", $"to must not be before from.");
        else if (end.DayNumber - start.DayNumber > 3 * 366) v.Add("to", $"A report covers at most three years.");
        if (!v.IsValid) return v.Problem();
        var scope = AccountScope.Of(await AccountAccess.BookOfAsync(db, user, ct));
        return TypedResults.Ok(await ReadAsync(db, scope, grouping, start, end, today, page, pageSize, ct));
    }

    public static async Task<Paged<Row>> ReadAsync(AppDb db, AccountScope scope, Grouping grouping, DateOnly start, DateOnly end, DateOnly today, int? page,
        int? pageSize, CancellationToken ct)
    {
        var (p, size) = Paging.Normalize(page, pageSize);
        var dueBy = today < end ? today : end;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return grouping == Grouping.Month
                ? await MonthsAsync(db, scope, start, end, dueBy, p, size, ct)
                : await GroupsAsync(db, scope, grouping, start, end, dueBy, p, size, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<Paged<Row>> GroupsAsync(AppDb db, AccountScope scope, Grouping grouping, DateOnly start, DateOnly end, DateOnly dueBy, int page,
        int size, CancellationToken ct)
    {
        var (key, label, code, join) = grouping switch
        {
            Grouping.Account => ("""a."Id" """, "x.\"Name\"", "x.\"Code\"", """LEFT JOIN "Accounts" x ON x."Id" = g.k"""),
            Grouping.Rep => ("""a."OwnerId" """, "x.\"DisplayName\"", "x.\"UserName\"", """LEFT JOIN "AspNetUsers" x ON x."Id" = g.k"""),
            _ => ("""a."DepartmentId" """, "x.\"Name\"", "NULL", """LEFT JOIN "Departments" x ON x."Id" = g.k"""),
        };
        var order = grouping == Grouping.Account ? "x.\"Code\"" : $"{label}, g.k";
        var sql = $"""
            WITH i AS (SELECT "AccountId", SUM("Amount") AS due FROM "Invoices" WHERE "DueOn" >= @s AND "DueOn" <= @due{scope.Condition("\"Invoices\"")} GROUP BY "AccountId"),
            p AS (SELECT "AccountId", SUM("Amount") AS paid FROM "Payments" WHERE "PaidOn" >= @s AND "PaidOn" <= @e{scope.Condition("\"Payments\"")} GROUP BY "AccountId"),
            ids AS (SELECT "AccountId" FROM i UNION SELECT "AccountId" FROM p),
            g AS (SELECT {key} AS k, SUM(COALESCE(i.due, 0)) AS due, SUM(COALESCE(p.paid, 0)) AS paid
                  FROM ids JOIN "Accounts" a ON a."Id" = ids."AccountId" LEFT JOIN i ON i."AccountId" = a."Id" LEFT JOIN p ON p."AccountId" = a."Id"
                  GROUP BY {key})
            SELECT g.k, {label}, {code}, g.due, g.paid, COUNT(*) OVER () FROM g {join}
            ORDER BY {order}
            LIMIT @take OFFSET @skip
            """;
        var rows = new List<Row>();
        var total = 0;
        await using var cmd = Command(db, sql, scope, start, end, dueBy);
        OpenInvoices.Add(cmd, "take", size);
        OpenInvoices.Add(cmd, "skip", (page - 1) * size);
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var due = OpenInvoices.Money(reader, 3);
                var paid = OpenInvoices.Money(reader, 4);
                rows.Add(new Row(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture),
                    reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), due, paid, RateOf(due, paid)));
                total = Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture);
            }
        }
        return new Paged<Row>(rows, total, page, size);
    }

    /// <summary>Months from the figures per day (at most a few thousand rows), so the SQL needs no engine's date functions.</summary>
    private static async Task<Paged<Row>> MonthsAsync(AppDb db, AccountScope scope, DateOnly start, DateOnly end, DateOnly dueBy, int page, int size,
        CancellationToken ct)
    {
        var sql = $"""
            SELECT 0, "DueOn", SUM("Amount") FROM "Invoices" WHERE "DueOn" >= @s AND "DueOn" <= @due{scope.Condition("\"Invoices\"")} GROUP BY "DueOn"
            UNION ALL
            SELECT 1, "PaidOn", SUM("Amount") FROM "Payments" WHERE "PaidOn" >= @s AND "PaidOn" <= @e{scope.Condition("\"Payments\"")} GROUP BY "PaidOn"
            """;
        var months = new SortedDictionary<string, (decimal Due, decimal Paid)>(StringComparer.Ordinal);
        for (var m = new DateOnly(start.Year, start.Month, 1); m <= end; m = m.AddMonths(1)) months[m.ToString("yyyy-MM", CultureInfo.InvariantCulture)] = (0, 0);
        await using var cmd = Command(db, sql, scope, start, end, dueBy);
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var month = OpenInvoices.Date(reader, 1)!.Value.ToString("yyyy-MM", CultureInfo.InvariantCulture);
                var amount = OpenInvoices.Money(reader, 2);
                var (due, paid) = months.GetValueOrDefault(month);
                months[month] = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture) == 0 ? (due + amount, paid) : (due, paid + amount);
            }
        }
        var rows = months.Select(m => new Row(m.Key, m.Key, null, m.Value.Due, m.Value.Paid, RateOf(m.Value.Due, m.Value.Paid))).ToList();
        return new Paged<Row>([.. rows.Skip((page - 1) * size).Take(size)], rows.Count, page, size);
    }

    private static System.Data.Common.DbCommand Command(AppDb db, string sql, AccountScope scope, DateOnly start, DateOnly end, DateOnly dueBy)
    {
        var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        OpenInvoices.Add(cmd, "s", start);
        OpenInvoices.Add(cmd, "e", end);
        OpenInvoices.Add(cmd, "due", dueBy);
        scope.AddParameters(cmd);
        return cmd;
    }
}
