using Damon.Core.Drivers;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Probes;
using Damon.Core.Util;
using Xunit;

namespace Damon.Core.Tests.Monitoring;

/// <summary>
/// kdamond_fn end to end (§2.2) on <see cref="TestOperations"/> in virtual time: one target of
/// 64 MiB whose first 16 MiB are accessed on every sample and the rest never.
/// <code>
///   0          16 MiB                                         64 MiB
///   [   hot    |                  cold                         )
/// </code>
/// </summary>
public class KdamondEndToEndTests
{
    private const ulong MiB = 1 << 20;
    private const ulong TargetEnd = 64 * MiB;
    private const ulong HotEnd = 16 * MiB;
    private const ulong SampleUs = 5_000;
    private const ulong AggrUs = 100_000;
    private const uint SamplesPerAggr = (uint)(AggrUs / SampleUs);
    private const ulong MinNr = 10;
    private const ulong MaxNr = 100;

    private sealed class Rig
    {
        public required DamonContext Ctx { get; init; }
        public required TestOperations Ops { get; init; }
        public required Kdamond Kdamond { get; init; }
        public required VirtualTimeDriver Driver { get; init; }
        public Target Target => Ctx.Targets[0];
    }

    private static Rig NewRig(Func<ulong, bool> isAccessed, IntervalsGoal goal = default)
    {
        var ctx = new DamonContext(seed: 2026);
        DamonCore.SetAttrs(ctx, new MonitoringAttrs
        {
            SampleIntervalUs = SampleUs,
            AggrIntervalUs = AggrUs,
            MinNrRegions = MinNr,
            MaxNrRegions = MaxNr,
            IntervalsGoal = goal,
        });
        var ops = new TestOperations { IsAccessed = (_, addr) => isAccessed(addr) };
        ctx.Ops = ops;
        var t = new Target();
        DamonCore.SetRegions(t, [new AddrRange(0, TargetEnd)], ctx.MinRegionSz);
        ctx.AddTarget(t);
        var kdamond = new Kdamond(ctx);
        var driver = new VirtualTimeDriver();
        driver.Add(kdamond);
        return new Rig { Ctx = ctx, Ops = ops, Kdamond = kdamond, Driver = driver };
    }

    private static bool IsHot(ulong addr) => addr < HotEnd;

    [Fact]
    public void hot_regions_count_every_sample_and_cold_regions_none()
    {
        const int nrAggregations = 30;
        var rig = NewRig(IsHot);
        var t = rig.Target;
        int k = 0;
        var maxHotAge = new List<uint>();
        var maxColdAge = new List<uint>();
        rig.Ctx.Aggregated = ctx =>
        {
            k++;
            // The window just completed: merged, min_nr_regions re-applied, not yet reset.
            Assert.InRange((ulong)t.NrRegions, MinNr, MaxNr);
            uint hotAge = 0, coldAge = 0;
            int straddling = 0;
            foreach (var r in t.Regions)
            {
                Assert.True(r.Age <= k, $"aggregation {k}: {r} older than the run");
                if (r.End <= HotEnd)
                {
                    Assert.Equal(SamplesPerAggr, r.NrAccesses);
                    hotAge = Math.Max(hotAge, r.Age);
                }
                else if (r.Start >= HotEnd)
                {
                    Assert.Equal(0u, r.NrAccesses);
                    coldAge = Math.Max(coldAge, r.Age);
                }
                else
                {
                    straddling++;
                }
            }
            Assert.True(straddling <= 1);
            maxHotAge.Add(hotAge);
            maxColdAge.Add(coldAge);
        };

        rig.Driver.RunUntil(nrAggregations * AggrUs + SampleUs / 2);

        Assert.Equal(nrAggregations, k);
        Assert.Equal((ulong)nrAggregations * SamplesPerAggr, rig.Ctx.PassedSampleIntervals);
        Assert.Equal(rig.Ctx.PassedSampleIntervals, rig.Ops.NrCheckCalls);
        // After the last reset: the completed window is in last_nr_accesses, and the split
        // that followed kept the count within the budget.
        Assert.InRange((ulong)t.NrRegions, MinNr, MaxNr);
        Assert.Equal(TargetEnd, t.TotalSize());
        ulong hotCovered = 0;
        foreach (var r in t.Regions)
        {
            if (r.End <= HotEnd && r.LastNrAccesses == SamplesPerAggr)
                hotCovered += r.Size;
            if (r.Start >= HotEnd)
                Assert.Equal(0u, r.LastNrAccesses);
        }
        // Only the region across the boundary may hold a mixed count (its pieces split off into
        // the hot range copy it), and no region exceeds the size limit merging keeps to.
        ulong szLimit = KernelMath.AlignUp(DamonCore.RegionSzLimit(rig.Ctx), rig.Ctx.MinRegionSz);
        Assert.True(hotCovered > HotEnd - szLimit, $"only {hotCovered} of {HotEnd} hot bytes reported hot");

        // Stable regions age by one per aggregation: cold ones from the first window, hot ones
        // from the second (their first window changed from the initial zero count).
        for (int i = 0; i < nrAggregations; i++)
        {
            Assert.Equal((uint)(i + 1), maxColdAge[i]);
            Assert.Equal((uint)i, maxHotAge[i]);
        }
    }

    /// <summary>
    /// A weighted probe switches the context to attributes-only monitoring (§2.14): accesses are
    /// not checked, the probe samples instead. Its one filter allows "anon" folios, here the hot
    /// range, so hot regions hit on every sample and the rest never.
    /// </summary>
    [Fact]
    public void weighted_probe_replaces_access_checks()
    {
        const int nrAggregations = 10;
        var ctx = new DamonContext(seed: 2026);
        DamonCore.SetAttrs(ctx, new MonitoringAttrs
        {
            SampleIntervalUs = SampleUs,
            AggrIntervalUs = AggrUs,
            MinNrRegions = MinNr,
            MaxNrRegions = MaxNr,
        });
        var probe = new DamonProbe(weight: 1);
        probe.Filters.Add(new DamonFilter(DamonFilterType.Anon, matching: true, allow: true));
        ctx.Probes.Add(probe);
        var ops = new TestOperations(callbacks: OpsCallbacks.PrepareAccessChecks | OpsCallbacks.CheckAccesses | OpsCallbacks.ApplyProbes)
        {
            IsAccessed = (_, _) => true,
            FolioIsOfType = (_, addr, f) => f.Type == DamonFilterType.Anon && IsHot(addr),
        };
        ctx.Ops = ops;
        var t = new Target();
        DamonCore.SetRegions(t, [new AddrRange(0, TargetEnd)], ctx.MinRegionSz);
        ctx.AddTarget(t);
        int k = 0;
        ctx.Aggregated = _ =>
        {
            k++;
            Assert.InRange((ulong)t.NrRegions, MinNr, MaxNr);
            foreach (var r in t.Regions)
            {
                Assert.Equal(0u, r.NrAccesses);
                if (r.End <= HotEnd)
                    Assert.Equal(SamplesPerAggr, (uint)r.ProbeHits[0]);
                else if (r.Start >= HotEnd)
                    Assert.Equal(0, r.ProbeHits[0]);
            }
        };
        var driver = new VirtualTimeDriver();
        driver.Add(new Kdamond(ctx));

        driver.RunUntil(nrAggregations * AggrUs + SampleUs / 2);

        Assert.Equal(nrAggregations, k);
        Assert.Equal(0ul, ops.NrPrepareCalls);
        Assert.Equal(0ul, ops.NrCheckCalls);
        // Merging by the weighted sums kept hot and cold apart: the cold end has the full count of
        // stable windows as its age.
        Assert.Equal((uint)nrAggregations, t.LastRegion!.Age);
        Assert.Equal(0, t.LastRegion.LastProbeHits[0]);
        Assert.Equal(SamplesPerAggr, (uint)t.FirstRegion!.LastProbeHits[0]);
    }

    [Fact]
    public void damon_call_requests_run_between_samples()
    {
        var rig = NewRig(IsHot);
        var seen = new List<(ulong Passed, ulong Prepares, ulong Checks)>();
        ulong onceAt = 0;
        var once = rig.Kdamond.Call(ctx => onceAt = ctx.PassedSampleIntervals);
        var repeat = rig.Kdamond.Call(ctx => seen.Add((ctx.PassedSampleIntervals, rig.Ops.NrPrepareCalls, rig.Ops.NrCheckCalls)),
            repeat: true);

        rig.Driver.RunUntil(3 * AggrUs + SampleUs / 2);

        // The one-shot call ran once, after the first sample, and completed.
        Assert.Equal(1ul, onceAt);
        Assert.True(once.Task.IsCompletedSuccessfully);
        // The repeating call ran once per sampling interval, never inside one: every prepared
        // sample had been checked.
        Assert.Equal(3 * (int)SamplesPerAggr, seen.Count);
        for (int i = 0; i < seen.Count; i++)
            Assert.Equal(((ulong)i + 1, (ulong)i + 1, (ulong)i + 1), seen[i]);
        Assert.False(repeat.Task.IsCompleted);

        // Cancelling stops it before its next run.
        repeat.Cancel();
        rig.Driver.RunFor(AggrUs);
        Assert.True(repeat.Task.IsCompletedSuccessfully);
        Assert.Equal(3 * (int)SamplesPerAggr, seen.Count);

        // A call's changes are seen by the loop from the next iteration: doubling the sampling
        // interval halves the samples taken per virtual second.
        var change = rig.Kdamond.Call(ctx => DamonCore.SetAttrs(ctx, ctx.Attrs with
        {
            SampleIntervalUs = 2 * SampleUs,
            AggrIntervalUs = 2 * AggrUs,
            AggrSamples = 0,
        }));
        rig.Driver.RunFor(SampleUs);
        Assert.True(change.Task.IsCompletedSuccessfully);
        ulong checks = rig.Ops.NrCheckCalls;
        rig.Driver.RunFor(10 * 2 * SampleUs);
        Assert.Equal(checks + 10, rig.Ops.NrCheckCalls);
    }

    /// <summary>A paused context (G2 pause) keeps serving damon_call every sample interval but takes no samples.</summary>
    [Fact]
    public void paused_context_serves_calls_without_sampling()
    {
        var rig = NewRig(IsHot);
        int calls = 0;
        rig.Kdamond.Call(_ => calls++, repeat: true);
        rig.Driver.RunUntil(AggrUs + SampleUs / 2);
        Assert.Equal((int)SamplesPerAggr, calls);

        rig.Kdamond.Call(ctx => ctx.Pause = true);
        rig.Driver.RunFor(SampleUs);
        ulong checks = rig.Ops.NrCheckCalls, passed = rig.Ctx.PassedSampleIntervals;
        calls = 0;

        rig.Driver.RunFor(10 * SampleUs);
        Assert.Equal(checks, rig.Ops.NrCheckCalls);
        Assert.Equal(passed, rig.Ctx.PassedSampleIntervals);
        Assert.Equal(10, calls);

        rig.Kdamond.Call(ctx => ctx.Pause = false);
        rig.Driver.RunFor(10 * SampleUs);
        Assert.True(rig.Ops.NrCheckCalls > checks);
    }

    [Fact]
    public void request_stop_ends_the_loop_and_destroys_targets()
    {
        var rig = NewRig(IsHot);
        bool exited = false;
        rig.Kdamond.Exited += _ => exited = true;
        var pending = rig.Kdamond.Call(_ => { }, repeat: true);

        rig.Driver.RunUntil(AggrUs + SampleUs / 2);
        Assert.True(rig.Kdamond.Running);
        Assert.Single(rig.Ctx.Targets);
        ulong checks = rig.Ops.NrCheckCalls;

        rig.Kdamond.RequestStop();
        rig.Driver.RunFor(10 * SampleUs);

        Assert.True(rig.Kdamond.Finished);
        Assert.False(rig.Kdamond.Running);
        Assert.True(exited);
        Assert.Equal(0, rig.Driver.NrActive);
        Assert.Empty(rig.Ctx.Targets);
        // At most the interrupted sample is checked; nothing runs after the exit.
        Assert.InRange(rig.Ops.NrCheckCalls, checks, checks + 1);
        checks = rig.Ops.NrCheckCalls;
        rig.Driver.RunFor(AggrUs);
        Assert.Equal(checks, rig.Ops.NrCheckCalls);

        // Pending calls are cancelled at exit, and later ones are refused.
        var e = Assert.ThrowsAny<DamonException>(() => pending.Task.GetAwaiter().GetResult());
        Assert.Equal(Errno.ECANCELED, e.Errno);
        var late = rig.Kdamond.Call(_ => { });
        e = Assert.ThrowsAny<DamonException>(() => late.Task.GetAwaiter().GetResult());
        Assert.Equal(Errno.ECANCELED, e.Errno);
    }

    /// <summary>
    /// intervals_goal {access_bp 400, aggrs 3, 1 ms..40 ms} (§2.10): every third aggregation the
    /// sampling interval is scaled toward 4% positive samples, aggregation following at the same
    /// 20 samples per window. A quarter of the memory always accessed is far above the goal
    /// (score ≥ 20000 bp): the interval halves, down to the floor.
    /// </summary>
    [Fact]
    public void intervals_tuning_shortens_sampling_when_accesses_exceed_the_goal()
    {
        var samples = RunTuning(IsHot);
        ulong[] expect = [5000, 5000, 2500, 2500, 2500, 1250, 1250, 1250, 1000, 1000, 1000, 1000];
        Assert.Equal(expect, samples.Take(expect.Length));
    }

    /// <summary>Nothing accessed is far below the goal (score 0): the interval doubles, up to the ceiling.</summary>
    [Fact]
    public void intervals_tuning_lengthens_sampling_when_accesses_fall_short_of_the_goal()
    {
        var samples = RunTuning(_ => false);
        ulong[] expect = [5000, 5000, 10000, 10000, 10000, 20000, 20000, 20000, 40000, 40000, 40000, 40000];
        Assert.Equal(expect, samples.Take(expect.Length));
    }

    /// <summary>The sampling interval in effect at each of the first 12 aggregations (after any tuning there).</summary>
    private static List<ulong> RunTuning(Func<ulong, bool> isAccessed)
    {
        var rig = NewRig(isAccessed, new IntervalsGoal(AccessBp: 400, Aggrs: 3, MinSampleUs: 1000, MaxSampleUs: 40_000));
        var samples = new List<ulong>();
        rig.Ctx.Aggregated = ctx =>
        {
            // Tuning scales both intervals: the window stays 20 samples long.
            Assert.Equal(ctx.Attrs.SampleIntervalUs * SamplesPerAggr, ctx.Attrs.AggrIntervalUs);
            Assert.Equal((ulong)SamplesPerAggr, ctx.Attrs.AggrSamples);
            samples.Add(ctx.Attrs.SampleIntervalUs);
        };
        while (samples.Count < 12)
            rig.Driver.Step();
        return samples;
    }
}
