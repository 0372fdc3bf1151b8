using Damon.Core.Monitoring;
using Damon.Core.Sampling;
using Damon.Sim.Machine;
using Damon.Sim.Reports;
using Damon.Sim.Workloads;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests.Reports;

/// <summary>The PMU-like sampler: its reports are exactly the sampled accesses, with who made them.</summary>
public class PmuSamplerTests
{
    private static (SimMachine M, int Pid, int Tid, ulong Base, DamonContext Ctx) Make(Func<SimMachine, SimPmuSampler> newSampler)
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 256 * 4096);
        Touch(m, tid, a, 256 * 4096);
        var ctx = new DamonContext(seed: 1);
        var sampler = newSampler(m);
        m.PmuSampler = sampler;
        sampler.AddContext(ctx);
        return (m, pid, tid, a, ctx);
    }

    private static MemAccess[] Accesses(ulong a, int n, int from = 0) =>
        [.. Enumerable.Range(from, n).Select(i => new MemAccess(a + (ulong)i * 4096 + (ulong)i, Write: i % 3 == 0))];

    private static DamonAccessReport ReportOf(SimMachine m, int pid, int tid, int cpu, MemAccess acc)
    {
        Assert.True(m.TryTranslate(pid, acc.Addr, out uint f));
        return new DamonAccessReport(((ulong)f << 12) | (acc.Addr & 4095), acc.Addr, 1, cpu, tid, acc.Write, pid);
    }

    [Fact]
    public void every_nth_access_of_a_thread_is_reported_across_batches()
    {
        var (m, pid, tid, a, ctx) = Make(m => new SimPmuSampler(m, period: 4));
        var first = Accesses(a, 10);
        var second = Accesses(a, 5, from: 10);
        m.RunBatch(m.Thread(tid), first, 0);
        m.RunBatch(m.Thread(tid), second, 0);
        MemAccess[] all = [.. first, .. second];
        // Accesses 4, 8 and 12 (1-based) of the 15.
        var expected = new[] { 3, 7, 11 }.Select(i => ReportOf(m, pid, tid, 0, all[i]));
        Assert.Equal(expected, ctx.AccessReports.Drain().ToArray().Select(r => r with { ReportTimeNs = 0 }));
        Assert.Equal(3ul, m.PmuSampler!.NrSamples);
    }

    [Fact]
    public void a_seeded_sampler_starts_at_a_random_point_then_keeps_the_period_and_repeats_from_its_seed()
    {
        DamonAccessReport[] Run(ulong seed, out MemAccess[] all)
        {
            var (m, _, tid, a, ctx) = Make(m => new SimPmuSampler(m, period: 5, seed: seed));
            int other = m.CreateThread(1, 2);
            all = Accesses(a, 40);
            m.RunBatch(m.Thread(tid), all, 0);
            // Another thread counts its own accesses from its own random start.
            m.RunBatch(m.Thread(other), Accesses(a, 3), 0);
            return [.. ctx.AccessReports.Drain().ToArray().Where(r => r.Tid == tid)];
        }
        var reports = Run(99, out var accesses);
        Assert.Equal(8, reports.Length);
        int firstIdx = Array.FindIndex(accesses, x => x.Addr == reports[0].Vaddr);
        Assert.InRange(firstIdx, 0, 4);
        for (int k = 0; k < reports.Length; k++)
            Assert.Equal(accesses[firstIdx + 5 * k].Addr, reports[k].Vaddr);
        Assert.Equal(reports, Run(99, out _));
    }

    [Fact]
    public void cycle_sampling_reports_the_access_running_at_each_period_boundary()
    {
        // 1 GHz and 2000 cycles: a sample every 2 us of the thread's time. One access per batch,
        // so the access of the batch whose time span holds a boundary is the sample.
        var (m, pid, _, a, ctx) = Make(m => new SimPmuSampler(m, period: 2000, PmuPeriodUnit.Cycles, cpuGhz: 1.0));
        int tid = m.CreateThread(pid, 5);
        var th = m.Thread(tid);
        var spans = new List<(ulong From, ulong To, MemAccess Acc)>();
        foreach (var acc in Accesses(a, 200))
        {
            ulong from = th.ClockNs;
            m.RunBatch(th, [acc], computeNs: 300);
            spans.Add((from, th.ClockNs, acc));
        }
        var reports = ctx.AccessReports.Drain().ToArray();
        // The first boundary is at the end of the first period (no seed): t0 + 1999, then every 2000 ns.
        ulong t0 = spans[0].From;
        var expected = new List<DamonAccessReport>();
        for (ulong b = t0 + 1999; b < spans[^1].To; b += 2000)
        {
            var s = spans.First(x => x.From <= b && b < x.To);
            expected.Add(ReportOf(m, pid, tid, 5, s.Acc));
        }
        Assert.True(expected.Count >= 30, $"{expected.Count} boundaries only");
        Assert.Equal(expected, reports.Select(r => r with { ReportTimeNs = 0 }));
    }

    [Fact]
    public void a_sample_cost_is_charged_to_the_sampled_thread()
    {
        var (m, _, tid, a, _) = Make(m => new SimPmuSampler(m, period: 2, sampleCostNs: 700));
        var th = m.Thread(tid);
        ulong stall = th.StallNs;
        m.RunBatch(th, Accesses(a, 6), 0);
        Assert.Equal(3 * 700ul, th.StallNs - stall);
    }
}
