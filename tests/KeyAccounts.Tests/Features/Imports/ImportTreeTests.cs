using KeyAccounts.Features.Imports;

namespace KeyAccounts.Tests.Features.Imports;

/// <summary>Rows that wait for a parent later in the file: how many may wait, and what becomes of them.</summary>
public sealed class ImportTreeTests
{
    private static readonly ImportSchema Schema = new("tree", ["code", "parentCode"], ["code"]);

    private sealed class Node(int line, string code, string? parent) : ImportNode<string>(new ImportRow(line, [code, parent], Schema))
    {
        public string Code { get; } = code;
    }

    private static readonly ImportTreeReasons<Node> Reasons = new("parentCode",
        _ => $"own parent", _ => $"loop", n => $"no parent {n.ParentKey}", (n, line) => $"parent on line {line} not imported");

    private static List<Node> Batch(ImportTree<Node, string> tree, params Node[] nodes)
    {
        foreach (var n in nodes)
        {
            n.ParentKey = n.Source["parentCode"];
            tree.Register(n, n.Code);
        }
        return [.. nodes];
    }

    private static Task<string?> NoStoredParent(string code) => Task.FromResult<string?>(null);

    [Fact]
    public async Task Resolve_MoreRowsWaitingThanTheLimit_TheRowsBeyondItRefusedOnTheirLineAndColumn()
    {
        var errors = new ImportErrors();
        errors.KeepLinesFrom(0);
        var tree = new ImportTree<Node, string>(errors, Reasons, maxDeferred: 2);

        var first = await tree.ResolveAsync(Batch(tree, new Node(2, "A", "X"), new Node(3, "B", "Y"), new Node(4, "C", "Z"), new Node(5, "D", null)), false, NoStoredParent);
        tree.Done(first);
        errors.KeepLinesFrom(6);
        var second = await tree.ResolveAsync(Batch(tree, new Node(6, "X", null), new Node(7, "Y", "A")), true, NoStoredParent);
        tree.Done(second);

        Assert.Equal(["C", "D"], first.Select(n => n.Code));
        var tooMany = Assert.Single(errors.All, e => e.Line == 4);
        Assert.Equal("parentCode", tooMany.Column);
        Assert.Contains("More than 2 rows wait for a parent", tooMany.Message);
        // A waits for X (line 6); B for Y (line 7), which waits for A: all come with the second batch, parents first.
        Assert.Equal(["X", "A", "Y", "B"], second.Select(n => n.Code));
        Assert.Equal(second[0].Entry, second[1].ParentEntry);
        Assert.Equal(1, errors.Rejected);
    }

    [Fact]
    public async Task Resolve_ParentThatNeverComes_RefusedAtTheEndOfTheFileOnItsLine()
    {
        var errors = new ImportErrors();
        errors.KeepLinesFrom(0);
        var tree = new ImportTree<Node, string>(errors, Reasons);

        var first = await tree.ResolveAsync(Batch(tree, new Node(2, "A", "NOPE"), new Node(3, "B", "A")), false, NoStoredParent);
        tree.Done(first);
        errors.KeepLinesFrom(int.MaxValue);
        var last = await tree.ResolveAsync([], true, NoStoredParent);
        tree.Done(last);

        Assert.Empty(first);
        Assert.Equal([(2, "no parent NOPE"), (3, "parent on line 2 not imported")], errors.All.Select(e => (e.Line, e.Message)));
        Assert.Equal(2, errors.Rejected);
    }
}
