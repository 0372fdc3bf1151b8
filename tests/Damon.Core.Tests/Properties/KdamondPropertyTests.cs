using Damon.Core.Drivers;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static Damon.Core.Tests.Properties.RegionInvariants;

namespace Damon.Core.Tests.Properties;

/// <summary>
/// Random sequences of kdamond steps over random layouts and access patterns (§2.2): the region
/// invariants hold after every step, nr_accesses never exceeds the samples of a window, splitting
/// respects max_nr_regions, and a run is a pure function of its seed.
/// </summary>
public class KdamondPropertyTests
{
    private const ulong SampleUs = 1000;

    /// <summary>A monitored target, the addresses the "workload" touches, and the attributes.</summary>
    private sealed record Scenario(RegionLayout Layout, AddrRange[] Hot, int Samples, int MinNr, int MaxNr, int Seed)
    {
        public MonitoringAttrs Attrs => new()
        {
            SampleIntervalUs = SampleUs,
            AggrIntervalUs = SampleUs * (ulong)Samples,
            MinNrRegions = (ulong)MinNr,
            MaxNrRegions = (ulong)MaxNr,
        };

        public bool IsHot(ulong addr) => Hot.Any(h => h.Start <= addr && addr < h.End);

        public override string ToString() =>
            $"{Layout}; hot {string.Join(" ", Hot)}; samples {Samples} min_nr {MinNr} max_nr {MaxNr} seed {Seed}";
    }

    private static Gen<Scenario> ScenarioGen(int maxRegions) =>
        from samples in Gen.Choose(1, 20)
        // Counters a window of this length could have produced.
        from layout in RegionLayout.Generator(maxRegions: maxRegions, maxUnits: 64, maxNr: (uint)samples)
        from hot in Gen.ListOf(
            from startUnit in Gen.Choose(0, 600)
            from lenUnits in Gen.Choose(1, 200)
            select (startUnit, lenUnits), 3)
        from nrHot in Gen.Choose(0, 3)
        from minNr in Gen.Choose(3, 12)
        from extra in Gen.Choose(0, 100)
        from seed in Gen.Choose(0, int.MaxValue)
        select new Scenario(layout,
            [.. hot.Take(nrHot).Select(h => new AddrRange(
                layout.Regions[0].Start + (ulong)h.startUnit * layout.MinSz,
                layout.Regions[0].Start + (ulong)(h.startUnit + h.lenUnits) * layout.MinSz))],
            samples, minNr, minNr + extra, seed);

    private static (DamonContext Ctx, TestOperations Ops, Target T) Setup(Scenario s)
    {
        var ctx = new DamonContext((ulong)s.Seed) { MinRegionSz = s.Layout.MinSz };
        DamonCore.SetAttrs(ctx, s.Attrs);
        var ops = new TestOperations { IsAccessed = (_, addr) => s.IsHot(addr) };
        ctx.Ops = ops;
        var t = s.Layout.NewTarget();
        // The window starts now: only the last window's counts carry over.
        foreach (var r in t.Regions)
            r.NrAccesses = 0;
        ctx.AddTarget(t);
        return (ctx, ops, t);
    }

    private static void AssertCountsWithinWindow(DamonContext ctx, Target t)
    {
        uint samples = DamonCore.NrSamplesPerAggr(ctx.Attrs);
        foreach (var r in t.Regions)
        {
            Assert.True(r.NrAccesses <= samples, $"{r}: nr_accesses above {samples} samples per aggregation");
            Assert.True(r.LastNrAccesses <= samples, $"{r}: last_nr_accesses above {samples} samples per aggregation");
        }
    }

    /// <summary>
    /// The kdamond loop body driven by direct DamonCore calls, one step at a time, with online
    /// attribute changes mixed in. Step codes: 0..7 one sampling interval (aggregating when due),
    /// 8..9 damon_set_attrs with a new window length.
    /// </summary>
    [Fact]
    public void random_kdamond_steps_keep_region_invariants()
    {
        var arb = (from s in ScenarioGen(maxRegions: 20)
                   from steps in Gen.ListOf(Gen.Choose(0, 9), 120)
                   from newSamples in Gen.ListOf(Gen.Choose(1, 20), 120)
                   select (s, steps: steps.ToArray(), newSamples: newSamples.ToArray())).ToArbitrary();

        Check.One(PropertyConfig.Seeded(0xDA3013, maxTest: 60), Prop.ForAll(arb, c =>
        {
            var (s, steps, newSamples) = c;
            var (ctx, ops, t) = Setup(s);
            var coverage = s.Layout.Coverage();
            ulong szLimit = DamonCore.ApplyMinNrRegions(ctx);

            for (int i = 0; i < steps.Length; i++)
            {
                if (steps[i] >= 8)
                {
                    DamonCore.SetAttrs(ctx, ctx.Attrs with
                    {
                        AggrIntervalUs = SampleUs * (ulong)newSamples[i],
                        AggrSamples = 0,
                    });
                }
                else
                {
                    ops.PrepareAccessChecks(ctx);
                    ctx.PassedSampleIntervals++;
                    uint maxScore = ops.CheckAccesses(ctx);
                    AssertCountsWithinWindow(ctx, t);
                    if (ctx.PassedSampleIntervals >= ctx.NextAggregationSis)
                    {
                        DamonCore.KdamondMergeRegions(ctx, maxScore / 10, szLimit);
                        szLimit = DamonCore.ApplyMinNrRegions(ctx);
                        ctx.NextAggregationSis = ctx.PassedSampleIntervals + ctx.Attrs.AggrIntervalUs / SampleUs;
                        DamonCore.ResetAggregated(ctx);
                        int before = t.NrRegions;
                        DamonCore.KdamondSplitRegions(ctx);
                        if ((ulong)before <= ctx.Attrs.MaxNrRegions)
                            Assert.True((ulong)t.NrRegions <= ctx.Attrs.MaxNrRegions,
                                $"split grew {before} regions to {t.NrRegions}, above max_nr_regions");
                        else
                            Assert.Equal(before, t.NrRegions);
                    }
                }
                AssertWellFormed(t);
                Assert.Equal(coverage, Coverage(t));
                AssertCountsWithinWindow(ctx, t);
            }
        }));
    }

    /// <summary>Run the real kdamond loop in virtual time; record every aggregation and the end state.</summary>
    private static List<List<(ulong, ulong, uint, uint, uint)>> RunKdamond(Scenario s, int nrAggregations)
    {
        var (ctx, _, t) = Setup(s);
        var coverage = s.Layout.Coverage();
        var history = new List<List<(ulong, ulong, uint, uint, uint)>>();
        ctx.Aggregated = c =>
        {
            AssertWellFormed(t);
            Assert.Equal(coverage, Coverage(t));
            AssertCountsWithinWindow(c, t);
            history.Add(Snapshot(t));
        };
        var kdamond = new Kdamond(ctx);
        var driver = new VirtualTimeDriver();
        driver.Add(kdamond);
        driver.RunUntil(SampleUs * (ulong)s.Samples * (ulong)nrAggregations + SampleUs / 2);
        Assert.Equal(nrAggregations, history.Count);
        AssertWellFormed(t);
        Assert.Equal(coverage, Coverage(t));
        history.Add(Snapshot(t));
        driver.StopAll();
        Assert.True(kdamond.Finished);
        return history;
    }

    [Fact]
    public void same_seed_gives_same_regions()
    {
        var arb = (from s in ScenarioGen(maxRegions: 15)
                   from nrAggregations in Gen.Choose(1, 8)
                   select (s, nrAggregations)).ToArbitrary();

        Check.One(PropertyConfig.Seeded(0x5EED, maxTest: 40), Prop.ForAll(arb, c =>
        {
            var first = RunKdamond(c.s, c.nrAggregations);
            var second = RunKdamond(c.s, c.nrAggregations);
            Assert.Equal(first.Count, second.Count);
            for (int i = 0; i < first.Count; i++)
                Assert.Equal(first[i], second[i]);
        }));
    }
}
