using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Contacts;
using KeyAccounts.Features.Organisation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace KeyAccounts.Features.Demo;

/// <summary>
/// Synthetic accounts and contacts at scale, for benchmarks (<c>generate --accounts N</c>). Rows bypass the change
/// tracker and the audit log: batched prepared INSERTs in a few transactions on SQLite, binary COPY on PostgreSQL.
/// The sales force it needs (20 departments of 10 reps under four regions) is created once and reused.
/// </summary>
public static class GenerateAccounts
{
    public const string Description =
        "Generate synthetic accounts and contacts at scale, for benchmarks: codes G0000001…, 20 departments of 10 reps " +
        "(gen-rep-001…gen-rep-200, managers gen-manager-01…20, password " + Password + "). Runs again append more. " +
        "Generated rows are not audited and have no ownership history or archive sections.";

    public const string Password = "Generate.Passw0rd!";
    public const string CodePrefix = "G";
    public const int DepartmentCount = 20;
    public const int RepsPerDepartment = 10;
    private const int Seed = 20_261_122;
    private const int AccountsPerTransaction = 100_000;
    private const int DeferIndexesFrom = 50_000;

    public sealed record Result(int Accounts, int Contacts, TimeSpan Elapsed);

    public static async Task<int> RunAsync(IServiceProvider services, int accounts, int contactsPerAccount, TextWriter output, CancellationToken ct)
    {
        if (accounts < 1 || contactsPerAccount is < 0 or > 20)
        {
            output.WriteLine("generate: --accounts must be at least 1 and --contacts-per-account between 0 and 20.");
            return 2;
        }
        var db = services.GetRequiredService<AppDb>();
        var result = await GenerateAsync(db, accounts, contactsPerAccount, output, ct);
        output.WriteLine($"Generated {result.Accounts:N0} accounts and {result.Contacts:N0} contacts in {result.Elapsed.TotalSeconds:N1} s " +
                         $"({(result.Accounts + result.Contacts) / Math.Max(0.001, result.Elapsed.TotalSeconds):N0} rows/s).");
        output.WriteLine($"Sign in as gen-manager-01 … gen-manager-{DepartmentCount:D2} or gen-rep-001 … gen-rep-{DepartmentCount * RepsPerDepartment:D3}, password {Password}.");
        return 0;
    }

    public static async Task<Result> GenerateAsync(AppDb db, int accounts, int contactsPerAccount, TextWriter? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var reps = await EnsureSalesForceAsync(db, ct);
        var existing = await db.Accounts.CountAsync(a => a.Code.StartsWith(CodePrefix) && a.Code.Length == 8, ct);
        var plan = new Plan(
            FirstSerial: existing + 1,
            FirstAccountId: (await db.Accounts.MaxAsync(a => (long?)a.Id, ct) ?? 0) + 1,
            FirstContactId: (await db.Contacts.MaxAsync(c => (long?)c.Id, ct) ?? 0) + 1,
            Accounts: accounts, ContactsPerAccount: contactsPerAccount, Reps: reps,
            Now: DateTime.SpecifyKind(db.Clock.GetUtcNow().UtcDateTime, DateTimeKind.Utc));

        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        // A big load is far faster into bare tables: secondary indexes (and the name-search triggers) are rebuilt once at the end.
        var deferred = accounts >= DeferIndexesFrom ? await DropSecondaryIndexesAsync(db, connection, ct) : [];
        try
        {
            if (db.IsPostgres) await CopyIntoPostgresAsync((NpgsqlConnection)connection, plan, progress, ct);
            else await InsertIntoSqliteAsync((SqliteConnection)connection, plan, progress, ct);
        }
        finally
        {
            if (deferred.Count > 0)
            {
                progress?.WriteLine($"  rebuilding {deferred.Count} indexes");
                await RestoreIndexesAsync(db, connection, deferred, CancellationToken.None);
            }
            await Analyze(db, connection, ct);
            await db.Database.CloseConnectionAsync();
        }
        return new Result(accounts, accounts * contactsPerAccount, clock.Elapsed);
    }

    private static async Task<IReadOnlyList<Rep>> EnsureSalesForceAsync(AppDb db, CancellationToken ct)
    {
        var reps = await db.Users.Where(u => u.UserName!.StartsWith("gen-rep-")).OrderBy(u => u.UserName).Select(u => new Rep(u.Id, u.DepartmentId)).ToListAsync(ct);
        if (reps.Count > 0) return reps;

        var company = await db.Departments.OrderBy(d => d.Id).FirstAsync(d => d.ParentId == null, ct);
        string[] regionNames = ["华东", "华北", "华南", "西南"];
        var regions = regionNames.Select(r => new Department { Name = $"{r}大区（生成）", ParentId = company.Id }).ToList();
        db.Departments.AddRange(regions);
        await db.SaveChangesAsync(ct);
        foreach (var r in regions) r.Path = $"{company.Path}{r.Id}/";
        var teams = Enumerable.Range(1, DepartmentCount)
            .Select(i => new Department { Name = $"{regionNames[(i - 1) % 4]}销售{(i - 1) / 4 + 1}部（生成）", ParentId = regions[(i - 1) % 4].Id })
            .ToList();
        db.Departments.AddRange(teams);
        await db.SaveChangesAsync(ct);
        foreach (var t in teams) t.Path = $"{regions.Single(r => r.Id == t.ParentId).Path}{t.Id}/";

        var roles = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, ct);
        var hash = new PasswordHasher<AppUser>().HashPassword(null!, Password);
        var random = new Random(Seed);
        AppUser NewUser(string userName, int departmentId, string role)
        {
            var user = new AppUser
            {
                UserName = userName,
                NormalizedUserName = userName.ToUpperInvariant(),
                PasswordHash = hash,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                ConcurrencyStamp = Guid.NewGuid().ToString(),
                LockoutEnabled = true,
                DisplayName = CompanyWords.Surnames[random.Next(CompanyWords.Surnames.Length)] + CompanyWords.GivenNames[random.Next(CompanyWords.GivenNames.Length)],
                DepartmentId = departmentId,
            };
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roles[role] });
            return user;
        }
        for (var t = 0; t < teams.Count; t++)
        {
            var manager = NewUser($"gen-manager-{t + 1:D2}", teams[t].Id, Roles.Manager);
            teams[t].HeadUserId = manager.Id;
            for (var r = 0; r < RepsPerDepartment; r++)
                reps.Add(new Rep(NewUser($"gen-rep-{t * RepsPerDepartment + r + 1:D3}", teams[t].Id, Roles.Rep).Id, teams[t].Id));
        }
        await db.SaveChangesAsync(ct);
        return reps;
    }

    private sealed record Plan(int FirstSerial, long FirstAccountId, long FirstContactId, int Accounts, int ContactsPerAccount,
        IReadOnlyList<Rep> Reps, DateTime Now);

    /// <summary>A generated rep and the department their accounts belong to (<see cref="AccountDepartments"/>).</summary>
    private sealed record Rep(string Id, int? DepartmentId);

    private sealed record AccountRow(long Id, string Code, string Name, string NormalizedName, string NameInitials, AccountType Type,
        string Industry, string Province, string City, string? CreditCode, string OwnerId, int? DepartmentId, Tier Tier, AccountStatus Status,
        int ArchiveScore, DateTime CreatedAt, DateTime UpdatedAt);

    private sealed record ContactRow(long Id, long AccountId, string Name, string Title, string Department, BuyingRole Role,
        Attitude Attitude, int Influence, long? ReportsToId, DateOnly? Birthday, string? Phone, string? Email, string? WeChat,
        bool IsActive, DateTime UpdatedAt);

    /// <summary>Account <paramref name="n"/> (0-based in this run) and its contacts; a random stream per account, so every pass sees the same rows.</summary>
    private static (AccountRow Account, ContactRow[] Contacts) Row(Plan plan, int n)
    {
        var serial = plan.FirstSerial + n;
        var random = new Random(HashCode.Combine(Seed, serial));
        var place = CompanyWords.Weighted(random, CompanyWords.Places, p => p.Weight);
        var (city, division) = place.Cities[random.Next(place.Cities.Length)];
        var type = random.Next(10) < 7 ? AccountType.Customer : AccountType.Dealer;
        var terms = type == AccountType.Customer ? CompanyWords.ManufacturerTerms : CompanyWords.DealerTerms;
        var (term, industry) = terms[random.Next(terms.Length)];
        var brand = CompanyWords.BrandFirst[random.Next(CompanyWords.BrandFirst.Length)] + CompanyWords.BrandSecond[random.Next(CompanyWords.BrandSecond.Length)];
        var suffix = CompanyWords.Weighted(random, CompanyWords.Suffixes, s => s.Weight).Suffix;
        var name = city + brand + term + suffix;
        var tierRoll = random.Next(100);
        var tier = tierRoll < 5 ? Tier.Key : tierRoll < 20 ? Tier.Major : tierRoll < 60 ? Tier.Ordinary : Tier.Small;
        var statusRoll = random.Next(100);
        var status = statusRoll < 92 ? AccountStatus.Active : statusRoll < 98 ? AccountStatus.Dormant : AccountStatus.Closed;
        var created = plan.Now.AddMinutes(-random.Next(3 * 365 * 24 * 60));
        var updated = created.AddMinutes(random.Next((int)Math.Max(1, (plan.Now - created).TotalMinutes)));
        var creditCode = random.Next(10) < 8 ? CompanyWords.CreditCodeFor(division, 'G', serial) : null;
        var id = plan.FirstAccountId + n;

        var contacts = new ContactRow[plan.ContactsPerAccount];
        var firstContactId = plan.FirstContactId + (long)n * plan.ContactsPerAccount;
        var decisionMaker = false;
        var known = 0;
        for (var c = 0; c < contacts.Length; c++)
        {
            var (title, department) = c == 0 ? CompanyWords.Titles[0] : CompanyWords.Titles[1 + random.Next(CompanyWords.Titles.Length - 1)];
            var role = c == 0 ? BuyingRole.DecisionMaker : (BuyingRole)random.Next(1, 6);
            var attitude = (Attitude)random.Next(4);
            decisionMaker |= role == BuyingRole.DecisionMaker;
            if (attitude != Attitude.Unknown) known++;
            contacts[c] = new ContactRow(
                Id: firstContactId + c, AccountId: id,
                Name: CompanyWords.Surnames[random.Next(CompanyWords.Surnames.Length)] + CompanyWords.GivenNames[random.Next(CompanyWords.GivenNames.Length)],
                Title: title, Department: department, Role: role, Attitude: attitude,
                Influence: c == 0 ? 5 : 1 + random.Next(5),
                ReportsToId: c == 0 ? null : firstContactId,
                Birthday: random.Next(3) == 0 ? null : new DateOnly(1960 + random.Next(40), 1 + random.Next(12), 1 + random.Next(28)),
                Phone: "1" + (random.Next(30, 90)).ToString(CultureInfo.InvariantCulture) + random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture),
                Email: random.Next(2) == 0 ? $"c{firstContactId + c}@example.cn" : null,
                WeChat: random.Next(3) == 0 ? $"wx{firstContactId + c}" : null,
                IsActive: random.Next(20) != 0, UpdatedAt: updated);
        }
        var score = ArchiveCompleteness.Score(new ArchiveFacts(true, true, creditCode is not null, false, 0, 0, 0, false, 0, 0,
            contacts.Count(x => x.IsActive), decisionMaker, known)).Score;

        var owner = plan.Reps[serial % plan.Reps.Count];
        var account = new AccountRow(id, CodePrefix + serial.ToString("D7", CultureInfo.InvariantCulture), name, CompanyName.Normalize(name),
            PinyinInitials.Of(name), type, industry, place.Province, city, creditCode, owner.Id, owner.DepartmentId, tier, status, score, created, updated);
        return (account, contacts);
    }

    private static async Task InsertIntoSqliteAsync(SqliteConnection connection, Plan plan, TextWriter? progress, CancellationToken ct)
    {
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=OFF;";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        var insertAccount = connection.CreateCommand();
        insertAccount.CommandText = """
            INSERT INTO "Accounts" ("Id", "Code", "Name", "NormalizedName", "NameInitials", "Type", "Industry", "Province", "City", "CreditCode",
                "ParentId", "OwnerId", "DepartmentId", "Tier", "Status", "ArchiveScore", "CreatedAt", "UpdatedAt", "Version")
            VALUES ($id, $code, $name, $normalized, $initials, $type, $industry, $province, $city, $credit, NULL, $owner, $department, $tier, $status, $score, $created, $updated, 0)
            """;
        var a = Parameters(insertAccount, "$id", "$code", "$name", "$normalized", "$initials", "$type", "$industry", "$province", "$city", "$credit",
            "$owner", "$department", "$tier", "$status", "$score", "$created", "$updated");
        var insertContact = connection.CreateCommand();
        insertContact.CommandText = """
            INSERT INTO "Contacts" ("Id", "AccountId", "Name", "Title", "Department", "Role", "Attitude", "Influence", "ReportsToId", "Birthday",
                "BirthdayMonthDay", "Phone", "Email", "WeChat", "Preferences", "IsActive", "UpdatedAt", "Version")
            VALUES ($id, $account, $name, $title, $department, $role, $attitude, $influence, $reportsTo, $birthday, $monthDay, $phone, $email, $wechat, NULL, $active, $updated, 0)
            """;
        var c = Parameters(insertContact, "$id", "$account", "$name", "$title", "$department", "$role", "$attitude", "$influence", "$reportsTo",
            "$birthday", "$monthDay", "$phone", "$email", "$wechat", "$active", "$updated");

        SqliteTransaction? transaction = null;
        try
        {
            for (var n = 0; n < plan.Accounts; n++)
            {
                if (n % AccountsPerTransaction == 0)
                {
                    if (transaction is not null)
                    {
                        await transaction.CommitAsync(ct);
                        progress?.WriteLine($"  {n:N0} accounts");
                    }
                    transaction = connection.BeginTransaction();
                    insertAccount.Transaction = transaction;
                    insertContact.Transaction = transaction;
                    insertAccount.Prepare();
                    insertContact.Prepare();
                }
                ct.ThrowIfCancellationRequested();
                var (account, contacts) = Row(plan, n);
                Set(a, account.Id, account.Code, account.Name, account.NormalizedName, account.NameInitials, account.Type.ToString(), account.Industry,
                    account.Province, account.City, account.CreditCode, account.OwnerId, account.DepartmentId, account.Tier.ToString(), account.Status.ToString(), account.ArchiveScore,
                    SqliteTime(account.CreatedAt), SqliteTime(account.UpdatedAt));
                insertAccount.ExecuteNonQuery();
                foreach (var x in contacts)
                {
                    Set(c, x.Id, x.AccountId, x.Name, x.Title, x.Department, x.Role.ToString(), x.Attitude.ToString(), x.Influence, x.ReportsToId,
                        x.Birthday?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), MonthDay(x.Birthday), x.Phone, x.Email, x.WeChat, x.IsActive ? 1 : 0, SqliteTime(x.UpdatedAt));
                    insertContact.ExecuteNonQuery();
                }
            }
            if (transaction is not null) await transaction.CommitAsync(ct);
        }
        finally
        {
            if (transaction is not null) await transaction.DisposeAsync();
            await insertAccount.DisposeAsync();
            await insertContact.DisposeAsync();
        }
        await using var finish = connection.CreateCommand();
        finish.CommandText = "PRAGMA synchronous=NORMAL;";
        await finish.ExecuteNonQueryAsync(ct);
    }

    private static SqliteParameter[] Parameters(SqliteCommand command, params string[] names) =>
        names.Select(n => command.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();

    private static void Set(DbParameter[] parameters, params object?[] values)
    {
        for (var i = 0; i < parameters.Length; i++) parameters[i].Value = values[i] ?? DBNull.Value;
    }

    /// <summary>The text form EF Core's SQLite provider stores DateTime in.</summary>
    private static int? MonthDay(DateOnly? d) => d is { } x ? x.Month * 100 + x.Day : null;

    private static string SqliteTime(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static async Task CopyIntoPostgresAsync(NpgsqlConnection connection, Plan plan, TextWriter? progress, CancellationToken ct)
    {
        await using (var accounts = await connection.BeginBinaryImportAsync("""
            COPY "Accounts" ("Id", "Code", "Name", "NormalizedName", "NameInitials", "Type", "Industry", "Province", "City", "CreditCode",
                "OwnerId", "DepartmentId", "Tier", "Status", "ArchiveScore", "CreatedAt", "UpdatedAt", "Version") FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            for (var n = 0; n < plan.Accounts; n++)
            {
                if (n > 0 && n % AccountsPerTransaction == 0) progress?.WriteLine($"  {n:N0} accounts");
                var (x, _) = Row(plan, n);
                await accounts.StartRowAsync(ct);
                accounts.Write(x.Id, NpgsqlDbType.Bigint);
                accounts.Write(x.Code, NpgsqlDbType.Varchar);
                accounts.Write(x.Name, NpgsqlDbType.Varchar);
                accounts.Write(x.NormalizedName, NpgsqlDbType.Varchar);
                accounts.Write(x.NameInitials, NpgsqlDbType.Varchar);
                accounts.Write(x.Type.ToString(), NpgsqlDbType.Varchar);
                accounts.Write(x.Industry, NpgsqlDbType.Varchar);
                accounts.Write(x.Province, NpgsqlDbType.Varchar);
                accounts.Write(x.City, NpgsqlDbType.Varchar);
                if (x.CreditCode is null) accounts.WriteNull(); else accounts.Write(x.CreditCode, NpgsqlDbType.Varchar);
                accounts.Write(x.OwnerId, NpgsqlDbType.Text);
                if (x.DepartmentId is { } department) accounts.Write(department, NpgsqlDbType.Integer); else accounts.WriteNull();
                accounts.Write(x.Tier.ToString(), NpgsqlDbType.Varchar);
                accounts.Write(x.Status.ToString(), NpgsqlDbType.Varchar);
                accounts.Write(x.ArchiveScore, NpgsqlDbType.Integer);
                accounts.Write(x.CreatedAt, NpgsqlDbType.TimestampTz);
                accounts.Write(x.UpdatedAt, NpgsqlDbType.TimestampTz);
                accounts.Write(0, NpgsqlDbType.Integer);
            }
            await accounts.CompleteAsync(ct);
        }
        progress?.WriteLine($"  {plan.Accounts:N0} accounts copied; contacts next");
        if (plan.ContactsPerAccount > 0)
        {
            await using var contacts = await connection.BeginBinaryImportAsync("""
                COPY "Contacts" ("Id", "AccountId", "Name", "Title", "Department", "Role", "Attitude", "Influence", "ReportsToId", "Birthday",
                    "BirthdayMonthDay", "Phone", "Email", "WeChat", "IsActive", "UpdatedAt", "Version") FROM STDIN (FORMAT BINARY)
                """, ct);
            for (var n = 0; n < plan.Accounts; n++)
            {
                foreach (var x in Row(plan, n).Contacts)
                {
                    await contacts.StartRowAsync(ct);
                    contacts.Write(x.Id, NpgsqlDbType.Bigint);
                    contacts.Write(x.AccountId, NpgsqlDbType.Bigint);
                    contacts.Write(x.Name, NpgsqlDbType.Varchar);
                    contacts.Write(x.Title, NpgsqlDbType.Varchar);
                    contacts.Write(x.Department, NpgsqlDbType.Varchar);
                    contacts.Write(x.Role.ToString(), NpgsqlDbType.Varchar);
                    contacts.Write(x.Attitude.ToString(), NpgsqlDbType.Varchar);
                    contacts.Write(x.Influence, NpgsqlDbType.Integer);
                    if (x.ReportsToId is { } boss) contacts.Write(boss, NpgsqlDbType.Bigint); else contacts.WriteNull();
                    if (x.Birthday is { } birthday) contacts.Write(birthday, NpgsqlDbType.Date); else contacts.WriteNull();
                    if (MonthDay(x.Birthday) is { } monthDay) contacts.Write(monthDay, NpgsqlDbType.Integer); else contacts.WriteNull();
                    if (x.Phone is null) contacts.WriteNull(); else contacts.Write(x.Phone, NpgsqlDbType.Varchar);
                    if (x.Email is null) contacts.WriteNull(); else contacts.Write(x.Email, NpgsqlDbType.Varchar);
                    if (x.WeChat is null) contacts.WriteNull(); else contacts.Write(x.WeChat, NpgsqlDbType.Varchar);
                    contacts.Write(x.IsActive, NpgsqlDbType.Boolean);
                    contacts.Write(x.UpdatedAt, NpgsqlDbType.TimestampTz);
                    contacts.Write(0, NpgsqlDbType.Integer);
                }
            }
            await contacts.CompleteAsync(ct);
        }
        foreach (var sql in new[]
                 {
                     """SELECT setval(pg_get_serial_sequence('"Accounts"', 'Id'), (SELECT max("Id") FROM "Accounts"))""",
                     """SELECT setval(pg_get_serial_sequence('"Contacts"', 'Id'), GREATEST(1, (SELECT coalesce(max("Id"), 0) FROM "Contacts")))""",
                 })
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task<List<string>> DropSecondaryIndexesAsync(AppDb db, DbConnection connection, CancellationToken ct)
    {
        var definitions = new List<(string Name, string Kind, string Sql)>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = db.IsPostgres
                ? """SELECT indexname, 'INDEX', indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('Accounts', 'Contacts') AND indexname NOT LIKE 'PK\_%'"""
                : """SELECT name, upper(type), sql FROM sqlite_master WHERE tbl_name IN ('Accounts', 'Contacts') AND type IN ('index', 'trigger') AND sql IS NOT NULL""";
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) definitions.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        foreach (var (name, kind, _) in definitions)
            await ExecuteAsync(connection, $"DROP {kind} \"{name}\"", ct);
        return [.. definitions.OrderBy(d => d.Kind == "TRIGGER").Select(d => d.Sql)];
    }

    private static async Task RestoreIndexesAsync(AppDb db, DbConnection connection, List<string> definitions, CancellationToken ct)
    {
        await ExecuteAsync(connection, db.IsPostgres ? "SET maintenance_work_mem = '512MB'" : "PRAGMA cache_size=-524288", ct);
        foreach (var sql in definitions) await ExecuteAsync(connection, sql, ct);
        if (!db.IsPostgres && definitions.Any(d => d.Contains(AccountSearch.SqliteNameIndex, StringComparison.Ordinal)))
            await ExecuteAsync(connection, $"INSERT INTO \"{AccountSearch.SqliteNameIndex}\"(\"{AccountSearch.SqliteNameIndex}\") VALUES ('rebuild')", ct);
        if (!db.IsPostgres) await ExecuteAsync(connection, "PRAGMA cache_size=-65536", ct);
    }

    /// <summary>Fresh planner statistics: whether the list walks the name index or an owner's rows depends on them.</summary>
    private static async Task Analyze(AppDb db, DbConnection connection, CancellationToken ct)
    {
        if (db.IsPostgres)
        {
            // VACUUM refuses to run inside a batch, so each table goes on its own; it also sets the visibility map for index-only scans.
            await ExecuteAsync(connection, "VACUUM (ANALYZE) \"Accounts\"", ct);
            await ExecuteAsync(connection, "VACUUM (ANALYZE) \"Contacts\"", ct);
        }
        else await ExecuteAsync(connection, "ANALYZE;", ct);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }
}
