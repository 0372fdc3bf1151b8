using Damon.Sim.Running;
using Damon.Tiering.Harness;
using Damon.Tiering.NumaTpp;
using Damon.Tiering.Policy;
using Damon.Tiering.Scenarios;
using Xunit;

namespace Damon.Tiering.Tests;

/// <summary>
/// The harness's one ping-pong count (<see cref="PingPongCounter"/>), and the accessor meter's
/// traffic from its start, on the socket-split program of the accessor scenarios (two sockets,
/// nodes 0 and 1, CXL node 2), with migrations made by hand.
/// </summary>
public class PingPongCounterTests
{
    private static readonly string ScenarioDir = Path.Combine(RepoPaths.Root(), "configs", "scenarios");

    private static (Simulation Sim, ScenarioWorkload Sw, Damon.Tiering.ReportUseCases.SocketSplitWorkload Split, NumaTppPolicy Policy) Populated()
    {
        var sc = ScenarioFile.Parse("""
            name: ping-pong
            machine: two-socket-cxl.machine.json
            duration: 1s
            workloads:
              - workload: socket-split
                params: { region: 8MiB, threads_per_socket: 2, own: 0.97, cpuns: 2, work: 60s }
            """, "ping-pong.yaml", ScenarioDir);
        var policy = new NumaTppPolicy();
        var workload = (ScenarioWorkload)sc.Workload();
        var sim = new Simulation(policy.Configure(sc.Machine), workload, 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        sim.RunUntil(20_000);
        var split = workload.Parts.Select(p => p.Inner).OfType<Damon.Tiering.ReportUseCases.SocketSplitWorkload>().Single();
        return (sim, workload, split, policy);
    }

    [Fact]
    public void A_page_counts_at_its_second_move_between_counted_nodes_and_a_scenario_move_places_it_afresh()
    {
        var (sim, sw, split, policy) = Populated();
        var m = sim.Machine;
        var counter = new PingPongCounter(m, policy, [0, 2]);
        var handler = counter.Attach();
        uint FrameOf(ulong addr) { Assert.True(m.TryTranslate(split.Pid, addr, out uint f)); return f; }
        ulong a = split.RegionStart[0], b = a + 4096, c = a + 8192;
        Assert.Equal((0, 0, 0), (m.NodeOfAddr(split.Pid, a), m.NodeOfAddr(split.Pid, b), m.NodeOfAddr(split.Pid, c)));
        var demoter = policy.Contexts[0];

        // a: there and back, then there again: one page, attributed to the kernel's move out and the context's back.
        m.MigrateFolio(FrameOf(a), 2, out _);
        m.MigrateFolio(FrameOf(a), 0, out _, demoter);
        m.MigrateFolio(FrameOf(a), 2, out _);
        // b: to node 1 and back, neither move between counted nodes.
        m.MigrateFolio(FrameOf(b), 1, out _);
        m.MigrateFolio(FrameOf(b), 0, out _);
        // c: out by the kernel, then the scenario's move brings it back: placed afresh, so the next move is a first one.
        m.MigrateFolio(FrameOf(c), 2, out _);
        m.MigrateFolio(FrameOf(c), 0, out _, sw.Parts[0]);
        m.MigrateFolio(FrameOf(c), 2, out _);
        m.Migrated -= handler;

        string mover = MoverNames.Of(demoter, policy);
        Assert.Equal(1ul, counter.Pages);
        Assert.Equal(new Dictionary<string, ulong> { [$"{MoverNames.Kernel} / {mover}"] = 1 }, counter.By);
    }

    [Fact]
    public void The_accessor_meters_traffic_counts_from_its_creation_so_the_movers_add_up_to_it()
    {
        var (sim, sw, split, policy) = Populated();
        var m = sim.Machine;
        uint FrameOf(ulong addr) { Assert.True(m.TryTranslate(split.Pid, addr, out uint f)); return f; }
        ulong a = split.RegionStart[0];
        // Before the meter: the machine counts it, the meter must not.
        Assert.Equal(1u, m.MigrateFolio(FrameOf(a), 2, out _));
        var meter = AccessorMeter.For(sw, m.Threads.ToList(), m, policy)!;
        Assert.Equal(1u, m.MigrateFolio(FrameOf(a + 4096), 2, out _));
        var r = meter.Finish(m, sw, 20_000);
        Assert.Equal(4096ul, r.MigratedBytes[0][2]);
        Assert.Equal(4096ul, r.MigratedBytesBy[MoverNames.Kernel][0][2]);
        Assert.Equal([MoverNames.Kernel], r.MigratedBytesBy.Keys);
    }
}
