using Damon.Config.Engine;
using Damon.Config.Io;
using Damon.Config.Schema;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Xunit;

namespace Damon.Config.Tests;

/// <summary>
/// Random engine schemes, with field values at the edges of their types, survive
/// engine → raw JSON/YAML → engine unchanged.
/// </summary>
public class EnginePropertyTests
{
    private static readonly ulong[] EdgeU64 = [0, 1, 4095, 4096, uint.MaxValue, (ulong)uint.MaxValue + 1, (1UL << 53) + 1, ulong.MaxValue - 1, ulong.MaxValue];
    private static readonly uint[] EdgeU32 = [0, 1, 20, 255, int.MaxValue, uint.MaxValue - 1, uint.MaxValue];

    private static ulong U64(Random r) => r.Next(3) == 0 ? EdgeU64[r.Next(EdgeU64.Length)] : (ulong)r.NextInt64() >> r.Next(64);
    private static uint U32(Random r) => r.Next(3) == 0 ? EdgeU32[r.Next(EdgeU32.Length)] : (uint)r.NextInt64(uint.MaxValue + 1L);

    private static DamonContext RandomContext(int seed, MemcgPathTable memcgs)
    {
        var r = new Random(seed);
        var ctx = new DamonContext((ulong)seed);
        ulong sample = (ulong)r.Next(1, 100_000);
        DamonCore.SetAttrs(ctx, new MonitoringAttrs
        {
            SampleIntervalUs = sample,
            AggrIntervalUs = sample * (ulong)r.Next(1, 1000),
            OpsUpdateIntervalUs = U64(r),
            MinNrRegions = (ulong)r.Next(3, 100),
            MaxNrRegions = (ulong)r.Next(100, 100_000),
        });
        var t = new Target(r.Next(0, int.MaxValue));
        ulong start = (ulong)r.Next(0, 1 << 20) * 4096;
        DamonCore.SetRegions(t, [new AddrRange(start, start + (ulong)r.Next(1, 1 << 20) * 4096)], ctx.MinRegionSz);
        ctx.AddTarget(t);
        int nrSchemes = r.Next(1, 4);
        for (int i = 0; i < nrSchemes; i++)
        {
            var quota = new DamosQuota
            {
                Ms = U64(r), Sz = U64(r), ResetIntervalMs = U64(r), FailChargeNum = U64(r), FailChargeDenom = U64(r),
                WeightSz = U32(r), WeightNrAccesses = U32(r), WeightAge = U32(r),
                GoalTuner = (DamosQuotaGoalTuner)r.Next(2),
            };
            var wmarks = new DamosWatermarks
            {
                Metric = (DamosWmarkMetric)r.Next(2), IntervalUs = U64(r), High = U64(r), Mid = U64(r), Low = U64(r),
            };
            var pattern = new DamosAccessPattern(U64(r), U64(r), U32(r), U32(r), U32(r), U32(r));
            var s = new Damos(pattern, (DamosAction)r.Next(11), U64(r), quota, wmarks, r.Next(-1, 8)) { MaxNrSnapshots = U64(r) };
            foreach (var metric in Enum.GetValues<DamosQuotaGoalMetric>().Where(_ => r.Next(3) == 0))
            {
                var g = new DamosQuotaGoal(metric, U64(r)) { CurrentValue = metric == DamosQuotaGoalMetric.UserInput ? U64(r) : 0 };
                if (DamoNames.GoalNeedsNid(metric.SysfsName())) g.Nid = r.Next(0, 64);
                if (DamoNames.GoalNeedsMemcg(metric.SysfsName())) g.MemcgId = memcgs.IdOf($"/cg{r.Next(5)}");
                s.Quota.Goals.Add(g);
            }
            int nrDests = r.Next(0, 3);
            s.MigrateDests.NodeIdArr = Enumerable.Range(0, nrDests).Select(_ => r.Next(0, 64)).ToArray();
            s.MigrateDests.WeightArr = Enumerable.Range(0, nrDests).Select(_ => U32(r)).ToArray();
            foreach (var type in Enum.GetValues<DamosFilterType>().Where(_ => r.Next(3) == 0))
            {
                var f = new DamosFilter(type, r.Next(2) == 0, r.Next(2) == 0);
                switch (type)
                {
                    case DamosFilterType.Memcg: f.MemcgId = memcgs.IdOf($"/cg{r.Next(5)}"); break;
                    case DamosFilterType.Addr:
                        ulong a = U64(r) >> 1;
                        f.AddrRange = new AddrRange(a, a + 1 + (U64(r) >> 2));
                        break;
                    case DamosFilterType.Target: f.TargetIdx = r.Next(0, 4); break;
                    case DamosFilterType.HugepageSize: f.SzRange = new SizeRange(U64(r), U64(r)); break;
                }
                s.AddFilter(f);
            }
            DamosCore.SetFiltersDefaultReject(s);
            DamosCore.AddScheme(ctx, s);
        }
        return ctx;
    }

    private static FsCheck.Config Seeded(ulong seed) =>
        FsCheck.Config.QuickThrowOnFailure.WithMaxTest(150).WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));

    [Fact]
    public void RawTextRoundTripIsExact() => Check.One(Seeded(0xDA305), Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
    {
        var memcgs = new MemcgPathTable();
        var original = RandomContext(seed, memcgs);
        var spec = new KdamondsSpec { Kdamonds = [new KdamondSpec { Contexts = [ContextMapping.FromEngine(original, OperationsId.Vaddr, memcgs)] }] };
        var read = seed % 2 == 0 ? KdamondsJson.Read(KdamondsJson.Write(spec, raw: true)) : KdamondsYaml.Read(KdamondsYaml.Write(spec, raw: true));
        EngineIdentityTests.AssertSame(original, ContextMapping.ToEngine(read, memcgs)[0].Context);
    }));
}
