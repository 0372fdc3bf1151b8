using Damon.Core.Monitoring;
using Damon.Core.Probes;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static Damon.Core.Tests.Properties.RegionInvariants;

namespace Damon.Core.Tests.Properties;

/// <summary>
/// damon_commit_ctx (§2.13): the commit is tried on a copy first, so a rejected source leaves the
/// destination exactly as it was; an accepted one gives the destination the source's parameters.
/// </summary>
public class CommitCtxPropertyTests
{
    /// <summary>What a commit may break in a source context.</summary>
    private enum Fault
    {
        None,
        MinRegionSzNotPowerOfTwo,
        MinNrRegionsBelowThree,
        SampleAboveAggr,
        ProbeCountersOverflow,
        ObsoleteTargetWithoutMatch,
    }

    private sealed record CtxSpec(ulong MinRegionSz, ulong SampleUs, ulong Samples, ulong MinNr, ulong MaxNr, bool Pause,
        uint[] ProbeWeights, RegionLayout[] Targets)
    {
        public DamonContext Build()
        {
            var ctx = new DamonContext { MinRegionSz = MinRegionSz, Pause = Pause };
            DamonCore.SetAttrs(ctx, new MonitoringAttrs
            {
                SampleIntervalUs = SampleUs,
                AggrIntervalUs = SampleUs * Samples,
                MinNrRegions = MinNr,
                MaxNrRegions = MaxNr,
            });
            foreach (var w in ProbeWeights)
                ctx.Probes.Add(new DamonProbe(w));
            foreach (var layout in Targets)
                ctx.AddTarget(layout.NewTarget());
            return ctx;
        }

        public override string ToString() =>
            $"min_region_sz {MinRegionSz} sample {SampleUs} x{Samples} nr [{MinNr},{MaxNr}] pause {Pause} "
            + $"probes [{string.Join(",", ProbeWeights)}] targets {{{string.Join(" | ", Targets.Select(l => l.ToString()))}}}";
    }

    private static readonly Gen<CtxSpec> CtxSpecGen =
        from shift in Gen.Choose(0, 12)
        from sampleUs in Gen.Choose(1, 10_000)
        from samples in Gen.Choose(1, 255)
        from minNr in Gen.Choose(3, 20)
        from extra in Gen.Choose(0, 1000)
        from pause in Gen.Elements(true, false)
        from weights in Gen.ListOf(Gen.Choose(0, 5), 4)
        from nrProbes in Gen.Choose(0, 4)
        from nrTargets in Gen.Choose(0, 3)
        // Regions aligned to the context's min_region_sz, as damon_set_regions would leave them.
        from targets in Gen.ListOf(RegionLayout.Generator(minRegions: 0, maxRegions: 8, maxUnits: 16, minSz: 1ul << shift), 3)
        select new CtxSpec(1ul << shift, (ulong)sampleUs, (ulong)samples, (ulong)minNr, (ulong)(minNr + extra), pause,
            [.. weights.Take(nrProbes).Select(w => (uint)w)], [.. targets.Take(nrTargets)]);

    /// <summary>Everything damon_commit_ctx reads or writes in a context, as plain values.</summary>
    private static string State(DamonContext c) =>
        string.Join("\n",
            $"attrs {c.Attrs} min_region_sz {c.MinRegionSz} pause {c.Pause} addr_unit {c.AddrUnit} corrupted {c.MaybeCorrupted}",
            $"passed {c.PassedSampleIntervals} next_aggr {c.NextAggregationSis} next_ops {c.NextOpsUpdateSis}",
            $"probes {string.Join(",", c.Probes.Select(p => $"{p.Weight}/{p.Filters.Count}"))}",
            string.Join("\n", c.Targets.Select(t => $"pid {t.Pid}: " + string.Join(" ", Snapshot(t)))));

    private static void Inject(DamonContext src, Fault fault, int dstNrTargets)
    {
        switch (fault)
        {
            case Fault.MinRegionSzNotPowerOfTwo:
                src.MinRegionSz = 4095;
                break;
            case Fault.MinNrRegionsBelowThree:
                src.Attrs = src.Attrs with { MinNrRegions = 2 };
                break;
            case Fault.SampleAboveAggr:
                src.Attrs = src.Attrs with { SampleIntervalUs = src.Attrs.AggrIntervalUs + 1 };
                break;
            case Fault.ProbeCountersOverflow:
                // 256 samples per window overflow the u8 probe_hits once a probe is weighted.
                src.Attrs = src.Attrs with { AggrIntervalUs = src.Attrs.SampleIntervalUs * 256 };
                src.Probes.Add(new DamonProbe(1));
                break;
            case Fault.ObsoleteTargetWithoutMatch:
                while (src.Targets.Count <= dstNrTargets)
                    src.AddTarget(new Target());
                src.Targets[^1].Obsolete = true;
                break;
        }
    }

    [Fact]
    public void rejected_commit_leaves_dst_unchanged()
    {
        var faults = Enum.GetValues<Fault>().Where(f => f != Fault.None).ToArray();
        var arb = (from dst in CtxSpecGen
                   from src in CtxSpecGen
                   from fault in Gen.Elements(faults)
                   select (dst, src, fault)).ToArbitrary();

        Check.One(PropertyConfig.Seeded(0xBAD), Prop.ForAll(arb, c =>
        {
            var dst = c.dst.Build();
            var src = c.src.Build();
            Inject(src, c.fault, dst.Targets.Count);
            string dstBefore = State(dst), srcBefore = State(src);
            var dstTargets = dst.Targets.ToArray();

            var e = Assert.Throws<DamonException>(() => DamonCore.CommitCtx(dst, src));

            Assert.Equal(Errno.EINVAL, e.Errno);
            Assert.Equal(dstBefore, State(dst));
            Assert.Equal(dstTargets, dst.Targets);
            Assert.Equal(srcBefore, State(src));
        }));
    }

    [Fact]
    public void accepted_commit_takes_src_parameters()
    {
        var arb = (from dst in CtxSpecGen
                   from src in CtxSpecGen
                   select (dst, src)).ToArbitrary();

        Check.One(PropertyConfig.Seeded(0x600D), Prop.ForAll(arb, c =>
        {
            var dst = c.dst.Build();
            var src = c.src.Build();
            var dstCoverageBefore = dst.Targets.Select(Coverage).ToArray();
            string srcBefore = State(src);

            DamonCore.CommitCtx(dst, src);

            Assert.False(dst.MaybeCorrupted);
            Assert.Equal(src.Attrs with { AggrSamples = 0 }, dst.Attrs with { AggrSamples = 0 });
            Assert.Equal(src.MinRegionSz, dst.MinRegionSz);
            Assert.Equal(src.Pause, dst.Pause);
            Assert.Equal(src.Probes.Select(p => p.Weight), dst.Probes.Select(p => p.Weight));
            Assert.Equal(src.Targets.Count, dst.Targets.Count);
            for (int i = 0; i < src.Targets.Count; i++)
            {
                var srcTarget = src.Targets[i];
                var dstTarget = dst.Targets[i];
                AssertWellFormed(dstTarget);
                // An empty source target keeps what the destination had (a new one stays empty);
                // otherwise the source's (aligned) regions become the destination's ranges.
                List<AddrRange> expect = srcTarget.NrRegions != 0 ? Coverage(srcTarget)
                    : i < dstCoverageBefore.Length ? dstCoverageBefore[i] : [];
                Assert.Equal(expect, Coverage(dstTarget));
            }
            Assert.Equal(srcBefore, State(src));
        }));
    }
}
