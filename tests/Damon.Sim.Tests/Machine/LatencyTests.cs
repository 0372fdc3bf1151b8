using Xunit;
using Damon.Sim.Machine;
using Damon.Sim.Running;

namespace Damon.Sim.Tests;

public class LatencyTests
{
    [Fact]
    public void IdleLatenciesComeFromTheSpec()
    {
        var m = new SimMachine(MachineSpec.DefaultTwoTier());
        Assert.Equal(90u, m.Latency.LatencyNs(0, 0, write: false));
        Assert.Equal(220u, m.Latency.LatencyNs(0, 1, write: false));
    }

    [Fact]
    public void RemoteSocketScalesByDistance()
    {
        var spec = new MachineSpec
        {
            Nodes = [new NodeSpec(0, 1UL << 30, 100, 100, 50, 0), new NodeSpec(1, 1UL << 30, 100, 120, 50, 0)],
            Sockets = [new SocketSpec(0, 0, [0]), new SocketSpec(1, 1, [1])],
            Distances = [[10, 21], [21, 10]],
        };
        var m = new SimMachine(spec);
        Assert.Equal(100u, m.Latency.LatencyNs(0, 0, false));
        Assert.Equal(210u, m.Latency.LatencyNs(0, 1, false));
        Assert.Equal(252u, m.Latency.LatencyNs(0, 1, true));
        Assert.Equal(120u, m.Latency.LatencyNs(1, 1, true));
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 2.0)]
    [InlineData(0.8, 5.0)]
    [InlineData(0.99, 20.0)] // capped at ρ = 0.95
    public void QueueingMultiplier(double rho, double expected)
    {
        Assert.Equal(expected, new LoadedLatencySpec().Multiplier(rho), 6);
    }

    [Fact]
    public void ASaturatedFastTierBecomesSlowerThanTheSlowTier()
    {
        // DRAM with a tiny bandwidth: 8 threads streaming from it saturate it.
        var spec = TestMachines.TwoTier(512, 512) with
        {
            Nodes =
            [
                new NodeSpec(0, 512 * TestMachines.MiB, 90, 90, 1, 0),
                new NodeSpec(1, 512 * TestMachines.MiB, 220, 220, 26, 1),
            ],
        };
        var w = new HotRangeWorkload(64 * TestMachines.MiB, 0, 64 * TestMachines.MiB, computeNsPerAccess: 0, nrThreads: 8);
        var sim = new Simulation(spec, w, seed: 3);
        sim.RunFor(2_000);
        Assert.True(sim.Machine.Latency.Utilization(0) > 0.6, $"utilisation {sim.Machine.Latency.Utilization(0)}");
        uint dram = sim.Machine.Latency.LatencyNs(0, 0, false);
        uint cxl = sim.Machine.Latency.LatencyNs(0, 1, false);
        Assert.True(dram > cxl, $"loaded DRAM {dram} ns vs CXL {cxl} ns");
        Assert.True(sim.Machine.Latency.Utilization(1) < 0.01);
    }

    [Fact]
    public void TwoWindowsAtEightyPercentMakeDramSlowerThanIdleCxl()
    {
        // The default machine: DRAM 90 ns / 72 GB/s, CXL 220 ns / 26 GB/s; 100 µs windows,
        // smoothing 0.5. 80 % of DRAM's bandwidth for a window is 0.8 × 72 B/ns × 100,000 ns
        // = 5,760,000 bytes. ρ after one window: 0.5 × 0.8 = 0.4, latency 90 × (1 + 0.4/0.6) = 150 ns;
        // after two: 0.5 × 0.4 + 0.5 × 0.8 = 0.6, 90 × (1 + 0.6/0.4) = 225 ns, above idle CXL's
        // 220 ns; after three: 0.7, 90 × (1 + 0.7/0.3) = 300 ns.
        var m = new SimMachine(MachineSpec.DefaultTwoTier());
        var expected = new uint[] { 150, 225, 300 };
        for (int w = 0; w < 3; w++)
        {
            m.Latency.AddBytes(0, 5_760_000);
            m.Latency.Tick((ulong)(w + 1) * 100_000);
            Assert.Equal(expected[w], m.Latency.LatencyNs(0, 0, write: false));
            Assert.Equal(220u, m.Latency.LatencyNs(0, 1, write: false));
        }
        Assert.Equal(0.7, m.Latency.Utilization(0), 9);
    }

    [Fact]
    public void AnOpenLoadOfEightyPercentSettlesAtEightyPercent()
    {
        // The default machine: DRAM 90 ns / 72 GB/s, 100 µs windows, smoothing 0.5. 80 % of DRAM's
        // bandwidth for a window is 0.8 × 72 B/ns × 100,000 ns = 5,760,000 bytes, whatever the
        // latency (no thread waits on it). The estimate is the occupancy's: window 1 served 0.8 at
        // multiplier 1, n = 0.8, ρ = 0.8/1.8 = 0.444, smoothed 0.222 (90 / 0.778 = 116 ns); window 2
        // at multiplier 1.286, n = 1.029, ρ = 0.507, smoothed 0.365 (142 ns); window 3: 0.461
        // (167 ns). It settles where ρ = 0.8: 90 × 5 = 450 ns, twice idle CXL's 220.
        var m = new SimMachine(MachineSpec.DefaultTwoTier() with { LoadedLatency = new LoadedLatencySpec { FollowLoad = true } });
        var expected = new uint[] { 116, 142, 167 };
        for (int w = 0; w < 300; w++)
        {
            m.Latency.AddBytes(0, 5_760_000);
            m.Latency.Tick((ulong)(w + 1) * 100_000);
            if (w < expected.Length) Assert.Equal(expected[w], m.Latency.LatencyNs(0, 0, write: false));
            Assert.Equal(220u, m.Latency.LatencyNs(0, 1, write: false));
        }
        Assert.Equal(0.8, m.Latency.Utilization(0), 9);
        Assert.Equal(450u, m.Latency.LatencyNs(0, 0, write: false));
    }

    [Fact]
    public void ThreadsWaitingOnASaturatedNodeHoldItAtOneSteadyLatency()
    {
        // Eight threads, nothing but DRAM accesses, 1 GB/s of it: each access's latency is what
        // the node's load makes it, and the load is what that latency lets through. Estimated from
        // the served utilisation, ρ alternated between the 0.95 cap and ~0.6 window by window (a
        // feedback gain of about −7); from the occupancy it holds one value, and the windows'
        // served utilisation averages to it.
        var spec = TestMachines.TwoTier(512, 512) with
        {
            Nodes =
            [
                new NodeSpec(0, 512 * TestMachines.MiB, 90, 90, 1, 0),
                new NodeSpec(1, 512 * TestMachines.MiB, 220, 220, 26, 1),
            ],
            LoadedLatency = new LoadedLatencySpec { FollowLoad = true },
        };
        var w = new HotRangeWorkload(64 * TestMachines.MiB, 0, 64 * TestMachines.MiB, computeNsPerAccess: 0, nrThreads: 8);
        var sim = new Simulation(spec, w, seed: 3);
        sim.RunFor(5_000);
        var rho = new List<double>();
        ulong Served() => sim.Machine.Threads.Aggregate(0UL, (a, t) => a + t.NodeAccesses[0] - t.NrLlcHits);
        ulong before = Served();
        for (int i = 0; i < 100; i++)
        {
            sim.RunFor(100);
            rho.Add(sim.Machine.Latency.Utilization(0));
        }
        double served = (Served() - before) * (double)spec.LoadedLatency.AccessBytes / (1.0 * 100 * 100_000);
        Assert.True(rho.Max() - rho.Min() < 0.02, $"ρ from {rho.Min():F3} to {rho.Max():F3}");
        Assert.Equal(served, rho.Average(), 2);
    }

    [Fact]
    public void LightLoadBarelyChangesLatency()
    {
        var w = new HotRangeWorkload(16 * TestMachines.MiB, 0, 16 * TestMachines.MiB, computeNsPerAccess: 100);
        var sim = new Simulation(TestMachines.TwoTier(), w, seed: 3);
        sim.RunFor(2_000);
        Assert.InRange(sim.Machine.Latency.LatencyNs(0, 0, false), 90u, 92u);
    }

    [Fact]
    public void ThreadTimeIsComputePlusLatencyPlusStalls()
    {
        var m = TestMachines.WithProcess(TestMachines.TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 1 * TestMachines.MiB);
        TestMachines.Touch(m, tid, a, TestMachines.MiB); // 256 faults
        var th = m.Thread(tid);
        Assert.Equal(256UL * m.Spec.Faults.MinorFaultNs, th.StallNs);
        Assert.Equal(256UL * 90, th.MemoryNs);
        ulong before = th.ClockNs;
        m.RunBatch(th, [new(a, false), new(a + 4096, true)], computeNs: 10);
        Assert.Equal(before + 10 + 90 + 90, th.ClockNs);
    }
}
