using KeyAccounts.Data;
using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Imports;

/// <summary>
/// What a feature contributes to the import pipeline: its columns, the roles that may write what it imports, and its row rules
/// (<see cref="RunAsync"/>: check the rows the pipeline hands over, in batches, and write the good ones through the session).
/// The pipeline does the rest: the file, the header, unreadable cells, the dry run, all or nothing, the report and the audit.
/// </summary>
public sealed record ImportKind(ImportSchema Schema, IReadOnlyList<string> Roles, Func<ImportStream, ImportSession, CancellationToken, Task> RunAsync)
{
    public string Name => Schema.Kind;

    public bool AllowedFor(CurrentUser user) => Roles.Any(user.IsInRole);
}

/// <summary>The import kinds by their name in the URL, as the features registered them (<see cref="ImportsApi.AddKeyAccountsImports"/>).</summary>
public sealed class ImportKinds(IEnumerable<ImportKind> kinds)
{
    private readonly Dictionary<string, ImportKind> byName = kinds.ToDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, ImportKind> All => byName;

    public IEnumerable<string> Names => byName.Keys;

    public ImportKind this[string name] => byName[name];

    public bool TryGet(string name, out ImportKind kind) => byName.TryGetValue(name, out kind!);

    public IEnumerable<ImportKind> AllowedFor(CurrentUser user) => byName.Values.Where(k => k.AllowedFor(user));
}

/// <summary>Settings of the imports (section <c>Imports</c>).</summary>
public sealed class ImportLimits
{
    /// <summary>The largest file accepted, in bytes (<c>Imports:MaxUploadBytes</c>); a larger upload is answered 413.</summary>
    public long MaxUploadBytes { get; set; } = 256L * 1024 * 1024;
}
