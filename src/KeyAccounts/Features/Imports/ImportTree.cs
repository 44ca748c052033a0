namespace KeyAccounts.Features.Imports;

/// <summary>
/// The rows of an import in batches of <see cref="ImportBatches.Size"/>: each batch is checked and written before the next is read,
/// so memory holds one batch (and what the kind keeps of the rows before it) whatever the file's length.
/// </summary>
public static class ImportBatches
{
    public const int Size = 5000;

    /// <summary>
    /// Hands the rows over batch by batch, the last one (possibly empty) marked; the errors remember the rejected lines of the
    /// current batch (and the lines held, <see cref="ImportErrors.Hold"/>).
    /// </summary>
    public static async Task ForEachAsync(ImportStream file, ImportErrors errors, Func<List<ImportRow>, bool, Task> batch, int size = Size)
    {
        errors.KeepLinesFrom(0);
        using var rows = file.Rows.GetEnumerator();
        var more = true;
        while (more)
        {
            var next = new List<ImportRow>(size);
            while (next.Count < size && (more = rows.MoveNext())) next.Add(rows.Current);
            errors.KeepLinesFrom(next.Count > 0 ? next[0].Line : int.MaxValue);
            await batch(next, !more);
        }
    }
}

/// <summary>Where the row that first had a key of the file stands.</summary>
public enum ImportKeyState { Checking, Deferred, Accepted, Refused }

/// <summary>
/// What an import keeps of the first row of one key of the file (an account's code, a person of an account) once its batch is done:
/// its line, the parent it names and the id of the record it writes. It is what duplicates, parents and loops are checked against.
/// </summary>
public sealed class ImportKey<TKey>(int line) where TKey : class
{
    public int Line { get; } = line;

    /// <summary>The parent the row names (null: none, or the file has no such column).</summary>
    public TKey? Parent { get; set; }

    /// <summary>The record the row writes: the stored one's id, or the id reserved for it once written; 0 for a new record before.</summary>
    public long Id { get; set; }

    /// <summary>The record existed before the import (the row updates it).</summary>
    public bool Stored { get; set; }

    public ImportKeyState State { get; set; }
}

/// <summary>A row of an import that names a parent by its key (<see cref="ImportTree{TNode, TKey}"/>); the kind fills in the keys.</summary>
public abstract class ImportNode<TKey>(ImportRow source) where TKey : class
{
    public ImportRow Source { get; } = source;
    public int Line => Source.Line;

    /// <summary>The row's own key (null when the row has none, e.g. a person of an unknown account).</summary>
    public TKey? Key { get; set; }

    /// <summary>The kept state of the row's key when it is the first row with that key.</summary>
    public ImportKey<TKey>? Entry { get; set; }

    /// <summary>The parent the row names (null: none).</summary>
    public TKey? ParentKey { get; set; }

    /// <summary>The stored record the parent key names, for when the file's row of that key is refused.</summary>
    public long? StoredParent { get; set; }

    /// <summary>Resolved: the parent is the file's row of this key.</summary>
    public ImportKey<TKey>? ParentEntry { get; set; }

    /// <summary>Resolved: the parent is this stored record.</summary>
    public long? ParentId { get; set; }

    /// <summary>The id of the parent to write: the file's row's record, or the stored one.</summary>
    public long? WrittenParentId => ParentEntry?.Id ?? ParentId;

    internal bool Waiting { get; set; }
}

/// <summary>The reasons a kind gives when a row's parent cannot be taken, in its own words (and resources).</summary>
public sealed record ImportTreeReasons<TNode>(
    string Column,
    Func<TNode, FormattableString> OwnParent,
    Func<TNode, FormattableString> Loop,
    Func<TNode, FormattableString> NoParent,
    Func<TNode, int, FormattableString> ParentNotImported);

/// <summary>
/// Rows that name a parent by key (an account's parent account, a person's superior), checked batch by batch: the parent is a row
/// earlier in the file, one in the same batch, a stored record, or a row later in the file. A row whose parent is not known yet is
/// deferred until its parent's row comes (or the file ends) and written with that batch; at most <see cref="MaxDeferred"/> rows
/// wait at once. Only a small entry per key of the file is kept (<see cref="ImportKey{TKey}"/>): duplicates, parents and loops
/// are checked against it.
/// </summary>
public sealed class ImportTree<TNode, TKey>(ImportErrors errors, ImportTreeReasons<TNode> reasons, int maxDeferred = ImportTree.MaxDeferred)
    where TNode : ImportNode<TKey> where TKey : class
{
    private readonly Dictionary<TKey, ImportKey<TKey>> keys = [];
    private readonly List<TNode> deferred = [];

    /// <summary>The rows waiting for their parent's row.</summary>
    public IReadOnlyList<TNode> Deferred => deferred;

    public ImportKey<TKey>? Find(TKey key) => keys.GetValueOrDefault(key);

    /// <summary>
    /// Gives the row its key: the first row with a key gets its entry and null back; a later one the first's entry (a duplicate).
    /// </summary>
    public ImportKey<TKey>? Register(TNode node, TKey key)
    {
        node.Key = key;
        if (keys.TryGetValue(key, out var first)) return first;
        node.Entry = keys[key] = new ImportKey<TKey>(node.Line);
        return null;
    }

    /// <summary>Whether the row has been refused (its own errors, or its parent's).</summary>
    public bool Rejected(TNode node) => errors.IsRejected(node.Line);

    private bool Rejected(ImportKey<TKey> entry) => entry.State switch
    {
        ImportKeyState.Refused => true,
        ImportKeyState.Accepted => false,
        _ => errors.IsRejected(entry.Line),
    };

    /// <summary>
    /// Resolves the parents of a batch and of the deferred rows whose parent came, checks loops, refuses rows whose parent row is
    /// refused, and returns the rows to write now (accepted or not) in an order where every parent comes before its children.
    /// <paramref name="storedParent"/> names a stored record's parent, for the loop check through records the file does not name.
    /// </summary>
    public async Task<List<TNode>> ResolveAsync(List<TNode> batch, bool last, Func<TKey, Task<TKey?>> storedParent)
    {
        foreach (var node in batch)
            if (node.Entry is { } own)
                own.Parent = node.ParentKey;
        var candidates = deferred.Concat(batch).ToList();
        foreach (var node in candidates)
        {
            (node.ParentEntry, node.ParentId, node.Waiting) = (null, null, false);
            if (node.ParentKey is not { } parent) continue;
            if (node.Key is not null && EqualityComparer<TKey>.Default.Equals(node.Key, parent))
                errors.Add(node.Line, reasons.Column, reasons.OwnParent(node));
            else if (keys.TryGetValue(parent, out var entry)) node.ParentEntry = entry;
            else if (node.StoredParent is { } id) node.ParentId = id;
            else if (last) errors.Add(node.Line, reasons.Column, reasons.NoParent(node));
            else node.Waiting = true;
        }

        // A row whose parent's row waits (in this round or from before) waits with it; the rows deferred before come first, and
        // the limit refuses the rows that would wait after them.
        var byEntry = candidates.Where(n => n.Entry is not null).ToDictionary(n => n.Entry!);
        var ready = Up(candidates, byEntry, true, (node, above) => above && !node.Waiting);
        var round = new List<TNode>(candidates.Count);
        deferred.Clear();
        foreach (var node in candidates)
        {
            if (ready[node]) round.Add(node);
            else if (deferred.Count < maxDeferred)
            {
                deferred.Add(node);
                errors.Hold(node.Line);
            }
            else
            {
                (node.ParentEntry, node.Waiting) = (null, false);
                errors.Add(node.Line, reasons.Column,
                    $"More than {maxDeferred} rows wait for a parent that comes later in the file: put parents before their children, or split the file.");
                round.Add(node);
            }
        }
        foreach (var node in round)
            if (node.Entry is { } e) e.State = ImportKeyState.Checking;
        foreach (var node in deferred)
            if (node.Entry is { } e) e.State = ImportKeyState.Deferred;

        // Loops run through the file and the stored records alike: a row of the file that is not refused says where its key goes.
        foreach (var node in round)
        {
            if (node.Key is null || (node.ParentEntry is null && node.ParentId is null)) continue;
            var current = node.ParentKey;
            for (var depth = 0; current is not null && depth < 64; depth++)
            {
                if (EqualityComparer<TKey>.Default.Equals(current, node.Key))
                {
                    errors.Add(node.Line, reasons.Column, reasons.Loop(node));
                    break;
                }
                current = keys.TryGetValue(current, out var e) && e.State != ImportKeyState.Refused ? e.Parent : await storedParent(current);
            }
        }

        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var node in round)
            {
                if (node.ParentEntry is not { } parent || Rejected(node) || !Rejected(parent)) continue;
                node.ParentEntry = null;
                if (node.StoredParent is { } id) node.ParentId = id;
                else
                {
                    errors.Add(node.Line, reasons.Column, reasons.ParentNotImported(node, parent.Line));
                    changed = true;
                }
            }
        }
        return ParentsFirst(round);
    }

    /// <summary>Marks a round done once written (or not): its keys are accepted or refused, and its deferred lines released.</summary>
    public void Done(IEnumerable<TNode> round)
    {
        foreach (var node in round)
        {
            if (node.Entry is { } e) e.State = Rejected(node) ? ImportKeyState.Refused : ImportKeyState.Accepted;
            errors.Release(node.Line);
        }
    }

    /// <summary>Every parent of the round before its children (a new record's key is checked row by row as it is inserted).</summary>
    private static List<TNode> ParentsFirst(List<TNode> round)
    {
        var depth = Up(round, round.Where(n => n.Entry is not null).ToDictionary(n => n.Entry!), 0, (_, above) => above + 1);
        return round.OrderBy(n => depth[n]).ToList();
    }

    /// <summary>
    /// A value per row computed from its parent's row down (<paramref name="top"/> above a row whose parent is not among them, and
    /// where parents go round in a loop), without recursion: chains of parents in a file may be as long as the file.
    /// </summary>
    private static Dictionary<TNode, T> Up<T>(List<TNode> nodes, Dictionary<ImportKey<TKey>, TNode> byEntry, T top, Func<TNode, T, T> below)
    {
        var values = new Dictionary<TNode, T>(nodes.Count);
        var path = new List<TNode>();
        var onPath = new HashSet<TNode>();
        foreach (var start in nodes)
        {
            var value = top;
            for (var node = start; ;)
            {
                if (values.TryGetValue(node, out var known))
                {
                    value = known;
                    break;
                }
                if (!onPath.Add(node)) break;
                path.Add(node);
                if (node.ParentEntry is not { } e || !byEntry.TryGetValue(e, out var parent)) break;
                node = parent;
            }
            for (var i = path.Count - 1; i >= 0; i--) values[path[i]] = value = below(path[i], value);
            path.Clear();
            onPath.Clear();
        }
        return values;
    }
}

public static class ImportTree
{
    /// <summary>The most rows that may wait at once for a parent later in the file.</summary>
    public const int MaxDeferred = 50_000;
}
