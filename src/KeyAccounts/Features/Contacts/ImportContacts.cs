using System.Globalization;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Archives;
using KeyAccounts.Features.Imports;
using KeyAccounts.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Contacts;

/// <summary>
/// Key people from a file, upserted by account code + name. The account must be one the importer may edit;
/// reportsTo names another person of the same account, in the file or already stored.
/// </summary>
public static class ImportContacts
{
    public static readonly ImportSchema Schema = new("contacts",
        ["accountCode", "name", "title", "department", "role", "attitude", "influence", "reportsTo", "birthday", "phone", "email", "wechat", "preferences"],
        ["accountCode", "name"]);

    // Each lookup is one array parameter (json_each on SQLite, = ANY on PostgreSQL; see DataSetup), not thousands of scalar ones.
    private const int Chunk = ImportBatches.Size;

    private static readonly Dictionary<string, BuyingRole> RoleNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["决策者"] = BuyingRole.DecisionMaker,
        ["影响者"] = BuyingRole.Influencer,
        ["使用者"] = BuyingRole.User,
        ["把关者"] = BuyingRole.Gatekeeper,
        ["支持者"] = BuyingRole.Champion,
        ["内线"] = BuyingRole.Champion,
        ["其他"] = BuyingRole.Other,
    };

    private static readonly Dictionary<string, Attitude> AttitudeNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["支持"] = Attitude.Supporter,
        ["中立"] = Attitude.Neutral,
        ["反对"] = Attitude.Opponent,
        ["未知"] = Attitude.Unknown,
    };

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyyMMdd", "yyyy-MM-ddTHH:mm:ss"];

    /// <summary>A person by account and name: the key a row upserts, and the one its reportsTo names.</summary>
    private sealed record Person(long AccountId, string Name);

    private sealed class Row(ImportRow source) : ImportNode<Person>(source)
    {
        public string? Name => Source["name"];
        public long? AccountId { get; set; }
        public Contact? Existing { get; set; }
        public Contact? Result { get; set; }
    }

    private static readonly ImportTreeReasons<Row> BossReasons = new("reportsTo",
        _ => $"A person cannot report to themselves.",
        _ => $"These reporting lines go round in a circle.",
        r => $"There is no {r.ParentKey!.Name} among the people of account {r.Source["accountCode"]}.",
        (r, line) => $"{r.ParentKey!.Name} on line {line} is not imported.");

    /// <summary>Key people are kept by those who keep the accounts, and by the service engineers who meet them; not by Finance.</summary>
    public static readonly IReadOnlyList<string> Roles =
        [Organisation.Roles.Admin, Organisation.Roles.Leader, Organisation.Roles.Manager, Organisation.Roles.Rep, Organisation.Roles.Engineer];

    public static ImportKind Kind => new(Schema, Roles, RunAsync);

    /// <summary>
    /// The file in batches: each is checked against the stored people of its accounts and the rows before it, and written before
    /// the next is read. Kept of the rows before: per person their line, superior and id.
    /// </summary>
    public static async Task RunAsync(ImportStream file, ImportSession session, CancellationToken ct)
    {
        var errors = session.Errors;
        var people = new ImportTree<Row, Person>(errors, BossReasons);
        var today = DateOnly.FromDateTime(session.Now);
        await ImportBatches.ForEachAsync(file, errors, async (batch, last) =>
        {
            var rows = batch.Select(r => new Row(r)).ToList();
            var db = session.Db;
            var user = session.User;
            var accounts = new Dictionary<string, long>();
            foreach (var chunk in rows.Select(r => r.Source["accountCode"]).OfType<string>().Distinct().Chunk(Chunk))
                foreach (var a in await db.Accounts.VisibleTo(db, user).Where(a => chunk.Contains(a.Code)).Select(a => new { a.Id, a.Code }).ToListAsync(ct))
                    accounts[a.Code] = a.Id;
            var editable = new HashSet<long>();
            var stored = new Dictionary<long, List<Contact>>();
            // The people of the deferred rows' accounts too: their reporting lines are checked with this batch.
            foreach (var chunk in accounts.Values.Concat(people.Deferred.Select(r => r.AccountId!.Value)).Distinct().Chunk(Chunk))
            {
                editable.UnionWith(await db.Accounts.EditableBy(db, user).Where(a => chunk.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct));
                foreach (var c in await db.Contacts.AsNoTracking().Where(c => chunk.Contains(c.AccountId)).OrderBy(c => c.Id).ToListAsync(ct))
                {
                    if (!stored.TryGetValue(c.AccountId, out var list)) stored[c.AccountId] = list = [];
                    list.Add(c);
                }
            }
            var byId = stored.Values.SelectMany(l => l).ToDictionary(c => c.Id);
            // Someone who left keeps their record; a person of the same name who is still there is the better match.
            Contact? StoredNamed(Person p) =>
                stored.GetValueOrDefault(p.AccountId)?.Where(c => c.Name == p.Name).OrderByDescending(c => c.IsActive).FirstOrDefault();

            foreach (var row in rows)
            {
                if (row.Source["accountCode"] is { } code)
                {
                    if (!accounts.TryGetValue(code, out var accountId)) errors.Add(row.Line, "accountCode", $"There is no account {code}.");
                    else if (!editable.Contains(accountId)) errors.Add(row.Line, "accountCode", $"You may not change the people of account {code}.");
                    else row.AccountId = accountId;
                }
                if (row.AccountId is { } id && row.Name is { } name)
                {
                    var key = new Person(id, name);
                    // A person an earlier batch created is the file's own, not one who was there.
                    row.Existing = people.Find(key) is { Stored: false } ? null : StoredNamed(key);
                    if (people.Register(row, key) is { } first) errors.Add(row.Line, "name", $"{name} is already on line {first.Line} of this file.");
                    else if (row.Existing is { } e) (row.Entry!.Id, row.Entry.Stored) = (e.Id, true);
                }
                row.Result = Build(row, file, errors, today);
                if (file.Has("reportsTo") && row.AccountId is { } account && row.Source["reportsTo"] is { } boss)
                {
                    row.ParentKey = new Person(account, boss);
                    row.StoredParent = StoredNamed(row.ParentKey)?.Id;
                }
            }

            // Up the stored lines by name: a person named in the file reports where the file says (ImportTree), anyone else where the database says.
            var round = await people.ResolveAsync(rows, last, p => Task.FromResult(
                StoredNamed(p)?.ReportsToId is { } up && byId.TryGetValue(up, out var upper) ? new Person(p.AccountId, upper.Name) : null));
            if (session.Check()) await WriteAsync(round.Where(r => !people.Rejected(r)).ToList(), file, session, ct);
            people.Done(round);
        });
    }

    private static Contact Build(Row row, ImportStream table, ImportErrors errors, DateOnly today)
    {
        var s = row.Source;
        var before = row.Existing;
        string? Text(string column, string? current) => table.Has(column) ? s[column] : current;

        var v = new Validation();
        var title = Text("title", before?.Title);
        var department = Text("department", before?.Department);
        var phone = Text("phone", before?.Phone);
        var email = Text("email", before?.Email);
        var wechat = Text("wechat", before?.WeChat);
        var preferences = Text("preferences", before?.Preferences);

        var role = before?.Role ?? BuyingRole.Other;
        if (table.Has("role"))
        {
            if (s["role"] is not { } text) role = BuyingRole.Other;
            else if (RoleNames.TryGetValue(text, out var r) || (Enum.TryParse(text, true, out r) && Enum.IsDefined(r) && !char.IsDigit(text[0]))) role = r;
            else v.Add("role", $"role must be one of {string.Join(", ", Enum.GetNames<BuyingRole>())}, not {text}.");
        }
        var attitude = before?.Attitude ?? Attitude.Unknown;
        if (table.Has("attitude"))
        {
            if (s["attitude"] is not { } text) attitude = Attitude.Unknown;
            else if (AttitudeNames.TryGetValue(text, out var a) || (Enum.TryParse(text, true, out a) && Enum.IsDefined(a) && !char.IsDigit(text[0]))) attitude = a;
            else v.Add("attitude", $"attitude must be one of {string.Join(", ", Enum.GetNames<Attitude>())}, not {text}.");
        }
        var influence = before?.Influence ?? 3;
        if (table.Has("influence") && s["influence"] is { } influenceText)
        {
            if (int.TryParse(influenceText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i is >= 1 and <= 5) influence = i;
            else v.Add("influence", $"influence must be a whole number from 1 to 5, not {influenceText}.");
        }
        var birthday = before?.Birthday;
        if (table.Has("birthday"))
        {
            if (s["birthday"] is not { } text) birthday = null;
            else if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) birthday = DateOnly.FromDateTime(d);
            else v.Add("birthday", $"birthday must be a date such as 1975-08-16, not {text}.");
        }
        ContactRules.ValidateFields(new ContactRequest(row.Name, title, department, role, attitude, influence, null, birthday, phone, email, wechat, preferences), today, v);
        foreach (var (field, message) in v.Reasons) errors.Add(row.Line, field, message);

        return new Contact
        {
            Id = before?.Id ?? 0,
            AccountId = row.AccountId ?? 0,
            Name = row.Name ?? "",
            Title = title,
            Department = department,
            Role = role,
            Attitude = attitude,
            Influence = influence,
            ReportsToId = before?.ReportsToId,
            Birthday = birthday,
            Phone = phone,
            Email = email,
            WeChat = wechat,
            Preferences = preferences,
            IsActive = before?.IsActive ?? true,
            UpdatedAt = before?.UpdatedAt ?? default,
            Version = before?.Version ?? 0,
        };
    }

    private static async Task WriteAsync(List<Row> accepted, ImportStream file, ImportSession session, CancellationToken ct)
    {
        var db = session.Db;
        var now = session.Now;
        var audit = session.Audit<Contact>();
        var created = accepted.Where(r => r.Existing is null).ToList();
        var writer = session.Writer;
        var contacts = new BulkTable<Contact>(db, nameof(Contact.Id), nameof(Contact.AccountId), nameof(Contact.Name), nameof(Contact.Title),
            nameof(Contact.Department), nameof(Contact.Role), nameof(Contact.Attitude), nameof(Contact.Influence), nameof(Contact.ReportsToId),
            nameof(Contact.Birthday), nameof(Contact.BirthdayMonthDay), nameof(Contact.Phone), nameof(Contact.Email), nameof(Contact.WeChat), nameof(Contact.Preferences),
            nameof(Contact.IsActive), nameof(Contact.UpdatedAt), nameof(Contact.Version));
        var ids = await writer.ReserveIdsAsync(contacts, created.Count, ct);
        for (var i = 0; i < created.Count; i++) created[i].Result!.Id = created[i].Entry!.Id = ids[i];

        var updated = new List<Contact>();
        var inserted = new List<Contact>();
        foreach (var row in accepted)
        {
            var contact = row.Result!;
            if (file.Has("reportsTo")) contact.ReportsToId = row.WrittenParentId;
            if (row.Existing is null)
            {
                contact.UpdatedAt = now;
                audit.Created(contact);
                inserted.Add(contact);
            }
            else if (audit.Updated(row.Existing, contact))
            {
                contact.UpdatedAt = now;
                contact.Version = row.Existing.Version + 1;
                updated.Add(contact);
            }
        }

        // The rows come superiors first (ImportTree), so a new person's superior is inserted before them.
        await writer.InsertAsync(contacts, inserted, ct);
        var changes = new BulkTable<Contact>(db, nameof(Contact.Title), nameof(Contact.Department), nameof(Contact.Role), nameof(Contact.Attitude),
            nameof(Contact.Influence), nameof(Contact.ReportsToId), nameof(Contact.Birthday), nameof(Contact.BirthdayMonthDay), nameof(Contact.Phone), nameof(Contact.Email),
            nameof(Contact.WeChat), nameof(Contact.Preferences), nameof(Contact.UpdatedAt), nameof(Contact.Version));
        if (await writer.UpdateAsync(changes, updated, nameof(Contact.Version), ct) != updated.Count)
            throw new ImportConflictException("Some of these people were changed by someone else during the import. Nothing was imported; run it again.");
        await session.WriteAuditAsync(audit, ct);
        await ImportArchiveScores.RefreshAsync(db, writer, inserted.Concat(updated).Select(c => c.AccountId), ct);
    }
}
