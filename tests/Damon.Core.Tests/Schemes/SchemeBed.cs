using Damon.Core.Drivers;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// One context on an operations set with regions the test lays out, run by the real kdamond loop
/// in virtual time. min_nr_regions and max_nr_regions default to the initial region count, so
/// monitoring neither splits (count at the maximum) nor merges (two neighbours exceed the size
/// limit, total / min_nr_regions) equal-sized regions: the layout stays as written unless DAMOS
/// changes it, which keeps every expectation derivable by hand.
/// </summary>
internal sealed class SchemeBed
{
    public const ulong KiB = 1UL << 10;
    public const ulong MiB = 1UL << 20;

    public SchemeBed(IReadOnlyList<AddrRange[]> targets, DamonOperations? ops = null, ulong? minNrRegions = null,
        ulong? maxNrRegions = null, ulong sampleUs = 5_000, ulong aggrUs = 100_000, VirtualTimeDriver? driver = null)
    {
        TestOps = new TestOperations();
        Ctx = NewContext(ops ?? TestOps, targets, minNrRegions, maxNrRegions, sampleUs, aggrUs);
        Ctx.Metrics = Metrics;
        Kdamond = new Kdamond(Ctx);
        Driver = driver ?? new VirtualTimeDriver();
    }

    /// <summary>One target of <paramref name="nrRegions"/> regions of <paramref name="regionSz"/> bytes from 0.</summary>
    public SchemeBed(int nrRegions, ulong regionSz, DamonOperations? ops = null, ulong? minNrRegions = null,
        ulong? maxNrRegions = null)
        : this([EvenRanges(0, nrRegions, regionSz)], ops, minNrRegions, maxNrRegions)
    {
    }

    /// <summary>The in-memory operations set; it is the context's ops unless another was given.</summary>
    public TestOperations TestOps { get; }
    public DamonContext Ctx { get; }
    public FakeMetrics Metrics { get; } = new();
    public Kdamond Kdamond { get; }
    public VirtualTimeDriver Driver { get; }
    public Target Target => Ctx.Targets[0];

    public static AddrRange[] EvenRanges(ulong start, int nr, ulong sz)
    {
        var ranges = new AddrRange[nr];
        for (int i = 0; i < nr; i++)
            ranges[i] = new AddrRange(start + (ulong)i * sz, start + (ulong)(i + 1) * sz);
        return ranges;
    }

    public static DamonContext NewContext(DamonOperations ops, IReadOnlyList<AddrRange[]> targets,
        ulong? minNrRegions = null, ulong? maxNrRegions = null, ulong sampleUs = 5_000, ulong aggrUs = 100_000)
    {
        var ctx = new DamonContext(seed: 7) { Ops = ops };
        foreach (var ranges in targets)
        {
            var t = new Target();
            foreach (var range in ranges)
                t.AddRegion(t.NewRegion(range.Start, range.End));
            ctx.AddTarget(t);
        }
        ulong nr = ctx.NrRegions();
        DamonCore.SetAttrs(ctx, new MonitoringAttrs
        {
            SampleIntervalUs = sampleUs,
            AggrIntervalUs = aggrUs,
            MinNrRegions = minNrRegions ?? nr,
            MaxNrRegions = maxNrRegions ?? nr,
        });
        return ctx;
    }

    public Damos AddScheme(Damos s)
    {
        Ctx.Schemes.Add(s);
        return s;
    }

    public void Start() => Driver.Add(Kdamond);

    public void RunUntilMs(ulong ms) => Driver.RunUntil(ms * 1000);

    public Region[] Regions() => [.. Target.Regions];

    /// <summary>The ranges the operations set was asked to act on, in order.</summary>
    public AddrRange[] AppliedRanges(int from = 0) =>
        [.. TestOps.Applied.Skip(from).Select(a => new AddrRange(a.Start, a.End))];
}
