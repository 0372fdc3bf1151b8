using BenchmarkDotNet.Attributes;
using Damon.Core.Monitoring;

namespace Damon.Bench.Core;

/// <summary>
/// One aggregation step in steady state: merge (split pieces of each stripe merge back), re-apply
/// min_nr_regions, reset, then split every region in two. Before it, a window's worth of
/// nr_accesses is written per region, as the sampling steps would have. Per-region cost is the
/// mean divided by NrRegions (the count after merge).
/// </summary>
[MemoryDiagnoser]
public class AggregationStepBench
{
    private DamonContext _ctx = null!;
    private ulong _szLimit;
    private const ulong StripeSz = 1 << 20;

    [Params(10, 1_000, 10_000)]
    public int NrRegions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // max = 2N + 1 keeps N <= max/2, so each step splits every region in two.
        _ctx = StripedOperations.NewContext(NrRegions, StripeSz, aggrIntervalUs: 100_000, maxNrRegions: (ulong)NrRegions * 2 + 1);
        _szLimit = DamonCore.ApplyMinNrRegions(_ctx);
        DamonCore.KdamondSplitRegions(_ctx);
    }

    [Benchmark]
    public ulong AggregationStep()
    {
        var ctx = _ctx;
        foreach (var t in ctx.Targets)
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
                r.NrAccesses = (r.Start / StripeSz & 1) == 0 ? 20u : 0u;
        DamonCore.KdamondMergeRegions(ctx, 20 / 10, _szLimit);
        _szLimit = DamonCore.ApplyMinNrRegions(ctx);
        DamonCore.ResetAggregated(ctx);
        DamonCore.KdamondSplitRegions(ctx);
        return ctx.NrRegions();
    }
}
