using Damon.Config.Engine;
using Damon.Config.Schema;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Host;
using Damon.Host.Snapshots;
using Damon.Linux.Backend;
using Damon.Linux.Backend.Snapshots;
using Damon.Linux.Sysfs;
using Damon.Linux.Tests.Backend.Fakes;
using Damon.Modules.Tier;
using Xunit;

namespace Damon.Linux.Tests.Backend;

/// <summary>Kernel mode on the fake admin tree: what is written, what is read back, how runs end.</summary>
public sealed class KernelModeTests
{
    private const ulong MiB = 1 << 20;

    private static (LinuxBackend Backend, FakeSysfsTree Tree, FakePacer Pacer) Make(SysfsKernelLevel level,
        LinuxBackendMode mode = LinuxBackendMode.Kernel, FakeUserModeActions? actions = null)
    {
        var kernel = new FakeKernel(level);
        var backend = kernel.Backend(mode, new StaticMemoryLayout([new AddrRange(0x100000, 0x40000000)]), actions);
        return (backend, kernel.Tree, kernel.Pacer);
    }

    /// <summary>The staged context TIER's damon_tier_apply_parameters builds on a 1 GiB System RAM.</summary>
    internal static ContextRequest TierRequest()
    {
        var module = new TierModule(TierParams.Default with { Enabled = true }, new StaticMemoryLayout([new AddrRange(0x100000, 0x40000000)]));
        var ctx = module.BuildParamContext(new NoOps());
        return new ContextRequest(new EngineContext(OperationsId.Paddr, ctx), "damon_tier");
    }

    private sealed class NoOps : DamonOperations
    {
        public override OperationsId Id => OperationsId.Paddr;
        public override OpsCallbacks Callbacks => OpsCallbacks.None;
    }

    internal static KdamondsSpec VaddrSpec(params int[] pids) => new()
    {
        Kdamonds = [new KdamondSpec { Contexts = [new ContextSpec { Ops = "vaddr", Targets = [.. pids.Select(p => new TargetSpec { Pid = p })] }] }],
    };

    [Fact]
    public void A_module_spec_is_written_with_damos_protocol_then_turned_on()
    {
        var (backend, tree, _) = Make(SysfsKernelLevel.V6_16);
        var req = TierRequest();
        var places = backend.Start([req], exclusive: true);

        // The same spec, mapped independently and written by damo's protocol to a fresh tree,
        // plus the monitoring scheme, then `on`: exactly the backend's writes.
        var expectedSpec = ContextMapping.FromEngine(req.Built.Context, OperationsId.Paddr, new MemcgPathTable());
        expectedSpec.Schemes.Add(MonitorSchemes.For(0, 1));
        var reference = new FakeSysfsTree(SysfsKernelLevel.V6_16);
        new KdamondsSysfsWriter(reference).Write(new KdamondsSpec { Kdamonds = [new KdamondSpec { Contexts = [expectedSpec] }] });
        reference.Write("kdamonds/0/state", "on");
        Assert.Equal(reference.Writes, tree.Writes);

        Assert.Equal([new BackendContext(0, 0, OperationsId.Paddr, "damon_tier")], places);
        Assert.Equal("3", tree.Read("kdamonds/0/contexts/0/schemes/nr_schemes"));
        Assert.Equal("migrate_hot", tree.Read("kdamonds/0/contexts/0/schemes/0/action"));
        Assert.Equal("node_mem_used_bp", tree.Read("kdamonds/0/contexts/0/schemes/0/quotas/goals/0/target_metric"));
        Assert.Equal("stat", tree.Read("kdamonds/0/contexts/0/schemes/2/action"));
        Assert.Equal("0", tree.Read("kdamonds/0/contexts/0/schemes/2/apply_interval_us"));
        Assert.Equal("on", tree.Read("kdamonds/0/state"));
    }

    [Fact]
    public void A_kernel_without_the_goal_metrics_refuses_TIER_in_one_line_and_writes_nothing()
    {
        var (backend, tree, _) = Make(SysfsKernelLevel.V6_12);
        var e = Assert.Throws<BackendRefusedException>(() => backend.Start([TierRequest()], exclusive: true));
        Assert.StartsWith("damon: this kernel does not accept the quota goal metric 'node_mem_used_bp'", e.Message);
        Assert.EndsWith("(user mode runs such schemes in Damon on this kernel)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(tree.Writes);
    }

    [Fact]
    public void Each_aggregation_raises_a_snapshot_with_the_kernels_regions()
    {
        var (backend, tree, pacer) = Make(SysfsKernelLevel.V6_12);
        backend.Start(VaddrSpec(100));
        pacer.BeforeAggregation = n => tree.SetKernelTriedRegions(0, 0, 0,
        [
            new TriedRegionSpec { Start = 0x1000, End = 0x1000 + 4 * MiB, NrAccesses = (ulong)n, Age = 2 },
            new TriedRegionSpec { Start = 0x1000 + 4 * MiB, End = 0x1000 + 64 * MiB, NrAccesses = 0, Age = 7 },
        ]);
        var snaps = new List<AggregationSnapshot>();
        backend.Aggregated += snaps.Add;
        var end = backend.Run(RunLimit.ForUs(300_000), CancellationToken.None);

        Assert.Equal(new RunEnd(RunEndReason.LimitReached, 300_000), end);
        Assert.Equal([100_000UL, 200_000UL, 300_000UL], snaps.Select(s => s.TimeUs));
        Assert.All(snaps, s => Assert.Equal(100, s.Targets.Single().Pid));
        Assert.Equal([new RegionRow(0x1000, 0x1000 + 4 * MiB, 2, 2), new RegionRow(0x1000 + 4 * MiB, 0x1000 + 64 * MiB, 0, 7)],
            snaps[1].Targets[0].Regions);
        Assert.Equal(3, tree.Commands.Count(c => c.Command == "update_schemes_tried_regions"));
        Assert.Equal([KernelDamon.VaddrSettle], pacer.Sleeps);
    }

    [Fact]
    public void Two_targets_get_one_monitoring_scheme_each_filtered_to_its_target()
    {
        var (backend, tree, pacer) = Make(SysfsKernelLevel.V6_12);
        backend.Start(VaddrSpec(100, 200));
        Assert.Equal("2", tree.Read("kdamonds/0/contexts/0/schemes/nr_schemes"));
        Assert.Equal("target", tree.Read("kdamonds/0/contexts/0/schemes/1/filters/0/type"));
        Assert.Equal("N", tree.Read("kdamonds/0/contexts/0/schemes/1/filters/0/matching"));
        Assert.Equal("1", tree.Read("kdamonds/0/contexts/0/schemes/1/filters/0/damon_target_idx"));
        pacer.BeforeAggregation = _ =>
        {
            tree.SetKernelTriedRegions(0, 0, 0, [new TriedRegionSpec { Start = 0, End = MiB, NrAccesses = 1, Age = 1 }]);
            tree.SetKernelTriedRegions(0, 0, 1, [new TriedRegionSpec { Start = 0, End = 2 * MiB, NrAccesses = 3, Age = 4 }]);
        };
        AggregationSnapshot? last = null;
        backend.Aggregated += s => last = s;
        backend.Run(RunLimit.ForUs(100_000), CancellationToken.None);
        Assert.Equal([100, 200], last!.Targets.Select(t => t.Pid));
        Assert.Equal([new RegionRow(0, 2 * MiB, 3, 4)], last.Targets[1].Regions);
    }

    [Fact]
    public void A_kdamond_that_turned_itself_off_ends_the_run_with_targets_gone()
    {
        var (backend, tree, pacer) = Make(SysfsKernelLevel.V6_12);
        backend.Start(VaddrSpec(100));
        // The target process exits before the third aggregation: the kernel's kdamond stops.
        pacer.BeforeAggregation = n =>
        {
            tree.SetKernelTriedRegions(0, 0, 0, [new TriedRegionSpec { Start = 0, End = MiB, NrAccesses = 1, Age = (ulong)n }]);
            if (n == 3) tree.Write("kdamonds/0/state", "off");
        };
        int nrSnapshots = 0;
        backend.Aggregated += _ => nrSnapshots++;
        var end = backend.Run(RunLimit.UntilStopped, CancellationToken.None);
        Assert.Equal(new RunEnd(RunEndReason.TargetsGone, 300_000), end);
        Assert.Equal(2, nrSnapshots);
    }

    [Fact]
    public void An_update_that_found_no_region_raises_no_snapshot()
    {
        var (backend, tree, pacer) = Make(SysfsKernelLevel.V6_12);
        backend.Start(VaddrSpec(100));
        // The kernel filled tried regions only at the second round (the first ended on its timeout).
        pacer.BeforeAggregation = n => tree.SetKernelTriedRegions(0, 0, 0,
            n == 1 ? [] : [new TriedRegionSpec { Start = 0, End = MiB, NrAccesses = 1, Age = 1 }]);
        var times = new List<ulong>();
        backend.Aggregated += s => times.Add(s.TimeUs);
        backend.Run(RunLimit.ForUs(300_000), CancellationToken.None);
        Assert.Equal([200_000UL, 300_000UL], times);
    }

    [Fact]
    public void Status_reads_the_kernels_stats_and_hides_the_monitoring_scheme()
    {
        var (backend, tree, _) = Make(SysfsKernelLevel.V6_16);
        backend.Start([TierRequest()], exclusive: true);
        tree.SetKernelStats(0, 0, 0, new SchemeStatsSpec { NrTried = 7, SzTried = 7 * MiB, NrApplied = 3, SzApplied = 3 * MiB });
        var status = backend.Status(triedRegions: false, CancellationToken.None);
        var schemes = status.Kdamonds[0].Contexts[0].Schemes;
        Assert.Equal(["migrate_hot", "migrate_cold"], schemes.Select(s => s.Action));
        Assert.Equal(3 * MiB, schemes[0].Stats!.SzApplied);
        Assert.Equal("on", status.Kdamonds[0].State);
        Assert.Contains(("kdamonds/0", "update_schemes_stats"), tree.Commands);
    }

    [Fact]
    public async Task Commit_writes_the_new_parameters_with_the_monitoring_scheme_then_commit()
    {
        var (backend, tree, _) = Make(SysfsKernelLevel.V6_12);
        backend.Start(VaddrSpec(100));
        var changed = VaddrSpec(100);
        changed.Kdamonds[0].Contexts[0].Intervals.AggrUs = 200_000;
        changed.Kdamonds[0].Contexts[0].Schemes.Add(new SchemeSpec { Action = "pageout" });
        await backend.Commit(changed);
        Assert.Equal("200000", tree.Read("kdamonds/0/contexts/0/monitoring_attrs/intervals/aggr_us"));
        Assert.Equal("pageout", tree.Read("kdamonds/0/contexts/0/schemes/0/action"));
        Assert.Equal("stat", tree.Read("kdamonds/0/contexts/0/schemes/1/action"));
        Assert.Equal(("kdamonds/0", "commit"), tree.Commands[^1]);
    }

    [Fact]
    public void Stop_turns_the_kdamonds_off_and_a_second_start_is_then_allowed()
    {
        var (backend, tree, _) = Make(SysfsKernelLevel.V6_12);
        backend.Start(VaddrSpec(100));
        Assert.Throws<Damon.Core.DamonException>(() => backend.Start(VaddrSpec(200)));
        backend.Stop();
        Assert.Equal("off", tree.Read("kdamonds/0/state"));
        Assert.Equal(new RunEnd(RunEndReason.Stopped, 0), backend.Run(RunLimit.UntilStopped, CancellationToken.None));
    }

    [Fact]
    public void A_tree_without_kdamonds_is_a_kernel_without_DAMON()
    {
        var e = Assert.Throws<BackendRefusedException>(() => new LinuxBackend(new LinuxBackendOptions { Tree = new EmptyTree() }));
        Assert.Equal("damon: this kernel has no DAMON sysfs interface (no kdamonds/ under the admin root; CONFIG_DAMON_SYSFS is off or DAMON is not built)", e.Message);
    }

    private sealed class EmptyTree : ISysfsTree
    {
        public string Read(string path) => throw new SysfsException($"damon: {path}: no such file", path, SysfsException.ENOENT);
        public void Write(string path, string value) => throw new SysfsException($"damon: {path}: no such file", path, SysfsException.ENOENT);
        public bool FileExists(string path) => false;
        public bool DirExists(string path) => false;
        public IReadOnlyList<string> ChildDirs(string path) => [];
    }
}
