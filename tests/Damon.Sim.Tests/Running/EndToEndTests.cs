using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Sim.GroundTruth;
using Damon.Sim.Running;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

public class EndToEndTests
{
    private const ulong Size = 64 * MiB, HotOff = 16 * MiB, HotLen = 8 * MiB;

    [Fact]
    public void VaddrDamonFindsTheHotRange()
    {
        var w = new HotRangeWorkload(Size, HotOff, HotLen);
        var sim = new Simulation(TwoTier(256, 256), w, seed: 9);
        sim.Machine.EnableGroundTruth();
        var ctx = sim.AddContext(OperationsId.Vaddr);
        sim.AddVaddrTarget(ctx, w.Pid);
        List<(ulong Start, ulong End, uint NrAccesses)> regions = [];
        HotSetScore score = default;
        double err = 1;
        sim.Snapshot += (c, now) =>
        {
            var window = sim.Machine.GroundTruth!.CloseWindow(now * 1000);
            regions = c.Targets[0].Regions.Select(r => (r.Start, r.End, r.NrAccesses)).ToList();
            // Ground truth over the window just closed: DAMON's hot regions should be the hot pages.
            score = AccuracyScore.HotSet(sim.Machine, window, w.Pid, c.Targets[0], r => r.NrAccesses >= 15, minPageAccesses: 50);
            err = AccuracyScore.RegionRateError(sim.Machine, window, w.Pid, c.Targets[0], 20);
        };
        sim.RunFor(3_000_000);

        ulong hotStart = w.Base + HotOff, hotEnd = hotStart + HotLen;
        // Size-weighted mean access rate inside and outside the hot range.
        double inHot = 0, inHotSz = 0, outHot = 0, outHotSz = 0;
        foreach (var (s, e, n) in regions)
        {
            ulong ovl = Overlap(s, e, hotStart, hotEnd);
            inHot += n * (double)ovl;
            inHotSz += ovl;
            ulong mapped = Overlap(s, e, w.Base, w.Base + Size) - ovl;
            outHot += n * (double)mapped;
            outHotSz += mapped;
        }
        Assert.True(inHot / inHotSz > 15, $"hot range rate {inHot / inHotSz}");
        Assert.True(outHot / outHotSz < 10, $"cold range rate {outHot / outHotSz}");

        Assert.True(score.Recall > 0.9, $"recall {score.Recall}");
        Assert.True(score.Precision > 0.9, $"precision {score.Precision}");
        Assert.Equal(HotLen, score.TrueHotBytes);
        Assert.InRange(err, 0, 0.25);
    }

    [Fact]
    public void MigrateHotSchemePromotesTheHotRangeFromCxl()
    {
        // Everything starts on the CXL node; a migrate_hot scheme brings the hot range to DRAM.
        var w = new HotRangeWorkload(Size, HotOff, HotLen, flags: Damon.Sim.Workloads.MapFlags.Anon);
        var spec = TwoTier(256, 256);
        var sim = new Simulation(spec, new BoundTo(w, 1), seed: 4);
        var ctx = sim.AddContext(OperationsId.Vaddr);
        sim.AddVaddrTarget(ctx, w.Pid);
        var s = new Damos(new DamosAccessPattern(0, ulong.MaxValue, 10, uint.MaxValue, 0, uint.MaxValue),
            DamosAction.MigrateHot, targetNid: 0);
        ctx.Schemes.Add(s);
        sim.RunFor(3_000_000);

        ulong hotStart = w.Base + HotOff;
        ulong onDram = PagesOnNode(sim.Machine, w.Pid, hotStart, HotLen, 0);
        Assert.True(onDram > HotLen / 4096 * 9 / 10, $"{onDram} hot pages on DRAM");
        ulong coldOnDram = PagesOnNode(sim.Machine, w.Pid, w.Base + 40 * MiB, 24 * MiB, 0);
        Assert.True(coldOnDram < 24 * MiB / 4096 / 4, $"{coldOnDram} cold pages on DRAM");
        Assert.True(s.Stat.SzApplied >= onDram * 4096);
        Assert.True(sim.Machine.BackgroundNs(ctx) > 0);
        // The context's clock moved by exactly the migration work while the scheme applied.
        Assert.Equal(sim.Machine.BackgroundNs(ctx), s.Quota.TotalChargedNs);
        Assert.True(sim.Machine.NrPromotedPages > 0);
    }

    [Fact]
    public void PaddrDamonFindsTheHotFrames()
    {
        var w = new HotRangeWorkload(Size, HotOff, HotLen, populate: true);
        var sim = new Simulation(TwoTier(128, 128), w, seed: 13);
        var ctx = sim.AddContext(OperationsId.Paddr);
        sim.AddPaddrTarget(ctx);
        List<(ulong Start, ulong End, uint NrAccesses)> regions = [];
        sim.Snapshot += (c, _) => regions = c.Targets[0].Regions.Select(r => (r.Start, r.End, r.NrAccesses)).ToList();
        sim.RunFor(3_000_000);

        // The populate phase touched pages in address order, so the hot range is physically contiguous.
        sim.Machine.TryTranslate(w.Pid, w.Base + HotOff, out uint first);
        sim.Machine.TryTranslate(w.Pid, w.Base + HotOff + HotLen - 4096, out uint last);
        ulong hotStart = (ulong)first << 12, hotEnd = ((ulong)last + 1) << 12;
        Assert.Equal(HotLen, hotEnd - hotStart);
        double inHot = 0, inHotSz = 0, rest = 0, restSz = 0;
        foreach (var (s, e, n) in regions)
        {
            ulong ovl = Overlap(s, e, hotStart, hotEnd);
            inHot += n * (double)ovl;
            inHotSz += ovl;
            rest += n * (double)(e - s - ovl);
            restSz += e - s - ovl;
        }
        Assert.True(inHot / inHotSz > 15, $"hot frames rate {inHot / inHotSz}");
        Assert.True(rest / restSz < 2, $"other frames rate {rest / restSz}");
    }

    private static ulong Overlap(ulong s, ulong e, ulong s2, ulong e2) =>
        Math.Min(e, e2) > Math.Max(s, s2) ? Math.Min(e, e2) - Math.Max(s, s2) : 0;

    /// <summary>Wraps a workload so its mapping is bound to one node (mbind).</summary>
    private sealed class BoundTo(HotRangeWorkload inner, int node) : Damon.Sim.Workloads.IWorkload
    {
        public string Name => inner.Name;

        public void Setup(Damon.Sim.Workloads.IWorkloadHost host)
        {
            inner.Setup(host);
            var m = (Damon.Sim.Machine.SimMachine)host;
            m.SetPolicy(inner.Pid, inner.Base, Size, new Damon.Sim.Workloads.MemPolicy(Damon.Sim.Workloads.MemPolicyMode.Bind, [node]));
        }

        public int NextBatch(Damon.Sim.Workloads.IWorkloadHost host, int tid, ulong nowNs, Span<Damon.Sim.Workloads.MemAccess> batch, out ulong computeNs) =>
            inner.NextBatch(host, tid, nowNs, batch, out computeNs);
    }
}
