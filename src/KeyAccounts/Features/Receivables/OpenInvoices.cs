using System.Data.Common;
using System.Globalization;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KeyAccounts.Features.Receivables;

/// <summary>
/// Which accounts' receivables a query reads: all, one account, or a user's book (<see cref="Book"/>). Written into the SQL as a
/// condition on an <c>"AccountId"</c> column with its own parameters, so the engine reads only those accounts' rows by index.
/// </summary>
public sealed class AccountScope
{
    private readonly Book? book;
    private readonly long? account;
    private readonly long[]? accounts;

    private AccountScope(Book? book, long? account, long[]? accounts = null) => (this.book, this.account, this.accounts) = (book, account, accounts);

    /// <summary>These accounts (a few hundred at most: one parameter each).</summary>
    public static AccountScope Many(long[] ids) => new(null, null, ids.Length == 0 ? [0] : ids);

    public static readonly AccountScope All = new(null, null);

    public static AccountScope Of(Book? book) => book is null ? All : new(book, null);

    public static AccountScope One(long accountId) => new(null, accountId);

    public bool IsAll => book is null && account is null && accounts is null;

    /// <summary><c>AND alias."AccountId" …</c>, or nothing for every account.</summary>
    public string Condition(string alias)
    {
        if (account is not null) return $""" AND {alias}."AccountId" = @scope_account""";
        if (accounts is not null) return $""" AND {alias}."AccountId" IN ({string.Join(", ", accounts.Select((_, i) => $"@scope_a{i}"))})""";
        if (book is null) return "";
        var arms = new List<string>();
        if (book.Owner is not null) arms.Add("""s."OwnerId" = @scope_owner""");
        if (book.Departments.Length > 0) arms.Add($"""s."DepartmentId" IN ({string.Join(", ", book.Departments.Select((_, i) => $"@scope_d{i}"))})""");
        if (book.Shared.Length > 0) arms.Add($"""s."Id" IN ({string.Join(", ", book.Shared.Select((_, i) => $"@scope_s{i}"))})""");
        if (arms.Count == 0) return " AND 1 = 0";
        return $""" AND {alias}."AccountId" IN (SELECT s."Id" FROM "Accounts" s WHERE {string.Join(" OR ", arms)})""";
    }

    public void AddParameters(DbCommand cmd)
    {
        if (account is { } id) OpenInvoices.Add(cmd, "scope_account", id);
        for (var i = 0; i < (accounts?.Length ?? 0); i++) OpenInvoices.Add(cmd, $"scope_a{i}", accounts![i]);
        if (book is null) return;
        if (book.Owner is not null) OpenInvoices.Add(cmd, "scope_owner", book.Owner);
        for (var i = 0; i < book.Departments.Length; i++) OpenInvoices.Add(cmd, $"scope_d{i}", book.Departments[i]);
        for (var i = 0; i < book.Shared.Length; i++) OpenInvoices.Add(cmd, $"scope_s{i}", book.Shared[i]);
    }
}

/// <summary>
/// The open amount of every invoice on a day, set-based, as API.md's receivables rule says: invoices issued on or before
/// <c>@asOf</c>, payments paid on or before it. A payment that names an invoice of its account goes to that invoice up to its
/// amount; a payment that names none (or an invoice the account does not have), any excess, refunds (negative payments) and
/// credit notes (negative invoices) make up the account's pool, which pays the remaining invoices earliest due date first (then
/// by id) through a running sum. The same SQL on both engines (standard window functions); the results are rounded to the fen.
/// </summary>
public static class OpenInvoices
{
    /// <summary>
    /// CTEs ending in <c>unpaid("Id", "AccountId", "DueOn", owed)</c>: every invoice with money still owed on <c>@asOf</c>.
    /// Followed by a SELECT over <c>unpaid</c>.
    /// </summary>
    public static string Ctes(AccountScope scope) => $"""
        WITH pay AS (
            SELECT p."AccountId", p."Amount", n."Id" AS "InvoiceId"
            FROM "Payments" p
            LEFT JOIN "Invoices" n ON n."InvoiceNo" = p."InvoiceNo" AND n."AccountId" = p."AccountId" AND n."IssuedOn" <= @asOf AND n."Amount" > 0
            WHERE p."PaidOn" <= @asOf{scope.Condition("p")}
        ),
        named AS (
            SELECT "InvoiceId", SUM("Amount") AS paid FROM pay WHERE "InvoiceId" IS NOT NULL GROUP BY "InvoiceId"
        ),
        applied AS (
            SELECT i."Id", i."AccountId", i."DueOn", i."Amount", COALESCE(named.paid, 0) AS paid,
                CASE WHEN named.paid IS NULL OR named.paid <= 0 THEN 0 WHEN named.paid >= i."Amount" THEN i."Amount" ELSE named.paid END AS direct
            FROM "Invoices" i LEFT JOIN named ON named."InvoiceId" = i."Id"
            WHERE i."IssuedOn" <= @asOf AND i."Amount" > 0{scope.Condition("i")}
        ),
        pool AS (
            SELECT m."AccountId", SUM(m.money) AS money FROM (
                SELECT "AccountId", "Amount" AS money FROM pay WHERE "InvoiceId" IS NULL
                UNION ALL SELECT "AccountId", paid - direct FROM applied WHERE paid <> direct
                UNION ALL SELECT c."AccountId", -c."Amount" FROM "Invoices" c WHERE c."IssuedOn" <= @asOf AND c."Amount" < 0{scope.Condition("c")}
            ) m GROUP BY m."AccountId"
        ),
        queue AS (
            SELECT "Id", "AccountId", "DueOn", "Amount" - direct AS rest,
                SUM("Amount" - direct) OVER (PARTITION BY "AccountId" ORDER BY "DueOn", "Id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS upto
            FROM applied WHERE "Amount" > direct
        ),
        unpaid AS (
            SELECT q."Id", q."AccountId", q."DueOn",
                CASE WHEN pool.money IS NULL OR pool.money <= q.upto - q.rest THEN q.rest
                     WHEN pool.money >= q.upto THEN 0
                     ELSE q.upto - pool.money END AS owed
            FROM queue q LEFT JOIN pool ON pool."AccountId" = q."AccountId"
        )
        """;

    /// <summary>The ageing buckets of each account with something open (the bare aggregation the report pages).</summary>
    public static string BucketsSql(AccountScope scope) => Ctes(scope) + """
        ,
        ageing AS (
            SELECT "AccountId",
                ROUND(SUM(CASE WHEN "DueOn" >= @asOf THEN owed ELSE 0 END), 2) AS not_due,
                ROUND(SUM(CASE WHEN "DueOn" < @asOf AND "DueOn" >= @d30 THEN owed ELSE 0 END), 2) AS d30,
                ROUND(SUM(CASE WHEN "DueOn" < @d30 AND "DueOn" >= @d60 THEN owed ELSE 0 END), 2) AS d60,
                ROUND(SUM(CASE WHEN "DueOn" < @d60 AND "DueOn" >= @d90 THEN owed ELSE 0 END), 2) AS d90,
                ROUND(SUM(CASE WHEN "DueOn" < @d90 THEN owed ELSE 0 END), 2) AS over90,
                ROUND(SUM(owed), 2) AS total
            FROM unpaid WHERE ROUND(owed, 2) > 0 GROUP BY "AccountId"
        )
        """;

    /// <summary>The bare SQL of the buckets of every account, for the benchmark's comparison.</summary>
    public static string BareBucketsSql => BucketsSql(AccountScope.All) + """
        SELECT "AccountId", not_due, d30, d60, d90, over90, total FROM ageing
        """;

    /// <summary>A page of the report in account code order, with the number of accounts and the grand totals on each row.</summary>
    public static string PageSql(AccountScope scope) => BucketsSql(scope) + """
        SELECT a."Id", a."Code", a."Name", g.not_due, g.d30, g.d60, g.d90, g.over90, g.total, COUNT(*) OVER () AS n,
            SUM(g.not_due) OVER () AS t_not_due, SUM(g.d30) OVER () AS t_d30, SUM(g.d60) OVER () AS t_d60, SUM(g.d90) OVER () AS t_d90,
            SUM(g.over90) OVER () AS t_over90, SUM(g.total) OVER () AS t_total
        FROM ageing g JOIN "Accounts" a ON a."Id" = g."AccountId"
        ORDER BY a."Code"
        LIMIT @take OFFSET @skip
        """;

    /// <summary>Each invoice still owed: id, account, due date and open amount.</summary>
    public static string OwedSql(AccountScope scope, string? invoiceCondition = null) => Ctes(scope) + $"""
        SELECT u."Id", u."AccountId", u."DueOn", ROUND(u.owed, 2) AS owed FROM unpaid u
        WHERE ROUND(u.owed, 2) > 0{invoiceCondition}
        """;

    /// <summary>The command for one of the SQL texts above on <paramref name="asOf"/>, with the bucket boundaries.</summary>
    public static DbCommand Command(DbConnection connection, string sql, AccountScope scope, DateOnly asOf)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        Add(cmd, "asOf", asOf);
        if (sql.Contains("@d30", StringComparison.Ordinal))
        {
            Add(cmd, "d30", asOf.AddDays(-30));
            Add(cmd, "d60", asOf.AddDays(-60));
            Add(cmd, "d90", asOf.AddDays(-90));
        }
        scope.AddParameters(cmd);
        return cmd;
    }

    public static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    /// <summary>Money as the engine gives it (numeric on PostgreSQL, REAL on SQLite) to the fen.</summary>
    public static decimal Money(DbDataReader reader, int i) =>
        reader.IsDBNull(i) ? 0m : Math.Round(Convert.ToDecimal(reader.GetValue(i), CultureInfo.InvariantCulture), 2, MidpointRounding.AwayFromZero);

    /// <summary>A date as the engine gives it (date on PostgreSQL, ISO text on SQLite).</summary>
    public static DateOnly? Date(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetValue(i) switch
    {
        DateOnly d => d,
        DateTime t => DateOnly.FromDateTime(t),
        string s => DateOnly.ParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture),
        var other => DateOnly.Parse(Convert.ToString(other, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
    };

    /// <summary>The open amount on <paramref name="asOf"/> of each invoice of these accounts still owed (invoices fully paid are absent).</summary>
    public static async Task<Dictionary<long, decimal>> OwedOfAsync(AppDb db, AccountScope scope, DateOnly asOf, CancellationToken ct)
    {
        var result = new Dictionary<long, decimal>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = Command(db.Database.GetDbConnection(), OwedSql(scope), scope, asOf);
            cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) result[reader.GetInt64(0)] = Money(reader, 3);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return result;
    }
}
