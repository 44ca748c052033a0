using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Analytics;

public sealed class OrgChartLayoutTests
{
    private const double W = 100, H = 40, Gap = 20, VGap = 30;

    private static OrgChartResult Arrange(params OrgChartNode[] nodes) => OrgChartLayout.Arrange(nodes, W, H, Gap, VGap);

    [Fact]
    public void Arrange_NoNodes_IsEmpty()
    {
        var result = Arrange();
        Assert.Empty(result.Positions);
        Assert.Equal(0, result.Width);
        Assert.Equal(0, result.Height);
    }

    [Fact]
    public void Arrange_ParentWithThreeChildren_CentresParentOverChildrenOneLevelUp()
    {
        var r = Arrange(new(1, null), new(2, 1), new(3, 1), new(4, 1));
        var p = r.Positions;
        Assert.Equal(p[3].X, p[1].X);
        Assert.Equal((p[2].X + p[4].X) / 2, p[1].X);
        Assert.True(p[2].X < p[3].X && p[3].X < p[4].X);
        Assert.Equal(H + VGap, p[2].Y - p[1].Y);
        Assert.Equal(0, p[1].Depth);
        Assert.Equal(1, p[4].Depth);
        Assert.Equal(3 * (W + Gap), r.Width);
        Assert.Equal(2 * (H + VGap), r.Height);
    }

    [Fact]
    public void Arrange_TwoRoots_SideBySideLeftToRightInInputOrder()
    {
        var p = Arrange(new(10, null), new(20, null)).Positions;
        Assert.Equal(p[10].Y, p[20].Y);
        Assert.Equal(W + Gap, p[20].X - p[10].X);
    }

    [Fact]
    public void Arrange_ParentMissingFromTheSet_IsDrawnAsARoot()
    {
        var p = Arrange(new(1, 99), new(2, 1)).Positions;
        Assert.Equal(0, p[1].Depth);
        Assert.Equal(1, p[2].Depth);
    }

    [Fact]
    public void Arrange_UnevenTree_NoTwoNodesOverlap()
    {
        var nodes = new List<OrgChartNode> { new(1, null), new(2, 1), new(3, 1), new(4, 2), new(5, 2), new(6, 2), new(7, 3), new(8, null), new(9, 8), new(10, 5) };
        var p = Arrange(nodes.ToArray()).Positions;
        Assert.Equal(nodes.Count, p.Count);
        foreach (var a in p)
            foreach (var b in p.Where(b => b.Key != a.Key && b.Value.Depth == a.Value.Depth))
                Assert.True(Math.Abs(a.Value.X - b.Value.X) >= W + Gap, $"{a.Key} and {b.Key} overlap");
        Assert.True(p[8].X > p.Where(x => x.Key <= 7 || x.Key == 10).Max(x => x.Value.X));
    }

    [Fact]
    public void Arrange_CycleInData_StillPlacesEveryNodeOnce()
    {
        var p = Arrange(new(1, 2), new(2, 1), new(3, null)).Positions;
        Assert.Equal(3, p.Count);
        Assert.NotEqual(p[1].Depth, p[2].Depth);
    }

    [Fact]
    public void Arrange_DeepChain_DoesNotOverflowAndStacksVertically()
    {
        var nodes = Enumerable.Range(1, 5000).Select(i => new OrgChartNode(i, i == 1 ? null : i - 1)).ToArray();
        var r = Arrange(nodes);
        Assert.Equal(4999, r.Positions[5000].Depth);
        Assert.Equal(r.Positions[1].X, r.Positions[5000].X);
    }
}
