using BenchmarkDotNet.Attributes;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;

namespace Damon.Bench.Schemes;

/// <summary>
/// One DAMOS apply round (kdamond_apply_schemes) over 1,000 regions with four schemes that use
/// size and time quotas, a quota goal, core filters (addr, target) and an ops filter (anon, checked
/// per 4 KiB page by the test operations set). Each iteration starts a new quota window, so every
/// round does the same work: quota adjustment with the score histogram, pattern matching, the
/// quota cut and the merge-back; ages grow by one per round as aggregation would make them.
/// Per region-scheme pair: mean / (NrRegions × 4).
/// </summary>
[MemoryDiagnoser]
public class ApplyRoundBench
{
    private const ulong RegionSz = 64 << 10;
    private DamonContext _ctx = null!;
    private ManualClock _clock = null!;

    [Params(1_000)]
    public int NrRegions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var ops = new TestOperations(OperationsId.Paddr) { LogApplied = false };
        ops.PageIsOfType = static (_, addr, f) => f.Type == DamosFilterType.Anon && (addr >> 12 & 1) == 0;
        _clock = new ManualClock();
        _ctx = new DamonContext(seed: 7) { Ops = ops, Clock = _clock };
        var t = new Target();
        for (int i = 0; i < NrRegions; i++)
        {
            // Neighbours always differ in nr_accesses, so the merge-back only undoes quota cuts.
            var r = t.NewRegion((ulong)i * RegionSz, (ulong)(i + 1) * RegionSz);
            r.NrAccesses = r.LastNrAccesses = (uint)(i * 7 % 21);
            r.Age = (uint)(i % 50);
            t.AddRegion(r);
        }
        _ctx.AddTarget(t);
        ulong total = (ulong)NrRegions * RegionSz;

        var pageout = new Damos(new DamosAccessPattern(0, ulong.MaxValue, 0, 3, 5, uint.MaxValue), DamosAction.Pageout,
            quota: new DamosQuota { Sz = total / 4, ResetIntervalMs = 1000, WeightNrAccesses = 1, WeightAge = 1 });
        pageout.AddFilter(new DamosFilter(DamosFilterType.Addr, matching: true, allow: false) { AddrRange = new AddrRange(0, total / 10) });

        var migrateHot = new Damos(new DamosAccessPattern(0, ulong.MaxValue, 10, 20, 0, uint.MaxValue), DamosAction.MigrateHot,
            quota: new DamosQuota { Ms = 10, Sz = total / 2, ResetIntervalMs = 1000, WeightNrAccesses = 3, WeightAge = 1 }, targetNid: 0);
        migrateHot.AddFilter(new DamosFilter(DamosFilterType.Target, matching: true, allow: true) { TargetIdx = 0 });

        var lruPrio = new Damos(new DamosAccessPattern(0, ulong.MaxValue, 5, 20, 0, uint.MaxValue), DamosAction.LruPrio,
            quota: new DamosQuota { Sz = total, ResetIntervalMs = 1000, WeightNrAccesses = 1 });
        lruPrio.Quota.Goals.Add(new DamosQuotaGoal(DamosQuotaGoalMetric.UserInput, 10000) { CurrentValue = 5000 });
        lruPrio.AddFilter(new DamosFilter(DamosFilterType.Anon, matching: true, allow: true));

        var stat = new Damos(DamosAccessPattern.Any, DamosAction.Stat);

        foreach (var s in new[] { pageout, migrateHot, lruPrio, stat })
        {
            DamosCore.SetFiltersDefaultReject(s);
            DamosCore.AddScheme(_ctx, s);
        }
    }

    [Benchmark]
    public ulong ApplyRound()
    {
        // Due now, in a new quota window, one aggregation older (actions reset the age they apply to).
        foreach (var r in _ctx.Targets[0].Regions)
            r.Age++;
        _ctx.PassedSampleIntervals += 20;
        _clock.NowNs += 1_000_000_000;
        DamosCore.ApplySchemes(_ctx);
        return _ctx.Schemes[3].Stat.NrTried;
    }
}
