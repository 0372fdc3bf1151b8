using Damon.Core.Monitoring;
using FsCheck;
using FsCheck.Fluent;

namespace Damon.Core.Tests.Properties;

/// <summary>One region of a generated layout, with the counters it starts with.</summary>
internal readonly record struct RegionSpec(ulong Start, ulong End, uint NrAccesses, uint LastNrAccesses, uint Age);

/// <summary>
/// A generated target: regions sorted and disjoint, boundaries on multiples of
/// <see cref="MinSz"/>, separated by gaps or touching.
/// </summary>
internal sealed record RegionLayout(ulong MinSz, RegionSpec[] Regions)
{
    public Target NewTarget()
    {
        var t = new Target();
        foreach (var s in Regions)
        {
            var r = t.NewRegion(s.Start, s.End);
            r.NrAccesses = s.NrAccesses;
            r.LastNrAccesses = s.LastNrAccesses;
            r.Age = s.Age;
            t.AddRegion(r);
        }
        return t;
    }

    public ulong TotalSize => Regions.Aggregate(0ul, (sz, r) => sz + (r.End - r.Start));

    /// <summary>The layout's address ranges, adjacent regions joined.</summary>
    public List<AddrRange> Coverage() => RegionInvariants.Coalesce(Regions.Select(r => new AddrRange(r.Start, r.End)));

    public override string ToString() =>
        $"min_sz {MinSz}: " + string.Join(" ", Regions.Select(r => $"[{r.Start},{r.End})n{r.NrAccesses}l{r.LastNrAccesses}a{r.Age}"));

    /// <summary>
    /// Up to <paramref name="maxRegions"/> regions of 1..<paramref name="maxUnits"/> min_sz units
    /// each; most touch their neighbour, some leave a gap.
    /// </summary>
    /// <param name="minSz">Align to this; by default a random 1, 2, 4 or 8.</param>
    public static Gen<RegionLayout> Generator(int minRegions = 1, int maxRegions = 40, int maxUnits = 50, uint maxNr = 20,
        ulong? minSz = null) =>
        from shift in Gen.Choose(0, 3)
        from first in Gen.Choose(0, 10)
        from n in Gen.Choose(minRegions, maxRegions)
        from specs in Gen.ListOf(
            from gap in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 5)))
            from len in Gen.Choose(1, maxUnits)
            from nr in Gen.Choose(0, (int)maxNr)
            from last in Gen.Choose(0, (int)maxNr)
            from age in Gen.Choose(0, 10)
            select (gap, len, nr, last, age), n)
        select Build(minSz ?? 1ul << shift, (ulong)first, specs);

    private static RegionLayout Build(ulong minSz, ulong firstUnit, IEnumerable<(int Gap, int Len, int Nr, int Last, int Age)> specs)
    {
        var regions = new List<RegionSpec>();
        ulong unit = firstUnit;
        foreach (var (gap, len, nr, last, age) in specs)
        {
            unit += (ulong)gap;
            regions.Add(new RegionSpec(unit * minSz, (unit + (ulong)len) * minSz, (uint)nr, (uint)last, (uint)age));
            unit += (ulong)len;
        }
        return new RegionLayout(minSz, [.. regions]);
    }
}
