using Damon.Core.Monitoring;
using Xunit;

namespace Damon.Core.Tests.Properties;

/// <summary>What must hold for a target's regions after any core operation (§1.3).</summary>
internal static class RegionInvariants
{
    /// <summary>Non-empty, sorted, non-overlapping, and the list links and count agree.</summary>
    public static void AssertWellFormed(Target t)
    {
        int n = 0;
        Region? prev = null;
        for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
        {
            Assert.True(r.Start < r.End, $"empty or inverted region {r}");
            if (prev is not null)
                Assert.True(prev.End <= r.Start, $"{prev} overlaps or precedes {r}");
            Assert.Same(prev, r.PrevRegion);
            prev = r;
            n++;
        }
        Assert.Same(prev, t.LastRegion);
        Assert.Equal(n, t.NrRegions);
    }

    /// <summary>Sorted ranges with touching neighbours joined: the set of addresses they cover.</summary>
    public static List<AddrRange> Coalesce(IEnumerable<AddrRange> ranges)
    {
        var result = new List<AddrRange>();
        foreach (var r in ranges)
        {
            if (r.Start >= r.End)
                continue;
            if (result.Count > 0 && result[^1].End >= r.Start)
                result[^1] = result[^1] with { End = Math.Max(result[^1].End, r.End) };
            else
                result.Add(r);
        }
        return result;
    }

    public static List<AddrRange> Coverage(Target t) => Coalesce(t.Regions.Select(r => r.Range));

    /// <summary>Every region with its counters, to compare two runs or a before/after.</summary>
    public static List<(ulong Start, ulong End, uint Nr, uint Last, uint Age)> Snapshot(Target t) =>
        [.. t.Regions.Select(r => (r.Start, r.End, r.NrAccesses, r.LastNrAccesses, r.Age))];
}
