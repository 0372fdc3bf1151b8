using Damon.Core.Monitoring;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static Damon.Core.Tests.Properties.RegionInvariants;

namespace Damon.Core.Tests.Properties;

/// <summary>
/// Split and merge (§2.5, §2.6, §2.7) on random layouts: regions stay sorted, disjoint and over
/// the same addresses, sizes add up, and counters stay within what their inputs allow.
/// </summary>
public class SplitMergePropertyTests
{
    /// <summary>The original region that holds [start, end), or null when it straddles two.</summary>
    private static RegionSpec? Parent(RegionLayout layout, ulong start, ulong end)
    {
        foreach (var s in layout.Regions)
            if (s.Start <= start && end <= s.End)
                return s;
        return null;
    }

    [Fact]
    public void split_regions_of_keeps_layout_and_copies_counters()
    {
        var arb = (from layout in RegionLayout.Generator()
                   from nrSubs in Gen.Choose(2, 5)
                   from seed in Gen.Choose(0, int.MaxValue)
                   select (layout, nrSubs, seed)).ToArbitrary();

        Check.One(PropertyConfig.Seeded(0xA11CE), Prop.ForAll(arb, c =>
        {
            var (layout, nrSubs, seed) = c;
            var ctx = new DamonContext((ulong)seed);
            var t = layout.NewTarget();

            DamonCore.SplitRegionsOf(ctx, t, nrSubs, layout.MinSz);

            AssertWellFormed(t);
            Assert.Equal(layout.Coverage(), Coverage(t));
            Assert.Equal(layout.TotalSize, t.TotalSize());
            Assert.True(t.NrRegions <= layout.Regions.Length * nrSubs);
            foreach (var r in t.Regions)
            {
                // Cuts are ALIGN_DOWN'd to min_sz from aligned starts.
                Assert.Equal(0ul, r.Start % layout.MinSz);
                Assert.Equal(0ul, r.End % layout.MinSz);
                var parent = Parent(layout, r.Start, r.End);
                Assert.NotNull(parent);
                Assert.Equal(parent.Value.NrAccesses, r.NrAccesses);
                Assert.Equal(parent.Value.LastNrAccesses, r.LastNrAccesses);
                Assert.Equal(parent.Value.Age, r.Age);
            }
        }));
    }

    [Fact]
    public void merge_regions_of_keeps_layout_and_averages_within_bounds()
    {
        var arb = (from layout in RegionLayout.Generator()
                   from thres in Gen.Choose(0, 20)
                   from limitUnits in Gen.Choose(1, 200)
                   from countAge in Gen.Elements(true, false)
                   select (layout, thres, limitUnits, countAge)).ToArbitrary();

        Check.One(PropertyConfig.Seeded(0xB0B), Prop.ForAll(arb, c =>
        {
            var (layout, thres, limitUnits, countAge) = c;
            ulong szLimit = (ulong)limitUnits * layout.MinSz;
            var ctx = new DamonContext();
            var t = layout.NewTarget();

            DamonCore.MergeRegionsOf(t, (uint)thres, szLimit, ctx, countAge);

            AssertWellFormed(t);
            // No merge across a gap, and nothing lost.
            Assert.Equal(layout.Coverage(), Coverage(t));
            Assert.Equal(layout.TotalSize, t.TotalSize());
            Assert.True(t.NrRegions <= layout.Regions.Length);
            foreach (var r in t.Regions)
            {
                var parts = layout.Regions.Where(s => r.Start <= s.Start && s.End <= r.End).ToArray();
                Assert.Equal(r.Start, parts[0].Start);
                Assert.Equal(r.End, parts[^1].End);
                if (parts.Length > 1)
                {
                    Assert.True(r.Size <= szLimit, $"merged {r} exceeds sz_limit {szLimit}");
                    // A size-weighted average of the parts.
                    Assert.InRange(r.NrAccesses, parts.Min(p => p.NrAccesses), parts.Max(p => p.NrAccesses));
                }
                else
                {
                    Assert.Equal(parts[0].NrAccesses, r.NrAccesses);
                }
                // last_nr_accesses is the leftmost part's, never averaged.
                Assert.Equal(parts[0].LastNrAccesses, r.LastNrAccesses);
                if (!countAge)
                    Assert.InRange(r.Age, parts.Min(p => p.Age), parts.Max(p => p.Age));
            }
            Assert.Equal(MergeModel(layout, (uint)thres, szLimit, countAge), Snapshot(t));
        }));
    }

    /// <summary>
    /// §2.5 restated over plain values: walk left to right, update the age, and fold each region
    /// into the previous kept one when they touch, their counts differ by at most the threshold
    /// and the sum stays within the size limit.
    /// </summary>
    private static List<(ulong Start, ulong End, uint Nr, uint Last, uint Age)> MergeModel(RegionLayout layout, uint thres,
        ulong szLimit, bool countAge)
    {
        var result = new List<(ulong Start, ulong End, uint Nr, uint Last, uint Age)>();
        foreach (var s in layout.Regions)
        {
            uint age = s.Age;
            if (countAge)
            {
                uint diff = s.NrAccesses > s.LastNrAccesses ? s.NrAccesses - s.LastNrAccesses : s.LastNrAccesses - s.NrAccesses;
                age = diff > thres || (s.NrAccesses == 0) != (s.LastNrAccesses == 0) ? 0 : age + 1;
            }
            if (result.Count > 0)
            {
                var l = result[^1];
                ulong sl = l.End - l.Start, sr = s.End - s.Start;
                uint diff = l.Nr > s.NrAccesses ? l.Nr - s.NrAccesses : s.NrAccesses - l.Nr;
                if (l.End == s.Start && sl + sr <= szLimit && diff <= thres)
                {
                    result[^1] = (l.Start, s.End, (uint)((l.Nr * sl + s.NrAccesses * sr) / (sl + sr)), l.Last,
                        (uint)((l.Age * sl + age * sr) / (sl + sr)));
                    continue;
                }
            }
            result.Add((s.Start, s.End, s.NrAccesses, s.LastNrAccesses, age));
        }
        return result;
    }

    /// <summary>
    /// kdamond_split_regions never pushes the count above max_nr_regions: below the budget the
    /// result stays within it, at or above the budget nothing is split. Repeated calls exercise the
    /// 2-/3-way rule and the rotating partial split above max/2.
    /// </summary>
    [Fact]
    public void kdamond_split_regions_never_exceeds_max_nr_regions()
    {
        var arb = (from layout in RegionLayout.Generator(maxRegions: 60, maxUnits: 200)
                   from maxNr in Gen.Choose(3, 200)
                   from rounds in Gen.Choose(1, 6)
                   from seed in Gen.Choose(0, int.MaxValue)
                   select (layout, maxNr, rounds, seed)).ToArbitrary();

        Check.One(PropertyConfig.Seeded(0xC0FFEE), Prop.ForAll(arb, c =>
        {
            var (layout, maxNr, rounds, seed) = c;
            var ctx = new DamonContext((ulong)seed) { MinRegionSz = layout.MinSz };
            ctx.Attrs = ctx.Attrs with { MinNrRegions = 3, MaxNrRegions = (ulong)maxNr };
            var t = layout.NewTarget();
            ctx.AddTarget(t);

            for (int i = 0; i < rounds; i++)
            {
                int before = t.NrRegions;
                DamonCore.KdamondSplitRegions(ctx);
                if (before >= maxNr)
                    Assert.Equal(before, t.NrRegions);
                else
                    Assert.InRange(t.NrRegions, before, maxNr);
                AssertWellFormed(t);
                Assert.Equal(layout.Coverage(), Coverage(t));
            }
        }));
    }

    /// <summary>
    /// damon_apply_min_nr_regions: afterwards no region exceeds the returned limit, which is a
    /// multiple of min_region_sz, and the addresses are unchanged.
    /// </summary>
    [Fact]
    public void apply_min_nr_regions_bounds_region_size()
    {
        var arb = (from layout in RegionLayout.Generator(maxRegions: 10, maxUnits: 500)
                   from minNr in Gen.Choose(1, 50)
                   select (layout, minNr)).ToArbitrary();

        Check.One(PropertyConfig.Seeded(0xD00D), Prop.ForAll(arb, c =>
        {
            var (layout, minNr) = c;
            var ctx = new DamonContext { MinRegionSz = layout.MinSz };
            ctx.Attrs = ctx.Attrs with { MinNrRegions = (ulong)minNr };
            var t = layout.NewTarget();
            ctx.AddTarget(t);

            ulong limit = DamonCore.ApplyMinNrRegions(ctx);

            Assert.Equal(0ul, limit % layout.MinSz);
            Assert.True(limit >= layout.MinSz);
            AssertWellFormed(t);
            Assert.Equal(layout.Coverage(), Coverage(t));
            Assert.All(t.Regions, r => Assert.True(r.Size <= limit, $"{r} above limit {limit}"));
            // Only a size limit: one region per whole limit, at least min_nr_regions when the sizes allow.
            if (layout.Regions.Length == 1 && layout.TotalSize / (ulong)minNr >= layout.MinSz
                && layout.TotalSize % ((ulong)minNr * layout.MinSz) == 0)
                Assert.Equal(minNr, t.NrRegions);
        }));
    }
}
