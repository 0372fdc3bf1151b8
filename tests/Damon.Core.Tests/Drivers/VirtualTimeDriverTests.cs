using Damon.Core.Drivers;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Xunit;

namespace Damon.Core.Tests.Drivers;

/// <summary>
/// Degenerate intervals and cancellation in virtual time: simulated time always advances (at
/// least <see cref="VirtualTimeDriver.MinSleepUs"/> per kdamond sleep), and a cancelled run
/// stops between two kdamond iterations however far its end is.
/// </summary>
public class VirtualTimeDriverTests
{
    private sealed record Rig(DamonContext Ctx, VirtualTimeDriver Driver, Kdamond Kdamond);

    private static Rig NewRig(ulong sampleUs, ulong aggrUs, ulong opsUpdateUs, IntervalsGoal goal = default, IVirtualWorld? world = null)
    {
        var ctx = new DamonContext(seed: 7);
        DamonCore.SetAttrs(ctx, new MonitoringAttrs
        {
            SampleIntervalUs = sampleUs,
            AggrIntervalUs = aggrUs,
            OpsUpdateIntervalUs = opsUpdateUs,
            MinNrRegions = 10,
            MaxNrRegions = 100,
            IntervalsGoal = goal,
        });
        ctx.Ops = new TestOperations { IsAccessed = (_, addr) => addr < (4 << 20) };
        var t = new Target();
        DamonCore.SetRegions(t, [new AddrRange(0, 64 << 20)], ctx.MinRegionSz);
        ctx.AddTarget(t);
        var kdamond = new Kdamond(ctx);
        var driver = new VirtualTimeDriver(world);
        driver.Add(kdamond);
        return new Rig(ctx, driver, kdamond);
    }

    [Theory]
    [InlineData(0UL, 0UL, 0UL)]
    [InlineData(0UL, 1UL, 1UL)]
    [InlineData(1UL, 1UL, 1UL)]
    public void ZeroAndOneMicrosecondIntervalsCostOneMicrosecondPerIteration(ulong sampleUs, ulong aggrUs, ulong opsUpdateUs)
    {
        var rig = NewRig(sampleUs, aggrUs, opsUpdateUs);
        int nrAggregations = 0;
        // Without the minimum, time would stay at 0 and this would run for ever: give up instead.
        using var runaway = new CancellationTokenSource();
        rig.Ctx.Aggregated = _ => { if (++nrAggregations > 5_000) runaway.Cancel(); };

        rig.Driver.RunUntil(1_000, runaway.Token);

        Assert.Equal(1_000UL, rig.Driver.NowUs);
        Assert.Equal(1_000UL, rig.Ctx.PassedSampleIntervals);
        // aggr_interval / max(sample_interval, 1) = 0 or 1 sample: every iteration aggregates.
        Assert.Equal(1_000, nrAggregations);
    }

    [Fact]
    public void IntervalsGoalTuningDownToZeroSampleIntervalKeepsTimeMoving()
    {
        // min = max = 0: tuning may only ever pick a zero sample interval.
        var rig = NewRig(0, 0, 0, new IntervalsGoal { AccessBp = 400, Aggrs = 3, MinSampleUs = 0, MaxSampleUs = 0 });
        using var runaway = new CancellationTokenSource();
        int nrAggregations = 0;
        rig.Ctx.Aggregated = _ => { if (++nrAggregations > 5_000) runaway.Cancel(); };

        rig.Driver.RunUntil(2_000, runaway.Token);

        Assert.Equal(2_000UL, rig.Driver.NowUs);
        Assert.Equal(0UL, rig.Ctx.Attrs.SampleIntervalUs);
        Assert.Equal(2_000, nrAggregations);
    }

    [Fact]
    public void CancellingStopsAtTheNextIterationAndTheKdamondStillStops()
    {
        var rig = NewRig(5_000, 100_000, 1_000_000);
        using var cts = new CancellationTokenSource();
        int nrAggregations = 0;
        rig.Ctx.Aggregated = _ => { if (++nrAggregations == 3) cts.Cancel(); };

        Assert.ThrowsAny<OperationCanceledException>(() => rig.Driver.RunUntil(ulong.MaxValue / 2, cts.Token));

        // The third aggregation ends at 300 ms; the kdamond slept once more before the check.
        Assert.Equal(3, nrAggregations);
        Assert.Equal(300_000UL, rig.Driver.NowUs);
        Assert.Equal(1, rig.Driver.NrActive);
        rig.Driver.StopAll();
        Assert.True(rig.Kdamond.Finished);
        Assert.Equal(3, nrAggregations);
    }

    [Fact]
    public void CancellationReachesTheWorldDuringOneLongAdvance()
    {
        var world = new CountingWorld();
        // One sample interval of 10 s: the world advances 10 s at once.
        var rig = NewRig(10_000_000, 10_000_000, 10_000_000, world: world);
        using var cts = new CancellationTokenSource();
        world.OnAdvance = () => cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => rig.Driver.RunUntil(100_000_000, cts.Token));

        Assert.Equal(1, world.NrAdvances);
        Assert.True(world.SawCancelledToken);
    }

    /// <summary>A world that reports the token it was given; the default overload would drop it.</summary>
    private sealed class CountingWorld : IVirtualWorld
    {
        public Action? OnAdvance { get; set; }
        public int NrAdvances { get; private set; }
        public bool SawCancelledToken { get; private set; }

        public void AdvanceTo(ulong nowUs) => NrAdvances++;

        public void AdvanceTo(ulong nowUs, CancellationToken cancel)
        {
            NrAdvances++;
            OnAdvance?.Invoke();
            SawCancelledToken = cancel.IsCancellationRequested;
            cancel.ThrowIfCancellationRequested();
        }
    }
}
