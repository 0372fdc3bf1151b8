using Damon.Core.Monitoring;
using Damon.Core.Util;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static Damon.Core.Tests.Properties.RegionInvariants;

namespace Damon.Core.Tests.Properties;

/// <summary>
/// damon_set_regions (§2.8) on random old layouts and random new ranges: valid ranges end up
/// covered exactly by their min_sz-aligned versions; invalid ones are rejected with nothing changed.
/// </summary>
public class SetRegionsPropertyTests
{
    /// <summary>
    /// Sorted ranges with arbitrary (unaligned) ends. Most are valid; empty, inverted, and
    /// ranges that overlap once aligned occur too.
    /// </summary>
    private static Gen<AddrRange[]> RangesGen(ulong minSz) =>
        from n in Gen.Choose(0, 6)
        from parts in Gen.ListOf(
            from gap in Gen.Choose(0, 3 * (int)minSz)
            from len in Gen.Frequency((8, Gen.Choose(1, 6 * (int)minSz)), (1, Gen.Constant(0)))
            from inverted in Gen.Frequency((15, Gen.Constant(false)), (1, Gen.Constant(true)))
            select (gap, len, inverted), n)
        select Build(parts);

    private static AddrRange[] Build(IEnumerable<(int Gap, int Len, bool Inverted)> parts)
    {
        var ranges = new List<AddrRange>();
        ulong at = 0;
        foreach (var (gap, len, inverted) in parts)
        {
            ulong start = at + (ulong)gap, end = start + (ulong)len;
            ranges.Add(inverted ? new AddrRange(end + 1, start) : new AddrRange(start, end));
            at = end;
        }
        return [.. ranges];
    }

    /// <summary>The validation rule restated: aligned ranges are non-empty and in order.</summary>
    private static bool Valid(AddrRange[] ranges, ulong minSz)
    {
        ulong prevEnd = 0;
        for (int i = 0; i < ranges.Length; i++)
        {
            ulong s = KernelMath.AlignDown(ranges[i].Start, minSz), e = KernelMath.AlignUp(ranges[i].End, minSz);
            if (s >= e || (i > 0 && prevEnd > s))
                return false;
            prevEnd = e;
        }
        return true;
    }

    [Fact]
    public void set_regions_covers_exactly_the_aligned_ranges()
    {
        // The new alignment may be coarser or finer than the old regions' (a commit from a
        // context with another min_region_sz), so old regions may straddle aligned boundaries.
        var arb = (from layout in RegionLayout.Generator(minRegions: 0, maxRegions: 12, maxUnits: 8)
                   from shift in Gen.Choose(0, 4)
                   from ranges in RangesGen(1ul << shift)
                   select (layout, minSz: 1ul << shift, ranges)).ToArbitrary();

        Check.One(PropertyConfig.Seeded(0x5E7, maxTest: 300), Prop.ForAll(arb, c =>
        {
            var (layout, minSz, ranges) = c;
            var t = layout.NewTarget();
            var before = Snapshot(t);

            if (!Valid(ranges, minSz))
            {
                var e = Assert.Throws<DamonException>(() => DamonCore.SetRegions(t, ranges, minSz));
                Assert.Equal(Errno.EINVAL, e.Errno);
                Assert.Equal(before, Snapshot(t));
                return;
            }

            DamonCore.SetRegions(t, ranges, minSz);

            AssertWellFormed(t);
            var aligned = ranges.Select(r => new AddrRange(KernelMath.AlignDown(r.Start, minSz), KernelMath.AlignUp(r.End, minSz)));
            Assert.Equal(Coalesce(aligned), Coverage(t));
            foreach (var r in t.Regions)
            {
                // Boundaries inside a range are kept from the old regions; the ends are aligned
                // (checked by the coverage above).
                if (layout.MinSz % minSz == 0)
                {
                    Assert.Equal(0ul, r.Start % minSz);
                    Assert.Equal(0ul, r.End % minSz);
                }
                // A region with an old region's exact bounds is that region, kept with its results.
                var old = layout.Regions.Where(o => o.Start == r.Start && o.End == r.End).ToArray();
                if (old.Length == 1 && (r.NrAccesses != 0 || r.LastNrAccesses != 0 || r.Age != 0))
                {
                    Assert.Equal(old[0].NrAccesses, r.NrAccesses);
                    Assert.Equal(old[0].LastNrAccesses, r.LastNrAccesses);
                    Assert.Equal(old[0].Age, r.Age);
                }
            }
        }));
    }
}
