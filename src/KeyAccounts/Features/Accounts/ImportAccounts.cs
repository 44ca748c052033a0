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

    // Each lookup is one array parameter (json_each on SQLite, = ANY on PostgreSQL; see DataSetup), not thousands of scalar ones.
    private const int Chunk = ImportBatches.Size;
    private const string Reason = "Imported";

    private sealed class Row(ImportRow source) : ImportNode<string>(source)
    {
        public string? Code => Source["code"];
        public Existing? Existing { get; set; }
        public AccountFields? Fields { get; set; }
        public string? CreditCode { get; set; }
        public string? NormalizedName { get; set; }
        public string? NameCore { get; set; }
        public string OwnerId { get; set; } = "";
        public Account? Result { get; set; }
    }

    private sealed record Existing(Account Account, string OwnerName);

    private sealed record Match(long Id, string Key, string OwnerName);

    private static readonly ImportTreeReasons<Row> ParentReasons = new("parentCode",
        _ => $"An account cannot be its own parent.",
        _ => $"An account cannot be inside its own group.",
        r => $"There is no account {r.ParentKey}.",
        (r, line) => $"The parent account {r.ParentKey} on line {line} is not imported.");

    /// <summary>Accounts are kept by sales: Finance keeps the books, not the archives, and engineers serve the accounts sales keep.</summary>
    public static readonly IReadOnlyList<string> Roles = [Organisation.Roles.Admin, Organisation.Roles.Leader, Organisation.Roles.Manager, Organisation.Roles.Rep];

    public static ImportKind Kind => new(Schema, Roles, RunAsync);

    /// <summary>
    /// The file in batches: each is checked against the database and the rows before it, and written before the next is read. Kept
    /// of the rows before: per code its line, parent and id; per credit code and name the line and the code's entry.
    /// </summary>
    public static async Task RunAsync(ImportStream file, ImportSession session, CancellationToken ct)
    {
        var errors = session.Errors;
        var codes = new ImportTree<Row, string>(errors, ParentReasons);
        var creditCodes = new Dictionary<string, (int Line, ImportKey<string>? Code)>();
        var names = new Dictionary<string, (int Line, ImportKey<string>? Code)>();
        var cores = new Dictionary<string, int>();
        await ImportBatches.ForEachAsync(file, errors, async (batch, last) =>
        {
            var rows = batch.Select(r => new Row(r)).ToList();
            var storedParents = new Dictionary<string, string?>();
            await CheckAsync(rows, file, session, codes, creditCodes, names, storedParents, ct);
            await WarnNearDuplicatesAsync(rows, session, cores, ct);
            var round = await codes.ResolveAsync(rows, last, StoredParents(session.Db, storedParents, ct));
            if (session.Check()) await WriteAsync(round.Where(r => !codes.Rejected(r)).ToList(), file, session, ct);
            codes.Done(round);
        });
    }

    private static async Task CheckAsync(List<Row> rows, ImportStream file, ImportSession session, ImportTree<Row, string> codes,
        Dictionary<string, (int Line, ImportKey<string>? Code)> creditCodes, Dictionary<string, (int Line, ImportKey<string>? Code)> names,
        Dictionary<string, string?> storedParents, CancellationToken ct)
    {
        var errors = session.Errors;
        var db = session.Db;
        var user = session.User;
        var existing = new Dictionary<string, Existing>();
        foreach (var chunk in rows.Select(r => r.Code).OfType<string>().Distinct().Chunk(Chunk))
            foreach (var e in await db.Accounts.AsNoTracking().Where(a => chunk.Contains(a.Code))
                         .Select(a => new { Account = a, OwnerName = a.Owner!.DisplayName }).ToListAsync(ct))
                existing[e.Account.Code] = new Existing(e.Account, e.OwnerName);
        var editable = new HashSet<long>();
        foreach (var chunk in existing.Values.Select(e => e.Account.Id).Chunk(Chunk))
            editable.UnionWith(await db.Accounts.EditableBy(db, user).Where(a => chunk.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct));

        foreach (var row in rows)
        {
            // An account an earlier batch created is the file's own, not one that was there.
            row.Existing = row.Code is { } code && existing.GetValueOrDefault(code) is { } e && codes.Find(code) is not { Stored: false } ? e : null;
            Validate(row, file, errors);
        }

        var creditMatches = await MatchesAsync(rows.Select(r => r.CreditCode), chunk =>
            db.Accounts.Where(a => a.CreditCode != null && chunk.Contains(a.CreditCode)).Select(a => new Match(a.Id, a.CreditCode!, a.Owner!.DisplayName)), ct);
        var nameMatches = await MatchesAsync(rows.Select(r => r.NormalizedName), chunk =>
            db.Accounts.Where(a => chunk.Contains(a.NormalizedName)).Select(a => new Match(a.Id, a.NormalizedName, a.Owner!.DisplayName)), ct);
        var owners = await OwnersAsync(db, rows.Select(r => r.Source["ownerUserName"]), ct);
        var parents = new Dictionary<string, long>();
        if (file.Has("parentCode"))
            foreach (var chunk in rows.Select(r => r.ParentKey).OfType<string>().Distinct().Chunk(Chunk))
                foreach (var p in await db.Accounts.VisibleTo(db, user).Where(a => chunk.Contains(a.Code))
                             .Select(a => new { a.Id, a.Code, ParentCode = a.Parent!.Code }).ToListAsync(ct))
                {
                    parents[p.Code] = p.Id;
                    storedParents[p.Code] = p.ParentCode;
                }

        foreach (var row in rows)
        {
            var selfId = row.Existing?.Account.Id;
            if (row.Code is { } code)
            {
                if (codes.Register(row, code) is { } first) errors.Add(row.Line, "code", $"The code {code} is already on line {first.Line} of this file.");
                else if (row.Existing is { } stored) (row.Entry!.Id, row.Entry.Stored) = (stored.Account.Id, true);
                if (row.Existing is { } e && !editable.Contains(e.Account.Id))
                    errors.Add(row.Line, "code", $"An account with the code {code} already exists (owner: {e.OwnerName}) and you may not change it.");
            }
            // A match with the account an earlier row of the file writes is that row's, reported as a duplicate in the file.
            if (row.CreditCode is { } cc)
            {
                if (creditCodes.TryGetValue(cc, out var first)) errors.Add(row.Line, "creditCode", $"Line {first.Line} of this file has the same credit code.");
                else creditCodes[cc] = (row.Line, row.Entry);
                var mine = creditCodes[cc].Code?.Id;
                if (creditMatches.GetValueOrDefault(cc)?.FirstOrDefault(m => m.Id != selfId && m.Id != mine) is { } m)
                    errors.Add(row.Line, "creditCode", new DuplicateMatch("creditCode", m.OwnerName).Reason);
            }
            if (row.NormalizedName is { } name)
            {
                if (names.TryGetValue(name, out var first)) errors.Add(row.Line, "name", $"Line {first.Line} of this file has the same name.");
                else names[name] = (row.Line, row.Entry);
                var mine = names[name].Code?.Id;
                if (nameMatches.GetValueOrDefault(name)?.FirstOrDefault(m => m.Id != selfId && m.Id != mine) is { } m)
                    errors.Add(row.Line, "name", new DuplicateMatch("name", m.OwnerName).Reason);
            }
            CheckOwner(row, owners, session.User, errors);
            if (row.ParentKey is { } parent && parents.TryGetValue(parent, out var parentId)) row.StoredParent = parentId;
        }
    }

    /// <summary>
    /// A new account whose name is like a stored one's or an earlier line's apart from bracketed parts (<see cref="CompanyName.Core"/>)
    /// is imported with a warning on its name: a file of branch companies (恒力石化（大连）, 恒力石化（苏州）) is the usual case,
    /// and the import cannot stop to ask. Rows refused for another reason, or updates of stored accounts, are not warned about.
    /// </summary>
    private static async Task WarnNearDuplicatesAsync(List<Row> rows, ImportSession session, Dictionary<string, int> cores, CancellationToken ct)
    {
        var errors = session.Errors;
        var candidates = rows.Where(r => r.Existing is null && r.NameCore is not null && !errors.IsRejected(r.Line)).ToList();
        var stored = await MatchesAsync(candidates.Select(r => r.NameCore), chunk =>
            session.Db.Accounts.Where(a => chunk.Contains(a.NameCore!)).Select(a => new Match(a.Id, a.NameCore!, a.Owner!.DisplayName)), ct);
        foreach (var row in candidates)
        {
            var core = row.NameCore!;
            if (stored.GetValueOrDefault(core)?.FirstOrDefault(m => m.Id != row.Entry?.Id) is { } m)
                errors.Warn(row.Line, "name", $"An account with a similar name already exists (owner: {m.OwnerName}); this one is imported beside it.");
            else if (cores.TryGetValue(core, out var line))
                errors.Warn(row.Line, "name", $"Line {line} of this file has a similar name; both are imported.");
            cores.TryAdd(core, row.Line);
        }
    }

    /// <summary>A stored account's parent code, for the loop check: those of the batch's parents, and others read once per batch and code.</summary>
    private static Func<string, Task<string?>> StoredParents(AppDb db, Dictionary<string, string?> known, CancellationToken ct) =>
        async code =>
        {
            if (!known.TryGetValue(code, out var parent))
                known[code] = parent = await db.Accounts.Where(a => a.Code == code).Select(a => a.Parent!.Code).FirstOrDefaultAsync(ct);
            return parent;
        };

    private static void Validate(Row row, ImportStream file, ImportErrors errors)
    {
        var s = row.Source;
        var stored = row.Existing?.Account;
        string? Field(string column, string? current) => file.Has(column) ? s[column] : current;

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
        row.NameCore = row.NormalizedName is null ? null : CompanyName.Core(fields.Name!.Trim());
        row.ParentKey = file.Has("parentCode") ? s["parentCode"] : null;
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

    private static async Task WriteAsync(List<Row> accepted, ImportStream file, ImportSession session, CancellationToken ct)
    {
        var db = session.Db;
        var user = session.User;
        var now = session.Now;
        var audit = session.Audit<Account>();
        var ownership = new List<OwnershipChange>();
        var created = accepted.Where(r => r.Existing is null).ToList();
        var writer = session.Writer;
        var accounts = new BulkTable<Account>(db, nameof(Account.Id), nameof(Account.Code), nameof(Account.Name), nameof(Account.NormalizedName),
            nameof(Account.NameInitials), nameof(Account.NamePinyin), nameof(Account.NameCore), nameof(Account.Type), nameof(Account.Industry),
            nameof(Account.Province), nameof(Account.City), nameof(Account.CreditCode), nameof(Account.ParentId), nameof(Account.OwnerId),
            nameof(Account.DepartmentId), nameof(Account.Tier),
            nameof(Account.Status), nameof(Account.ArchiveScore), nameof(Account.CreatedAt), nameof(Account.UpdatedAt), nameof(Account.Version));

        var ids = await writer.ReserveIdsAsync(accounts, created.Count, ct);
        for (var i = 0; i < created.Count; i++)
        {
            created[i].Result = new Account { Id = ids[i], Code = created[i].Code!, Name = "", OwnerId = created[i].OwnerId, CreatedAt = now, UpdatedAt = now };
            created[i].Entry!.Id = ids[i];
        }

        var departments = await AccountDepartments.OfOwnersAsync(db, accepted.Select(r => r.OwnerId), ct);
        var updated = new List<Account>();
        var rescore = new List<long>();
        foreach (var row in accepted)
        {
            var parentId = file.Has("parentCode") ? row.WrittenParentId : row.Existing?.Account.ParentId;
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

        // The rows come parents first (ImportTree), so a new account's parent is inserted before it.
        await writer.InsertAsync(accounts, created.Select(r => r.Result!), ct);
        var changes = new BulkTable<Account>(db, nameof(Account.Name), nameof(Account.NormalizedName), nameof(Account.NameInitials), nameof(Account.NamePinyin),
            nameof(Account.NameCore), nameof(Account.Type), nameof(Account.Industry), nameof(Account.Province), nameof(Account.City), nameof(Account.CreditCode), nameof(Account.ParentId),
            nameof(Account.OwnerId), nameof(Account.DepartmentId), nameof(Account.UpdatedAt), nameof(Account.Version));
        if (await writer.UpdateAsync(changes, updated, nameof(Account.Version), ct) != updated.Count)
            throw new ImportConflictException("Some of these accounts were changed by someone else during the import. Nothing was imported; run it again.");
        await writer.InsertAsync(new BulkTable<OwnershipChange>(db, nameof(OwnershipChange.AccountId), nameof(OwnershipChange.FromUserId),
            nameof(OwnershipChange.ToUserId), nameof(OwnershipChange.Reason), nameof(OwnershipChange.ChangedAt), nameof(OwnershipChange.ChangedById)), ownership, ct);
        await session.WriteAuditAsync(audit, ct);
        await ImportArchiveScores.RefreshAsync(db, writer, rescore, ct);
    }

    private static Account Copy(Account a) => new()
    {
        Id = a.Id,
        Code = a.Code,
        Name = a.Name,
        NormalizedName = a.NormalizedName,
        NameInitials = a.NameInitials,
        NamePinyin = a.NamePinyin,
        NameCore = a.NameCore,
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

