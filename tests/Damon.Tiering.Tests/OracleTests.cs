using Damon.Sim.Memory;
using Damon.Sim.Running;
using Damon.Tiering.FirstTouch;
using Damon.Tiering.Oracle;
using Damon.Tiering.Policy;
using Xunit;

namespace Damon.Tiering.Tests;

public class OracleTests
{
    // Page p of 600 is read p + 1 times; the fast node (2 MiB) holds 512 pages: pages 88..599 win.
    private const int NrPages = 600, FastPages = 512;

    [Fact]
    public void The_static_oracle_places_exactly_the_most_accessed_pages_on_the_fast_node()
    {
        var spec = TinyMachine.Spec(fastBytes: 2 * TinyMachine.MiB);
        var profile = AccessProfile.Record(
            new Simulation(new FirstTouchPolicy().Configure(spec), new TinyMachine.CountedTrace(NrPages), 7), 200_000, 50_000, FastPages);
        Assert.Equal(NrPages, profile.WholeRun.Count);
        Assert.All(profile.WholeRun, kv => Assert.Equal(FramePages.VpageOfKey(kv.Key) - FramePages.VpageOfKey(profile.WholeRun.Keys.Min()) + 1, kv.Value));

        var oracle = new StaticOraclePolicy(profile);
        var sim = new Simulation(oracle.Configure(spec), new TinyMachine.CountedTrace(NrPages), 7);
        oracle.Attach(sim, TierNodes.Of(sim.Machine));
        sim.RunUntil(200_000);
        oracle.Tick(200_000);
        var m = sim.Machine;
        ulong start = m.Processes[0].Vmas.First(v => v.Name == "anon").Start;
        for (int p = 0; p < NrPages; p++)
            Assert.Equal(p >= NrPages - FastPages ? 0 : 1, m.NodeOfAddr(1, start + (ulong)p * PageSizes.PageSize));
    }

    /// <summary>
    /// Writes each of 1024 pages once, then reads pages 512..767 until <paramref name="windowNs"/>
    /// and pages 768..1023 until twice that: two windows whose hot sets differ.
    /// </summary>
    private sealed class TwoPhaseTrace(ulong windowNs) : Damon.Sim.Workloads.IWorkload
    {
        public const int NrPages = 1024;
        private ulong _start;
        private int _populated, _next;
        public string Name => "two-phase";

        public void Setup(Damon.Sim.Workloads.IWorkloadHost host)
        {
            int pid = host.CreateProcess("two-phase");
            host.CreateThread(pid, 0);
            _start = host.Mmap(pid, NrPages * PageSizes.PageSize);
        }

        public int NextBatch(Damon.Sim.Workloads.IWorkloadHost host, int tid, ulong nowNs, Span<Damon.Sim.Workloads.MemAccess> batch, out ulong computeNs)
        {
            computeNs = 0;
            int n = 0;
            while (n < batch.Length && _populated < NrPages)
                batch[n++] = new(_start + (ulong)_populated++ * PageSizes.PageSize, true);
            if (n > 0 || nowNs >= 2 * windowNs) return n;
            int first = nowNs < windowNs ? 512 : 768;
            while (n < batch.Length)
                batch[n++] = new(_start + (ulong)(first + _next++ % 256) * PageSizes.PageSize, false);
            return n;
        }
    }

    [Fact]
    public void The_window_oracle_puts_each_windows_most_accessed_pages_on_the_fast_node()
    {
        // Fast node 512 pages. First touch fills it with pages 0..511; 512..1023 land on the slow node.
        // Window 0 (0–10 ms): pages 512..767 are read hundreds of times, the rest once (the populate
        // write), so the window's top 512 are 512..767 plus 256 once-touched ones. Window 1: only
        // 768..1023 are read, so they are its top. The static oracle would want both sets from the
        // start; the window oracle must have 768..1023 on the slow node in window 0, the fast in 1.
        const ulong WindowUs = 10_000;
        var spec = TinyMachine.Spec(fastBytes: 2 * TinyMachine.MiB);
        var profile = AccessProfile.Record(
            new Simulation(new FirstTouchPolicy().Configure(spec), new TwoPhaseTrace(WindowUs * 1000), 7), 2 * WindowUs, WindowUs, FastPages);
        Assert.Equal(2, profile.Windows.Count);

        var oracle = new WindowOraclePolicy(profile);
        var sim = new Simulation(oracle.Configure(spec), new TwoPhaseTrace(WindowUs * 1000), 7);
        oracle.Attach(sim, TierNodes.Of(sim.Machine));
        var m = sim.Machine;
        sim.RunUntil(WindowUs / 2);
        ulong start = m.Processes[0].Vmas.First(v => v.Name == "anon").Start;
        int[] NodesOf(int first) => Enumerable.Range(first, 256).Select(p => m.NodeOfAddr(1, start + (ulong)p * PageSizes.PageSize)).Distinct().ToArray();
        Assert.Equal([1], NodesOf(512));                           // before the oracle acts

        oracle.Tick(WindowUs / 2);                                 // in window 0
        Assert.Equal([0], NodesOf(512));
        Assert.Equal([1], NodesOf(768));

        sim.RunUntil(WindowUs);
        oracle.Tick(WindowUs);                                     // window 1 starts
        Assert.Equal([0], NodesOf(768));
    }
}
