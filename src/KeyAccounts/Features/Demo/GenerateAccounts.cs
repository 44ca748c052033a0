using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Contacts;
using KeyAccounts.Features.Organisation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Demo;

/// <summary>
/// Synthetic accounts and contacts at scale, for benchmarks (<c>generate --accounts N</c>). Rows bypass the change
/// tracker and the audit log: the engine's bulk load (<see cref="SqlDialect.BulkLoadAsync"/>).
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
        string[] tables = ["Accounts", "Contacts"];
        // A big load is far faster into bare tables: secondary indexes (and the name-search triggers) are rebuilt once at the end.
        var deferred = accounts >= DeferIndexesFrom ? await db.Engine.DropSecondaryIndexesAsync(connection, tables, ct) : [];
        try
        {
            await db.Engine.BulkLoadAsync(db, AccountTable(db), AccountRows(plan), AccountsPerTransaction, n => progress?.WriteLine($"  {n:N0} accounts"), ct);
            if (plan.ContactsPerAccount > 0)
                await db.Engine.BulkLoadAsync(db, ContactTable(db), ContactRows(plan), AccountsPerTransaction * plan.ContactsPerAccount, null, ct);
        }
        finally
        {
            if (deferred.Count > 0)
            {
                progress?.WriteLine($"  rebuilding {deferred.Count} indexes");
                await db.Engine.RebuildIndexesAsync(connection, deferred, largeMemory: true, CancellationToken.None);
            }
            // Fresh planner statistics: whether the list walks the name index or an owner's rows depends on them.
            await db.Engine.AnalyzeAsync(connection, tables, ct);
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

    private static BulkTable<Account> AccountTable(AppDb db) => new(db, nameof(Account.Id), nameof(Account.Code), nameof(Account.Name),
        nameof(Account.NormalizedName), nameof(Account.NameInitials), nameof(Account.NamePinyin), nameof(Account.NameCore), nameof(Account.Type),
        nameof(Account.Industry), nameof(Account.Province), nameof(Account.City), nameof(Account.CreditCode), nameof(Account.OwnerId), nameof(Account.DepartmentId), nameof(Account.Tier),
        nameof(Account.Status), nameof(Account.ArchiveScore), nameof(Account.CreatedAt), nameof(Account.UpdatedAt), nameof(Account.Version));

    private static IEnumerable<Account> AccountRows(Plan plan)
    {
        for (var n = 0; n < plan.Accounts; n++)
        {
            var (x, _) = Row(plan, n);
            var account = new Account
            {
                Id = x.Id,
                Code = x.Code,
                Name = x.Name,
                NormalizedName = x.NormalizedName,
                NameInitials = x.NameInitials,
                Type = x.Type,
                Industry = x.Industry,
                Province = x.Province,
                City = x.City,
                CreditCode = x.CreditCode,
                OwnerId = x.OwnerId,
                DepartmentId = x.DepartmentId,
                Tier = x.Tier,
                Status = x.Status,
                ArchiveScore = x.ArchiveScore,
                CreatedAt = x.CreatedAt,
                UpdatedAt = x.UpdatedAt,
            };
            AccountSpellings.Set(account);
            yield return account;
        }
    }

    private static BulkTable<Contact> ContactTable(AppDb db) => new(db, nameof(Contact.Id), nameof(Contact.AccountId), nameof(Contact.Name),
        nameof(Contact.Title), nameof(Contact.Department), nameof(Contact.Role), nameof(Contact.Attitude), nameof(Contact.Influence),
        nameof(Contact.ReportsToId), nameof(Contact.Birthday), nameof(Contact.BirthdayMonthDay), nameof(Contact.Phone), nameof(Contact.Email),
        nameof(Contact.WeChat), nameof(Contact.IsActive), nameof(Contact.UpdatedAt), nameof(Contact.Version));

    private static IEnumerable<Contact> ContactRows(Plan plan)
    {
        for (var n = 0; n < plan.Accounts; n++)
            foreach (var x in Row(plan, n).Contacts)
                yield return new Contact
                {
                    Id = x.Id,
                    AccountId = x.AccountId,
                    Name = x.Name,
                    Title = x.Title,
                    Department = x.Department,
                    Role = x.Role,
                    Attitude = x.Attitude,
                    Influence = x.Influence,
                    ReportsToId = x.ReportsToId,
                    Birthday = x.Birthday,
                    Phone = x.Phone,
                    Email = x.Email,
                    WeChat = x.WeChat,
                    IsActive = x.IsActive,
                    UpdatedAt = x.UpdatedAt,
                };
    }
}
