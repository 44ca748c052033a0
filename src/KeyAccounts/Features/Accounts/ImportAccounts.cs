using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Archives;
using KeyAccounts.Features.Imports;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// Accounts from a file, upserted by code with the rules of <see cref="CreateAccount"/> and <see cref="UpdateAccount"/>:
/// field validation, 查重 against the database and within the file, parents in the database or the file, owners,
/// and edit rights. Existing data is read set-based in chunks; rows are written in bulk with their audit and ownership history.
/// </summary>
public static class ImportAccounts
{
    public static readonly ImportSchema Schema = new("accounts",
        ["code", "name", "type", "industry", "province", "city", "creditCode", "parentCode", "ownerUserName"],
        ["code", "name", "type"]);

    // Each chunk is one array parameter (json_each on SQLite, = ANY on PostgreSQL; see DataSetup), not thousands of scalar ones.
    private const int Chunk = 5000;
    private const string Reason = "Imported";

    private sealed class Row(ImportRow source)
    {
        public ImportRow Source { get; } = source;
        public int Line => Source.Line;
        public string? Code => Source["code"];
        public Existing? Existing { get; set; }
        public AccountFields? Fields { get; set; }
        public string? CreditCode { get; set; }
        public string? NormalizedName { get; set; }
        public string? ParentCode { get; set; }
        public Row? ParentRow { get; set; }
        public long? ParentId { get; set; }
        public string OwnerId { get; set; } = "";
        public Account? Result { get; set; }
    }

    private sealed record Existing(Account Account, string OwnerName, string? ParentCode);

    private sealed record Match(long Id, string Key, string OwnerName);

    /// <summary>Accounts are kept by sales: Finance keeps the books, not the archives, and engineers serve the accounts sales keep.</summary>
    public static readonly IReadOnlyList<string> Roles = [Organisation.Roles.Admin, Organisation.Roles.Leader, Organisation.Roles.Manager, Organisation.Roles.Rep];

    public static ImportKind Kind => new(Schema, Roles, RunAsync);

    public static async Task RunAsync(ImportStream file, ImportSession session, CancellationToken ct)
    {
        var errors = session.Errors;
        var db = session.Db;
        var user = session.User;
        errors.KeepLinesFrom(0);
        if (file.ToTable(errors) is not { } table) return;

        var rows = table.Rows.Select(r => new Row(r)).ToList();
        var codes = rows.Select(r => r.Code).OfType<string>().Distinct().ToList();

        var existing = new Dictionary<string, Existing>();
        foreach (var chunk in codes.Chunk(Chunk))
            foreach (var e in await db.Accounts.AsNoTracking().Where(a => chunk.Contains(a.Code))
                         .Select(a => new { Account = a, OwnerName = a.Owner!.DisplayName, ParentCode = a.Parent!.Code }).ToListAsync(ct))
                existing[e.Account.Code] = new Existing(e.Account, e.OwnerName, e.ParentCode);
        var editable = new HashSet<long>();
        foreach (var chunk in existing.Values.Select(e => e.Account.Id).Chunk(Chunk))
            editable.UnionWith(await db.Accounts.EditableBy(db, user).Where(a => chunk.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct));

        foreach (var row in rows)
        {
            row.Existing = row.Code is { } code ? existing.GetValueOrDefault(code) : null;
            Validate(row, table, errors);
        }

        var creditCodes = await MatchesAsync(rows.Select(r => r.CreditCode), chunk =>
            db.Accounts.Where(a => a.CreditCode != null && chunk.Contains(a.CreditCode)).Select(a => new Match(a.Id, a.CreditCode!, a.Owner!.DisplayName)), ct);
        var names = await MatchesAsync(rows.Select(r => r.NormalizedName), chunk =>
            db.Accounts.Where(a => chunk.Contains(a.NormalizedName)).Select(a => new Match(a.Id, a.NormalizedName, a.Owner!.DisplayName)), ct);
        var owners = await OwnersAsync(db, rows.Select(r => r.Source["ownerUserName"]), ct);

        var firstByCode = new Dictionary<string, Row>();
        var firstByCreditCode = new Dictionary<string, Row>();
        var firstByName = new Dictionary<string, Row>();
        foreach (var row in rows)
        {
            var selfId = row.Existing?.Account.Id;
            if (row.Code is { } code)
            {
                if (firstByCode.TryGetValue(code, out var first)) errors.Add(row.Line, "code", $"The code {code} is already on line {first.Line} of this file.");
                else firstByCode[code] = row;
                if (row.Existing is { } e && !editable.Contains(e.Account.Id))
                    errors.Add(row.Line, "code", $"An account with the code {code} already exists (owner: {e.OwnerName}) and you may not change it.");
            }
            if (row.CreditCode is { } cc)
            {
                if (firstByCreditCode.TryGetValue(cc, out var first)) errors.Add(row.Line, "creditCode", $"Line {first.Line} of this file has the same credit code.");
                else firstByCreditCode[cc] = row;
                if (creditCodes.GetValueOrDefault(cc)?.FirstOrDefault(m => m.Id != selfId) is { } m)
                    errors.Add(row.Line, "creditCode", new DuplicateMatch("creditCode", m.OwnerName).Reason);
            }
            if (row.NormalizedName is { } name)
            {
                if (firstByName.TryGetValue(name, out var first)) errors.Add(row.Line, "name", $"Line {first.Line} of this file has the same name.");
                else firstByName[name] = row;
                if (names.GetValueOrDefault(name)?.FirstOrDefault(m => m.Id != selfId) is { } m)
                    errors.Add(row.Line, "name", new DuplicateMatch("name", m.OwnerName).Reason);
            }
            CheckOwner(row, owners, user, errors);
        }

        if (table.Has("parentCode")) await ResolveParentsAsync(rows, firstByCode, db, user, errors, ct);

        if (!session.Check()) return;
        var accepted = rows.Where(r => !errors.IsRejected(r.Line)).ToList();
        await WriteAsync(accepted, table, session, ct);
    }

    private static void Validate(Row row, ImportTable table, ImportErrors errors)
    {
        var s = row.Source;
        var stored = row.Existing?.Account;
        string? Field(string column, string? current) => table.Has(column) ? s[column] : current;

        AccountType? type = null;
        if (s["type"] is { } typeText)
        {
            if (ParseType(typeText) is { } t) type = t;
            else errors.Add(row.Line, "type", $"type must be Customer or Dealer, not {typeText}.");
        }
        var fields = new AccountFields(row.Code, s["name"], type ?? (s["type"] is null ? null : AccountType.Customer),
            Field("industry", stored?.Industry), Field("province", stored?.Province), Field("city", stored?.City),
            Field("creditCode", stored?.CreditCode), stored?.ParentId);
        var v = AccountRules.Validate(fields);
        foreach (var (field, message) in v.Reasons) errors.Add(row.Line, field, message);
        row.Fields = fields with { Type = type };
        row.CreditCode = fields.CreditCode.Trimmed() is { } cc && CreditCode.IsValid(cc) ? CreditCode.Normalize(cc) : null;
        row.NormalizedName = fields.Name.Trimmed() is { } name && CompanyName.Normalize(name) is { Length: > 0 } key ? key : null;
        row.ParentCode = Field("parentCode", row.Existing?.ParentCode);
    }

    private static AccountType? ParseType(string text) => text.Trim() switch
    {
        "客户" => AccountType.Customer,
        "经销商" => AccountType.Dealer,
        var t when Enum.TryParse<AccountType>(t, ignoreCase: true, out var type) && Enum.IsDefined(type) && !char.IsDigit(t[0]) => type,
        _ => null,
    };

    private static void CheckOwner(Row row, IReadOnlyDictionary<string, (string Id, string DisplayName)> owners, CurrentUser user, ImportErrors errors)
    {
        var current = row.Existing?.Account.OwnerId ?? user.Id;
        row.OwnerId = current;
        if (row.Source["ownerUserName"] is not { } userName) return;
        if (!owners.TryGetValue(userName.ToUpperInvariant(), out var owner))
        {
            errors.Add(row.Line, "ownerUserName", $"There is no active user {userName}.");
            return;
        }
        if (owner.Id != current && !user.IsManagerOrAbove)
        {
            errors.Add(row.Line, "ownerUserName", $"Only managers, leaders and administrators assign accounts to someone else.");
            return;
        }
        row.OwnerId = owner.Id;
    }

    /// <summary>
    /// A parent is an account earlier or later in the file, or one in the database the importer can see. A row whose
    /// parent row is refused is refused too, unless that parent already exists and is visible.
    /// </summary>
    private static async Task ResolveParentsAsync(List<Row> rows, Dictionary<string, Row> firstByCode, AppDb db, CurrentUser user, ImportErrors errors, CancellationToken ct)
    {
        var parentCodes = rows.Select(r => r.ParentCode).OfType<string>().Distinct().ToList();
        var visible = new Dictionary<string, (long Id, string? ParentCode)>();
        foreach (var chunk in parentCodes.Chunk(Chunk))
            foreach (var p in await db.Accounts.VisibleTo(db, user).Where(a => chunk.Contains(a.Code))
                         .Select(a => new { a.Id, a.Code, ParentCode = a.Parent!.Code }).ToListAsync(ct))
                visible[p.Code] = (p.Id, p.ParentCode);

        foreach (var row in rows)
        {
            if (row.ParentCode is not { } parent) continue;
            if (parent == row.Code) errors.Add(row.Line, "parentCode", $"An account cannot be its own parent.");
            else if (firstByCode.TryGetValue(parent, out var parentRow)) row.ParentRow = parentRow;
            else if (visible.TryGetValue(parent, out var p)) row.ParentId = p.Id;
            else errors.Add(row.Line, "parentCode", $"There is no account {parent}.");
        }

        // Loops can run through the file and the database alike: the file's parent wins for accounts it names.
        var storedParents = visible.ToDictionary(v => v.Key, v => v.Value.ParentCode);
        foreach (var row in rows.Where(r => r.Code is not null && r.ParentCode is not null && r.ParentCode != r.Code))
        {
            var current = row.ParentCode;
            for (var depth = 0; current is not null && depth < 64; depth++)
            {
                if (current == row.Code)
                {
                    errors.Add(row.Line, "parentCode", $"An account cannot be inside its own group.");
                    break;
                }
                if (firstByCode.TryGetValue(current, out var r)) current = r.ParentCode;
                else if (storedParents.TryGetValue(current, out var stored)) current = stored;
                else
                {
                    var code = current;
                    current = await db.Accounts.Where(a => a.Code == code).Select(a => a.Parent!.Code).FirstOrDefaultAsync(ct);
                    storedParents[code] = current;
                }
            }
        }

        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var row in rows)
            {
                if (row.ParentRow is not { } parentRow || errors.IsRejected(row.Line) || !errors.IsRejected(parentRow.Line)) continue;
                row.ParentRow = null;
                if (visible.TryGetValue(parentRow.Code!, out var p)) row.ParentId = p.Id;
                else
                {
                    errors.Add(row.Line, "parentCode", $"The parent account {parentRow.Code} on line {parentRow.Line} is not imported.");
                    changed = true;
                }
            }
        }
    }

    private static async Task<Dictionary<string, List<Match>>> MatchesAsync(IEnumerable<string?> keys, Func<string[], IQueryable<Match>> query, CancellationToken ct)
    {
        var found = new Dictionary<string, List<Match>>();
        foreach (var chunk in keys.OfType<string>().Distinct().Chunk(Chunk))
            foreach (var m in await query(chunk).ToListAsync(ct))
            {
                if (!found.TryGetValue(m.Key, out var list)) found[m.Key] = list = [];
                list.Add(m);
            }
        return found;
    }

    /// <summary>Active users by normalised user name.</summary>
    internal static async Task<Dictionary<string, (string Id, string DisplayName)>> OwnersAsync(AppDb db, IEnumerable<string?> userNames, CancellationToken ct)
    {
        var owners = new Dictionary<string, (string, string)>();
        foreach (var chunk in userNames.OfType<string>().Select(n => n.ToUpperInvariant()).Distinct().Chunk(Chunk))
            foreach (var u in await db.Users.Where(u => u.IsActive && chunk.Contains(u.NormalizedUserName!))
                         .Select(u => new { u.Id, u.NormalizedUserName, u.DisplayName }).ToListAsync(ct))
                owners[u.NormalizedUserName!] = (u.Id, u.DisplayName);
        return owners;
    }

    private static async Task WriteAsync(List<Row> accepted, ImportTable table, ImportSession session, CancellationToken ct)
    {
        var db = session.Db;
        var user = session.User;
        var now = session.Now;
        var audit = session.Audit<Account>();
        var ownership = new List<OwnershipChange>();
        var created = accepted.Where(r => r.Existing is null).ToList();
        var writer = session.Writer;
        var accounts = new BulkTable<Account>(db, nameof(Account.Id), nameof(Account.Code), nameof(Account.Name), nameof(Account.NormalizedName),
            nameof(Account.NameInitials), nameof(Account.Type), nameof(Account.Industry), nameof(Account.Province), nameof(Account.City),
            nameof(Account.CreditCode), nameof(Account.ParentId), nameof(Account.OwnerId), nameof(Account.DepartmentId), nameof(Account.Tier),
            nameof(Account.Status), nameof(Account.ArchiveScore), nameof(Account.CreatedAt), nameof(Account.UpdatedAt), nameof(Account.Version));

        var ids = await writer.ReserveIdsAsync(accounts, created.Count, ct);
        for (var i = 0; i < created.Count; i++)
            created[i].Result = new Account { Id = ids[i], Code = created[i].Code!, Name = "", OwnerId = created[i].OwnerId, CreatedAt = now, UpdatedAt = now };

        var departments = await AccountDepartments.OfOwnersAsync(db, accepted.Select(r => r.OwnerId), ct);
        var updated = new List<Account>();
        var rescore = new List<long>();
        foreach (var row in accepted)
        {
            var parentId = row.ParentRow is { } parentRow ? parentRow.Result?.Id ?? parentRow.Existing!.Account.Id
                : row.ParentId ?? (table.Has("parentCode") ? null : row.Existing?.Account.ParentId);
            var fields = row.Fields! with { ParentId = parentId };
            if (row.Result is { } account)
            {
                AccountRules.Apply(account, fields);
                account.DepartmentId = departments.GetValueOrDefault(account.OwnerId);
                account.ArchiveScore = ImportArchiveScores.ForBasics(account);
                audit.Created(account);
                ownership.Add(new OwnershipChange { AccountId = account.Id, ToUserId = account.OwnerId, Reason = Reason, ChangedAt = now, ChangedById = user.Id });
                continue;
            }
            var before = row.Existing!.Account;
            var after = Copy(before);
            AccountRules.Apply(after, fields);
            after.OwnerId = row.OwnerId;
            after.DepartmentId = departments.GetValueOrDefault(after.OwnerId);
            if (!audit.Updated(before, after)) continue;
            after.UpdatedAt = now;
            after.Version = before.Version + 1;
            updated.Add(after);
            if (after.OwnerId != before.OwnerId)
                ownership.Add(new OwnershipChange { AccountId = after.Id, FromUserId = before.OwnerId, ToUserId = after.OwnerId, Reason = Reason, ChangedAt = now, ChangedById = user.Id });
            if ((after.Industry is null) != (before.Industry is null) || (after.Province is null) != (before.Province is null) || (after.CreditCode is null) != (before.CreditCode is null))
                rescore.Add(after.Id);
        }

        await writer.InsertAsync(accounts, ParentsFirst(created), ct);
        var changes = new BulkTable<Account>(db, nameof(Account.Name), nameof(Account.NormalizedName), nameof(Account.NameInitials), nameof(Account.Type),
            nameof(Account.Industry), nameof(Account.Province), nameof(Account.City), nameof(Account.CreditCode), nameof(Account.ParentId),
            nameof(Account.OwnerId), nameof(Account.DepartmentId), nameof(Account.UpdatedAt), nameof(Account.Version));
        if (await writer.UpdateAsync(changes, updated, nameof(Account.Version), ct) != updated.Count)
            throw new ImportConflictException("Some of these accounts were changed by someone else during the import. Nothing was imported; run it again.");
        await writer.InsertAsync(new BulkTable<OwnershipChange>(db, nameof(OwnershipChange.AccountId), nameof(OwnershipChange.FromUserId),
            nameof(OwnershipChange.ToUserId), nameof(OwnershipChange.Reason), nameof(OwnershipChange.ChangedAt), nameof(OwnershipChange.ChangedById)), ownership, ct);
        await session.WriteAuditAsync(audit, ct);
        await ImportArchiveScores.RefreshAsync(db, writer, rescore, ct);
    }

    /// <summary>New accounts in an order where every parent is written before its children (the foreign key is checked row by row).</summary>
    private static List<Account> ParentsFirst(List<Row> created)
    {
        var depth = new Dictionary<Row, int>();
        int Depth(Row r)
        {
            if (depth.TryGetValue(r, out var d)) return d;
            depth[r] = 0;
            return depth[r] = r.ParentRow is { Existing: null } p ? Depth(p) + 1 : 0;
        }
        return created.OrderBy(Depth).Select(r => r.Result!).ToList();
    }

    private static Account Copy(Account a) => new()
    {
        Id = a.Id,
        Code = a.Code,
        Name = a.Name,
        NormalizedName = a.NormalizedName,
        NameInitials = a.NameInitials,
        Type = a.Type,
        Industry = a.Industry,
        Province = a.Province,
        City = a.City,
        CreditCode = a.CreditCode,
        ParentId = a.ParentId,
        OwnerId = a.OwnerId,
        DepartmentId = a.DepartmentId,
        Tier = a.Tier,
        Status = a.Status,
        ArchiveScore = a.ArchiveScore,
        CreatedAt = a.CreatedAt,
        UpdatedAt = a.UpdatedAt,
        Version = a.Version,
    };
}

