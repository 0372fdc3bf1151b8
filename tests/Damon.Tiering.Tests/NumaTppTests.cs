using Damon.Core.Operations;
using Damon.Core.Sampling;
using Damon.Core.Schemes;
using Damon.Sim.Machine;
using Damon.Sim.Running;
using Damon.Tiering.Harness;
using Damon.Tiering.NumaTpp;
using Damon.Tiering.Policy;
using Damon.Tiering.Scenarios;
using Xunit;

namespace Damon.Tiering.Tests;

/// <summary>
/// NUMA-TPP-DAMON (docs/numa-tpp.md) on the accessor scenarios' machine: the paths it builds, the
/// contexts behind them, and short runs of the socket-split program (8 MiB regions, 2.5 s) through
/// the tiering harness with the accessor results.
/// </summary>
public class NumaTppTests
{
    private const ulong MiB = 1UL << 20;
    private static readonly string ScenarioDir = Path.Combine(RepoPaths.Root(), "configs", "scenarios");
    private static MachineSpec Machine => MachineFile.Load(Path.Combine(ScenarioDir, "two-socket-cxl.machine.json"));

    private static TieringScenario Short(string extraParams = "") => ScenarioFile.Parse($$"""
        name: accessor-short
        machine: two-socket-cxl.machine.json
        duration: 2500ms
        workloads:
          - workload: socket-split
            params: { region: 8MiB, threads_per_socket: 2, own: 0.97, cpuns: 2, work: 60s{{extraParams}} }
            migrate: [{ at: 100ms, node: 2 }]
        """, "short.yaml", ScenarioDir);

    private static readonly Lazy<IReadOnlyDictionary<string, PolicyResult>> Runs = new(() =>
        new TieringBench(new TieringBenchOptions
        {
            Scenarios = [Short()],
            Policies = [FirstTouchName, NumaTppCatalog.NumaTpp, NumaTppCatalog.Numab2Socket],
        }).Run().Results.ToDictionary(r => r.Policy));

    private const string FirstTouchName = "first-touch";

    [Fact]
    public void Paths_go_from_the_cpu_less_node_to_each_socket_and_with_dram_paths_also_across_sockets()
    {
        static (int, string, int)[] Of(bool dram) =>
            [.. NumaTppPolicy.PathsOf(Machine, dram).Select(p => (p.SourceNode, p.Accessor.Name, p.DestinationNode))];
        Assert.Equal([(2, "socket0", 0), (2, "socket1", 1)], Of(false));
        Assert.Equal([(0, "socket1", 1), (1, "socket0", 0), (2, "socket0", 0), (2, "socket1", 1)], Of(true));
    }

    [Fact]
    public void Each_path_is_a_paddr_context_on_the_source_node_with_the_accessors_cpumask_and_one_migrate_hot()
    {
        var sc = Short();
        var policy = new NumaTppPolicy();
        var sim = new Simulation(policy.Configure(sc.Machine), sc.Workload(), 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        var (cxlStart, cxlEnd) = sim.Machine.NodePhysRange(2);
        Assert.Equal(2, policy.Contexts.Count);
        for (int i = 0; i < 2; i++)
        {
            var ctx = policy.Contexts[i];
            Assert.Equal(OperationsId.Paddr, ctx.Ops!.Id);
            var t = Assert.Single(ctx.Targets);
            Assert.Equal(cxlStart / ctx.AddrUnit, t.FirstRegion!.Start);
            Assert.Equal(cxlEnd / ctx.AddrUnit, t.LastRegion!.End);
            var control = ctx.Attrs.SampleControl;
            Assert.Equal((false, true), (control.PrimitivesEnabled.PageTable, control.PrimitivesEnabled.PageFault));
            var f = Assert.Single(control.SampleFilters);
            Assert.Equal((DamonSampleFilterType.Cpumask, true, true), (f.Type, f.Matching, f.Allow));
            Assert.Equal(sc.Machine.Sockets[i].Cpus, f.Cpumask!.Cpus().ToArray());
            var s = Assert.Single(ctx.Schemes);
            Assert.Equal((DamosAction.MigrateHot, i), (s.Action, s.TargetNid));
        }
    }

    /// <summary>
    /// Everything is on the CXL node from 100 ms and nothing moves it: no access is local (the CXL
    /// node is no socket's), so the settled ratio is exactly 1 and no region byte is on its node.
    /// </summary>
    [Fact]
    public void Without_migration_every_access_after_the_move_is_remote()
    {
        var a = Runs.Value[FirstTouchName].Accessor!;
        Assert.Equal(1.0, a.RemoteAccessRatioSettled);
        Assert.Equal(0.0, a.BytesOnAccessorNodeRatio);
        Assert.Equal(0ul, a.SocketMigratedBytes);
        Assert.All(a.MigratedBytes.SelectMany(row => row), b => Assert.Equal(0ul, b));
    }

    /// <summary>
    /// NUMA-TPP takes A to node 0 and B to node 1 (the 95 %), moving nothing between the
    /// DRAM nodes (it has no such path); settled, only the program's own cross traffic is remote,
    /// 1 − own = 0.03 (the tolerance: what a region straddling A and B still holds back).
    /// </summary>
    [Fact]
    public void Numa_tpp_puts_each_region_on_its_accessors_node()
    {
        var r = Runs.Value[NumaTppCatalog.NumaTpp];
        var a = r.Accessor!;
        Assert.Equal(["A", "B"], a.Regions.Select(g => g.Name));
        Assert.All(a.Regions, g => Assert.True(g.Ratio >= 0.95, $"{g.Name}: {g.Ratio}"));
        Assert.InRange(a.RemoteAccessRatioSettled, 0.03 - 2e-3, 0.05);
        Assert.Equal((0ul, 0ul), (a.MigratedBytes[0][1], a.MigratedBytes[1][0]));
        Assert.True(a.MigratedBytes[2][0] >= 8 * MiB * 95 / 100 && a.MigratedBytes[2][1] >= 8 * MiB * 95 / 100,
            $"{a.MigratedBytes[2][0]} / {a.MigratedBytes[2][1]}");
        Assert.True(r.NormalizedRuntime < Runs.Value[FirstTouchName].NormalizedRuntime);
    }

    /// <summary>numa_balancing=2 never marks top-tier memory: nothing moves between the DRAM nodes, so nothing ping-pongs there.</summary>
    [Fact]
    public void Numa_balancing_in_tiering_mode_only_promotes_out_of_cxl()
    {
        var a = Runs.Value[NumaTppCatalog.Numab2Socket].Accessor!;
        Assert.Equal((0ul, 0ul, 0ul), (a.MigratedBytes[0][1], a.MigratedBytes[1][0], a.SocketPingPongPages));
        Assert.True(a.MigratedBytes[2][0] + a.MigratedBytes[2][1] > 0);
    }

    [Fact]
    public void Accessor_results_are_in_the_json_rows_of_accessor_scenarios_only()
    {
        var row = AccessorJson.AddTo(Runs.Value[NumaTppCatalog.NumaTpp].Accessor, []);
        Assert.Equal(
            ["remote_access_ratio", "remote_access_ratio_settled", "bytes_on_accessor_node_ratio", "accessor_regions",
             "socket_ping_pong_pages", "socket_migrated_bytes", "migrated_bytes", "socket_ping_pong_by", "demoted_promoted_pages",
             "migrated_bytes_by"],
            row.Select(kv => kv.Key));
        Assert.Empty(AccessorJson.AddTo(null, []));
    }

    /// <summary>
    /// Who moved what: every byte of the policy's traffic is one mover's. NUMA-TPP's is its two
    /// CXL paths' (each to its own socket's node; its demotion contexts found nothing cold on the
    /// DRAM nodes), numa_balancing=2's is NUMA balancing's; the scenario's own move is no one's.
    /// </summary>
    [Fact]
    public void Every_migrated_byte_is_attributed_to_the_mover_that_asked_for_it()
    {
        static ulong Sum(IEnumerable<ulong[][]> ms, int src, int dst) => ms.Aggregate(0UL, (x, mm) => x + mm[src][dst]);
        foreach (var name in new[] { NumaTppCatalog.NumaTpp, NumaTppCatalog.Numab2Socket })
        {
            var a = Runs.Value[name].Accessor!;
            for (int src = 0; src < 3; src++)
                for (int dst = 0; dst < 3; dst++)
                    Assert.Equal(a.MigratedBytes[src][dst], Sum(a.MigratedBytesBy.Values, src, dst));
        }
        var tpp = Runs.Value[NumaTppCatalog.NumaTpp].Accessor!.MigratedBytesBy;
        Assert.Equal(tpp["damon:2->socket0"][2][0], Runs.Value[NumaTppCatalog.NumaTpp].Accessor!.MigratedBytes[2][0]);
        Assert.Equal(0ul, tpp["damon:2->socket0"][2][1]);
        Assert.Equal(tpp["damon:2->socket1"][2][1], Runs.Value[NumaTppCatalog.NumaTpp].Accessor!.MigratedBytes[2][1]);
        Assert.Equal(0ul, tpp["damon:2->socket1"][2][0]);
        Assert.Equal([NumaBalancingAccessorPolicy.MoverName], Runs.Value[NumaTppCatalog.Numab2Socket].Accessor!.MigratedBytesBy.Keys);
        Assert.Empty(Runs.Value[FirstTouchName].Accessor!.MigratedBytesBy);
    }

    /// <summary>
    /// The meter follows pages through migrations as they happen: a page of A sent to node 1 by one
    /// DAMON path and back by the other is one ping-pong page of that pair (a third move adds no
    /// page); a page of B demoted to CXL and promoted again is one demoted-then-promoted page;
    /// the scenario's move and the kernel's own are told apart.
    /// </summary>
    [Fact]
    public void Ping_pong_and_demote_then_promote_are_counted_per_migration_with_their_movers()
    {
        var sc = Short();
        var policy = new NumaTppWithNumaBalancing(NumaTppCatalog.NumaTppAllNumab3, new NumaTppParams { DramPaths = true });
        var workload = sc.Workload();
        var sim = new Simulation(policy.Configure(sc.Machine), workload, 1);
        var m = sim.Machine;
        policy.Attach(sim, TierNodes.Of(m));
        sim.RunUntil(20_000);
        var sw = (ScenarioWorkload)workload;
        var split = sw.Parts.Select(p => p.Inner).OfType<Damon.Tiering.ReportUseCases.SocketSplitWorkload>().Single();
        Assert.NotNull(split.PopulatedNs);
        var app = m.Threads.ToList();
        var meter = AccessorMeter.For(sw, app, m, policy)!;
        var paths = policy.Tpp.Paths.Select((p, i) => (p, i)).ToDictionary(x => $"{x.p.SourceNode}>{x.p.Accessor.Name}", x => policy.Tpp.Contexts[x.i]);
        uint FrameOf(ulong addr) { Assert.True(m.TryTranslate(split.Pid, addr, out uint f)); return f; }
        ulong a = split.RegionStart[0], b = split.RegionStart[1];
        Assert.Equal((0, 0), (m.NodeOfAddr(split.Pid, a), m.NodeOfAddr(split.Pid, b)));

        Assert.Equal(1u, m.MigrateFolio(FrameOf(a), 1, out _, paths["0>socket1"]));
        Assert.Equal(1u, m.MigrateFolio(FrameOf(a), 0, out _, paths["1>socket0"]));
        Assert.Equal(1u, m.MigrateFolio(FrameOf(a), 1, out _, paths["0>socket1"]));
        Assert.Equal(1u, m.MigrateFolio(FrameOf(b), 2, out _, policy.Tpp.DemoteContexts[0]));
        Assert.Equal(1u, m.MigrateFolio(FrameOf(b), 1, out _, paths["2>socket1"]));
        Assert.Equal(1u, m.MigrateFolio(FrameOf(b + 4096), 2, out _));

        var r = meter.Finish(m, sw, 20_000);
        Assert.Equal(new Dictionary<string, ulong> { ["damon:0->socket1 / damon:1->socket0"] = 1 }, r.SocketPingPongBy);
        Assert.Equal(1ul, r.SocketPingPongPages);
        Assert.Equal(1ul, r.DemotedPromotedPages);
        Assert.Equal(["damon:0->cold", "damon:0->socket1", "damon:1->socket0", "damon:2->socket1", MoverNames.Kernel], r.MigratedBytesBy.Keys);
        Assert.Equal(2 * 4096ul, r.MigratedBytesBy["damon:0->socket1"][0][1]);
        Assert.Equal(4096ul, r.MigratedBytesBy[MoverNames.Kernel][0][2]);
        Assert.Equal(MoverNames.Scenario, MoverNames.Of(sw.Parts[0], policy));
    }

    /// <summary>
    /// Demotion toward CXL: region C is written at set-up and never again, everything starts on
    /// node 0 (the main thread's first touch). NUMA-TPP with DRAM paths moves B to node 1 and
    /// demotes C — C's bytes and the workers' idle spin pages leave the DRAM nodes, nothing else — and no
    /// page comes back from CXL: promotion's threshold (14 of 20 samples by one accessor) and
    /// demotion's (no access for 20 aggregations) leave nothing between them to ping-pong. 6 s:
    /// the pages of C still young from their set-up write are kept by the young filter (which makes
    /// them old) and DAMOS restarts the region's age after applying, so they go 2 s after the rest.
    /// </summary>
    [Fact]
    public void Memory_cold_to_every_accessor_is_demoted_and_nothing_comes_back()
    {
        var sc = ScenarioFile.Parse("""
            name: accessor-cold
            machine: two-socket-cxl.machine.json
            duration: 6s
            workloads:
              - workload: socket-split
                params: { region: 8MiB, threads_per_socket: 2, own: 0.97, cpuns: 2, work: 60s, cold: 8MiB }
            """, "cold.yaml", ScenarioDir);
        var r = new TieringBench(new TieringBenchOptions { Scenarios = [sc], Policies = [NumaTppCatalog.NumaTppAll] }).Run().Results.Single();
        var a = r.Accessor!;
        Assert.All(a.Regions, g => Assert.True(g.Ratio >= 0.95, $"{g.Name}: {g.Ratio}"));
        // Node 0 held everything; a region straddling B and C may have taken some of C to node 1
        // with B, whose demotion context then sends it on. The workers' three spin pages are cold too.
        ulong demoted = a.MigratedBytes[0][2] + a.MigratedBytes[1][2];
        Assert.InRange(demoted, 8 * MiB * 95 / 100, 8 * MiB + 3 * 4096);
        Assert.Equal(a.MigratedBytes[0][2], a.MigratedBytesBy["damon:0->cold"][0][2]);
        Assert.True(a.MigratedBytes[0][2] >= 8 * MiB * 90 / 100, $"{a.MigratedBytes[0][2]}");
        Assert.Equal(0ul, a.DemotedPromotedPages);
        Assert.Equal((0ul, 0ul), (a.MigratedBytes[2][0], a.MigratedBytes[2][1]));
    }

    [Fact]
    public void Socket_split_needs_two_sockets_and_known_parameters()
    {
        const string OneSocket = """
            machine:
              nodes:
                - { id: 0, capacity: 64MiB, read_latency_ns: 90, bandwidth_gbps: 72, tier: 0 }
                - { id: 1, capacity: 64MiB, read_latency_ns: 220, bandwidth_gbps: 26, tier: 1 }
              sockets: [{ node: 0, cpus: 2 }]
            """;
        var e = Assert.Throws<ScenarioFileException>(() => ScenarioFile.Parse($"""
            name: x
            {OneSocket}
            duration: 1s
            workloads:
              - workload: socket-split
            """, "x.yaml", "."));
        Assert.Contains("workloads[0]", e.Message);
        Assert.Contains("socket-split: the machine needs two sockets (it has 1)", e.Message);
        var u = Assert.Throws<ScenarioFileException>(() => Short(", shared: 0.5"));
        Assert.Contains("socket-split: unknown parameter 'shared'", u.Message);
        var p = Assert.Throws<ScenarioFileException>(() => ScenarioFile.Parse($"""
            name: x
            {OneSocket}
            duration: 1s
            workloads:
              - workload: gups
            policies: [first-touch, numa-tpp]
            """, "x.yaml", "."));
        Assert.Contains("policies[1]: policy 'numa-tpp' needs a machine with two or more sockets (an accessor per socket); 'machine' has 1", p.Message);
    }

    [Fact]
    public void Accessor_policies_are_known_to_scenario_files_but_not_in_the_two_tier_suite()
    {
        Assert.All(NumaTppCatalog.Names, n => Assert.True(PolicyCatalog.IsKnown(n)));
        Assert.Empty(PolicyCatalog.Names.Intersect(NumaTppCatalog.Names));
        Assert.IsType<NumaTppWithNumaBalancing>(PolicyCatalog.Create(NumaTppCatalog.NumaTppAllNumab3));
    }
}
