using System.Data.Common;
using System.Globalization;
using System.Text;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KeyAccounts.Features.Policies;

/// <summary>
/// The trailing-twelve-month figures of accounts, set-based in SQL: revenue net of returns and quantity from the order lines,
/// contracts and active months from the orders, invoiced due and paid as the evaluation counts the collection rate, quality losses.
/// Two shapes: per account (scalar subqueries over the (AccountId, date) indexes, for one account or a tier's few thousand) and
/// grouped (one GROUP BY per table, for counting over the whole company).
/// </summary>
public static class TermsFiguresQuery
{
    public sealed record Row(long AccountId, string Tier, string Type, TermsFigures Figures);

    /// <summary>The period: [on − 12 months, on − 1]; invoices count when due by the period's end, or by today while it is not over.</summary>
    public static (DateOnly Start, DateOnly End, DateOnly DueBy) Period(DateOnly on, DateOnly today)
    {
        var (s, e) = SalesTerms.Trailing12Months(on);
        return (s, e, today < e ? today : e);
    }

    /// <summary>Per account: the figures of the accounts selected by <paramref name="where"/> (SQL over alias a, e.g. <c>a."Id" = @id</c>).</summary>
    public static string PerAccountSql(SqlDialect engine, string where) => $"""
        SELECT a."Id", a."Tier", a."Type",
          (SELECT SUM(l."Quantity" * l."UnitPrice") FROM "OrderLines" l WHERE l."AccountId" = a."Id" AND l."OrderDate" >= @s AND l."OrderDate" <= @e),
          (SELECT SUM(l."Quantity") FROM "OrderLines" l WHERE l."AccountId" = a."Id" AND l."OrderDate" >= @s AND l."OrderDate" <= @e),
          (SELECT COUNT(*) FROM "Orders" o WHERE o."AccountId" = a."Id" AND o."OrderDate" >= @s AND o."OrderDate" <= @e),
          (SELECT COUNT(DISTINCT {engine.MonthOf("o.\"OrderDate\"")}) FROM "Orders" o WHERE o."AccountId" = a."Id" AND o."OrderDate" >= @s AND o."OrderDate" <= @e),
          (SELECT SUM(i."Amount") FROM "Invoices" i WHERE i."AccountId" = a."Id" AND i."DueOn" >= @s AND i."DueOn" <= @due),
          (SELECT SUM(p."Amount") FROM "Payments" p WHERE p."AccountId" = a."Id" AND p."PaidOn" >= @s AND p."PaidOn" <= @e),
          (SELECT SUM(q."LossAmount") FROM "QualityIncidents" q WHERE q."AccountId" = a."Id" AND q."OccurredOn" >= @s AND q."OccurredOn" <= @e)
        FROM "Accounts" a WHERE {where}
        """;

    /// <summary>
    /// Grouped: how many accounts (not closed) meet <paramref name="c"/>, and their revenue. Only the tables the conditions need are
    /// read; each condition is pushed into the WHERE clause, with the same rounding as the per-account figures.
    /// </summary>
    public static DbCommand CountCommand(DbConnection connection, SqlDialect engine, TermsConditions c, DateOnly on, DateOnly today)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandTimeout = 0;
        var (s, e, due) = Period(on, today);
        Add(cmd, "s", s);
        Add(cmd, "e", e);
        Add(cmd, "due", due);
        var ctes = new List<string>();
        var joins = new StringBuilder();
        var where = new List<string> { "a.\"Status\" <> 'Closed'" };
        // Revenue is always read: the simulation prices the discount on it.
        ctes.Add("""l AS (SELECT "AccountId", SUM("Quantity" * "UnitPrice") AS revenue, SUM("Quantity") AS qty FROM "OrderLines" WHERE "OrderDate" >= @s AND "OrderDate" <= @e GROUP BY "AccountId")""");
        joins.Append(" LEFT JOIN l ON l.\"AccountId\" = a.\"Id\"");
        if (c.MinContracts12m is not null || c.MinActiveMonths12m is not null)
        {
            ctes.Add($"""o AS (SELECT "AccountId", COUNT(*) AS n, COUNT(DISTINCT {engine.MonthOf("\"OrderDate\"")}) AS months FROM "Orders" WHERE "OrderDate" >= @s AND "OrderDate" <= @e GROUP BY "AccountId")""");
            joins.Append(" LEFT JOIN o ON o.\"AccountId\" = a.\"Id\"");
        }
        if (c.MinCollectionRate is not null)
        {
            ctes.Add("""i AS (SELECT "AccountId", SUM("Amount") AS due FROM "Invoices" WHERE "DueOn" >= @s AND "DueOn" <= @due GROUP BY "AccountId")""");
            ctes.Add("""p AS (SELECT "AccountId", SUM("Amount") AS paid FROM "Payments" WHERE "PaidOn" >= @s AND "PaidOn" <= @e GROUP BY "AccountId")""");
            joins.Append(" LEFT JOIN i ON i.\"AccountId\" = a.\"Id\" LEFT JOIN p ON p.\"AccountId\" = a.\"Id\"");
        }
        if (c.MaxQualityLoss12m is not null)
        {
            ctes.Add("""q AS (SELECT "AccountId", SUM("LossAmount") AS loss FROM "QualityIncidents" WHERE "OccurredOn" >= @s AND "OccurredOn" <= @e GROUP BY "AccountId")""");
            joins.Append(" LEFT JOIN q ON q.\"AccountId\" = a.\"Id\"");
        }
        if (c.Tiers is { Count: > 0 } tiers)
            where.Add($"a.\"Tier\" IN ({string.Join(", ", tiers.Select((t, k) => Param(cmd, $"t{k}", t)))})");
        if (c.AccountTypes is { Count: > 0 } types)
            where.Add($"a.\"Type\" IN ({string.Join(", ", types.Select((t, k) => Param(cmd, $"y{k}", t)))})");
        if (c.MinRevenue12m is { } rev) where.Add($"ROUND(COALESCE(l.revenue, 0), 2) >= {Param(cmd, "minRevenue", rev)}");
        if (c.MinContracts12m is { } n) where.Add($"COALESCE(o.n, 0) >= {Param(cmd, "minContracts", n)}");
        if (c.MinActiveMonths12m is { } m) where.Add($"COALESCE(o.months, 0) >= {Param(cmd, "minMonths", m)}");
        if (c.MinCollectionRate is { } rate)
            where.Add($"(CASE WHEN COALESCE(i.due, 0) > 0 THEN ROUND(COALESCE(p.paid, 0) / i.due, 4) ELSE 1 END) >= {Param(cmd, "minRate", rate)}");
        if (c.MaxQualityLoss12m is { } loss) where.Add($"ROUND(COALESCE(q.loss, 0), 2) <= {Param(cmd, "maxLoss", loss)}");
        if (c.MinAverageUnitPrice12m is { } price)
            where.Add($"(CASE WHEN COALESCE(l.qty, 0) > 0 THEN ROUND(l.revenue / l.qty, 2) ELSE 0 END) >= {Param(cmd, "minPrice", price)}");
        cmd.CommandText = $"""
            WITH {string.Join(",\n", ctes)}
            SELECT COUNT(*), SUM(COALESCE(l.revenue, 0)) FROM "Accounts" a{joins}
            WHERE {string.Join(" AND ", where)}
            """;
        return cmd;
    }

    /// <summary>The figures of the accounts <paramref name="where"/> selects, by account.</summary>
    public static async Task<List<Row>> ReadAsync(AppDb db, string where, Action<DbCommand> parameters, DateOnly on, DateOnly today, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = db.Database.GetDbConnection().CreateCommand();
            cmd.CommandText = PerAccountSql(db.Engine, where);
            if (db.Database.CurrentTransaction is { } tx) cmd.Transaction = tx.GetDbTransaction();
            var (s, e, due) = Period(on, today);
            Add(cmd, "s", s);
            Add(cmd, "e", e);
            Add(cmd, "due", due);
            parameters(cmd);
            var rows = new List<Row>();
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                decimal D(int k) => r.IsDBNull(k) ? 0 : Convert.ToDecimal(r.GetValue(k), CultureInfo.InvariantCulture);
                var revenue = Math.Round(D(3), 2);
                var qty = D(4);
                var figures = new TermsFigures(
                    revenue, (int)D(5), SalesTerms.CollectionRate(D(7), D(8)), Math.Round(D(9), 2), (int)D(6),
                    qty > 0 ? Math.Round(D(3) / qty, 2) : 0);
                rows.Add(new Row(r.GetInt64(0), r.GetString(1), r.GetString(2), figures));
            }
            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string Param(DbCommand cmd, string name, object value)
    {
        // As doubles: SQLite binds a decimal as text, which never compares as a number with the REAL sums.
        Add(cmd, name, value is decimal d ? (double)d : value);
        return "@" + name;
    }

    public static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
