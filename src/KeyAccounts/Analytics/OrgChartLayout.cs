namespace KeyAccounts.Analytics;

/// <summary>A person in an org chart: who they are and whom they report to (null or unknown: a root).</summary>
public sealed record OrgChartNode(long Id, long? ParentId);

/// <summary>The centre of a node's box, and its depth (0 for roots).</summary>
public sealed record OrgChartPosition(double X, double Y, int Depth);

public sealed record OrgChartResult(IReadOnlyDictionary<long, OrgChartPosition> Positions, double Width, double Height);

/// <summary>
/// A top-down tree: roots side by side, each leaf in its own column, each parent centred over its children.
/// Because every subtree owns a contiguous band of columns, no two boxes overlap. Children keep the input order.
/// </summary>
public static class OrgChartLayout
{
    public static OrgChartResult Arrange(IReadOnlyList<OrgChartNode> nodes, double nodeWidth, double nodeHeight, double horizontalGap, double verticalGap)
    {
        var ids = nodes.Select(n => n.Id).ToHashSet();
        var children = new Dictionary<long, List<long>>();
        var roots = new List<long>();
        foreach (var n in nodes)
        {
            if (n.ParentId is { } parent && parent != n.Id && ids.Contains(parent))
            {
                if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
                list.Add(n.Id);
            }
            else roots.Add(n.Id);
        }

        var columns = new Dictionary<long, (double Column, int Depth)>();
        var next = 0;
        foreach (var root in roots) Place(root, 0);
        // A cycle in bad data has no root: start it from its first member so everyone is still drawn.
        foreach (var n in nodes.Where(n => !columns.ContainsKey(n.Id))) Place(n.Id, 0);

        var slotWidth = nodeWidth + horizontalGap;
        var levelHeight = nodeHeight + verticalGap;
        var positions = columns.ToDictionary(c => c.Key, c => new OrgChartPosition(
            horizontalGap / 2 + c.Value.Column * slotWidth + nodeWidth / 2,
            verticalGap / 2 + c.Value.Depth * levelHeight + nodeHeight / 2,
            c.Value.Depth));
        var depth = columns.Count == 0 ? 0 : columns.Values.Max(c => c.Depth) + 1;
        return new OrgChartResult(positions, next * slotWidth, depth * levelHeight);

        // Iterative post-order: deep reporting chains must not exhaust the stack.
        void Place(long start, int startDepth)
        {
            var stack = new Stack<(long Id, int Depth, bool Expanded)>();
            stack.Push((start, startDepth, false));
            var visiting = new HashSet<long>();
            while (stack.Count > 0)
            {
                var (id, depth, expanded) = stack.Pop();
                if (columns.ContainsKey(id)) continue;
                var kids = children.GetValueOrDefault(id)?.Where(k => !columns.ContainsKey(k) && !visiting.Contains(k)).ToList() ?? [];
                if (!expanded && kids.Count > 0)
                {
                    visiting.Add(id);
                    stack.Push((id, depth, true));
                    for (var i = kids.Count - 1; i >= 0; i--) stack.Push((kids[i], depth + 1, false));
                    continue;
                }
                var placed = children.GetValueOrDefault(id)?.Where(columns.ContainsKey).Select(k => columns[k].Column).ToList() ?? [];
                columns[id] = placed.Count == 0 ? (next++, depth) : ((placed.Min() + placed.Max()) / 2, depth);
                visiting.Remove(id);
            }
        }
    }
}
