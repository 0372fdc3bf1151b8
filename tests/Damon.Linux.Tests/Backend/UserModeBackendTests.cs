using Damon.Config.Schema;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Host;
using Damon.Linux.Backend;
using Damon.Linux.Sysfs;
using Damon.Linux.Tests.Backend.Fakes;
using Xunit;

namespace Damon.Linux.Tests.Backend;

/// <summary>User mode on the fake tree and a fake action layer: the kernel only monitors, Damon acts.</summary>
public sealed class UserModeBackendTests
{
    private const ulong MiB = 1 << 20;
    private const ulong RamStart = 0x100000;

    private static (LinuxBackend Backend, FakeSysfsTree Tree, FakePacer Pacer, FakeUserModeActions Actions, FakeMetrics Metrics, StringWriter Notices)
        Make(SysfsKernelLevel level)
    {
        var kernel = new FakeKernel(level);
        var actions = new FakeUserModeActions();
        var metrics = new FakeMetrics { NodeTotal = 1000 * MiB, NodeFree = 500 * MiB };
        var notices = new StringWriter();
        var backend = kernel.Backend(LinuxBackendMode.User, new StaticMemoryLayout([new AddrRange(RamStart, RamStart + 64 * MiB)]),
            actions, metrics, notices);
        return (backend, kernel.Tree, kernel.Pacer, actions, metrics, notices);
    }

    private static SchemeSpec MigrateHot(ulong quotaSz) => new()
    {
        Action = "migrate_hot",
        TargetNid = 0,
        AccessPattern = new AccessPatternSpec
        {
            NrAccessesUnit = NrAccessesUnit.Samples, NrAccessesMin = 5, NrAccessesMax = 20,
            AgeUnit = AgeUnit.AggrIntervals, AgeMin = 0, AgeMax = uint.MaxValue,
        },
        Quotas = new QuotasSpec { SzBytes = quotaSz, ResetIntervalMs = 1000 },
    };

    private static KdamondsSpec Paddr(params SchemeSpec[] schemes) => new()
    {
        Kdamonds = [new KdamondSpec { Contexts = [new ContextSpec { Ops = "paddr", Targets = [new TargetSpec()], Schemes = [.. schemes] }] }],
    };

    /// <summary>The kernel's view each aggregation: the first 4 MiB hot, the rest idle.</summary>
    private static void HotHead(FakeSysfsTree tree) => tree.SetKernelTriedRegions(0, 0, 0,
    [
        new TriedRegionSpec { Start = RamStart, End = RamStart + 4 * MiB, NrAccesses = 20, Age = 5 },
        new TriedRegionSpec { Start = RamStart + 4 * MiB, End = RamStart + 64 * MiB, NrAccesses = 0, Age = 9 },
    ]);

    [Fact]
    public void The_kernel_runs_only_the_monitoring_scheme_and_Damon_applies_one_MiB_per_quota_window()
    {
        var (backend, tree, pacer, actions, _, _) = Make(SysfsKernelLevel.V6_12);
        backend.Start(Paddr(MigrateHot(MiB)));
        Assert.Equal("1", tree.Read("kdamonds/0/contexts/0/schemes/nr_schemes"));
        Assert.Equal("stat", tree.Read("kdamonds/0/contexts/0/schemes/0/action"));
        Assert.DoesNotContain(tree.Writes, w => w.Contains("migrate_hot", StringComparison.Ordinal));
        // The default paddr region: the System RAM of the layout.
        Assert.Equal($"{RamStart}", tree.Read("kdamonds/0/contexts/0/targets/0/regions/0/start"));

        pacer.BeforeAggregation = _ => HotHead(tree);
        int nrSnapshots = 0;
        backend.Aggregated += _ => nrSnapshots++;
        backend.Run(RunLimit.ForUs(1_000_000), CancellationToken.None);
        Assert.Equal(10, nrSnapshots);
        Assert.Equal([(-1, RamStart, RamStart + MiB, DamosAction.MigrateHot, 0)], actions.Calls);

        backend.Run(RunLimit.ForUs(100_000), CancellationToken.None);
        Assert.Equal((-1, RamStart + MiB, RamStart + 2 * MiB, DamosAction.MigrateHot, 0), actions.Calls[^1]);

        var status = backend.Status(triedRegions: false, CancellationToken.None);
        var s = status.Kdamonds[0].Contexts[0].Schemes.Single();
        Assert.Equal("migrate_hot", s.Action);
        Assert.Equal(2 * MiB, s.Stats!.SzApplied);
        Assert.Equal("on", status.Kdamonds[0].State);
    }

    [Fact]
    public void Node_goal_metrics_a_6_12_kernel_lacks_run_in_Damon_from_the_metrics()
    {
        var (backend, tree, pacer, _, metrics, _) = Make(SysfsKernelLevel.V6_12);
        var scheme = MigrateHot(4 * MiB);
        scheme.Quotas.Goals.Add(new QuotaGoalSpec { Metric = "node_mem_used_bp", Nid = 0, TargetValue = 9960 });
        var places = backend.Start(Paddr(scheme));
        Assert.DoesNotContain(tree.Writes, w => w.Contains("node_mem_used_bp", StringComparison.Ordinal));
        pacer.BeforeAggregation = _ => HotHead(tree);
        metrics.NodeFree = 750 * MiB;
        backend.Run(RunLimit.ForUs(100_000), CancellationToken.None);
        var goal = backend.EngineContextOf(places[0])!.Schemes[0].Quota.Goals[0];
        Assert.Equal(DamosQuotaGoalMetric.NodeMemUsedBp, goal.Metric);
        Assert.Equal(2500UL, goal.CurrentValue);
    }

    [Fact]
    public void A_young_filter_is_refused_in_one_line_naming_it_and_nothing_is_written()
    {
        var (backend, tree, _, _, _, _) = Make(SysfsKernelLevel.V6_12);
        var scheme = MigrateHot(0);
        scheme.Filters.Add(new FilterSpec { FilterType = "young", Matching = true, Allow = true });
        var e = Assert.Throws<BackendRefusedException>(() => backend.Start(Paddr(scheme)));
        Assert.Equal("damon: scheme 0 (migrate_hot) cannot run in user mode: filter 'young' cannot be evaluated: no page_idle bitmap", e.Message);
        Assert.Empty(tree.Writes);
    }

    [Fact]
    public void Actions_without_a_system_call_are_refused_in_one_line()
    {
        var (backend, _, _, _, _, _) = Make(SysfsKernelLevel.V6_12);
        var e = Assert.Throws<BackendRefusedException>(() => backend.Start(Paddr(new SchemeSpec { Action = "lru_prio" })));
        Assert.Equal("damon: scheme 0 action lru_prio is not available in user mode: no system call moves a page between the active and inactive LRU lists", e.Message);
    }

    [Fact]
    public void A_vaddr_target_that_exits_is_dropped_and_the_other_keeps_being_served()
    {
        var (backend, tree, pacer, actions, _, notices) = Make(SysfsKernelLevel.V6_12);
        var spec = KernelModeTests.VaddrSpec(100, 200);
        spec.Kdamonds[0].Contexts[0].Schemes.Add(MigrateHot(0));
        backend.Start(spec);
        pacer.BeforeAggregation = n =>
        {
            tree.SetKernelTriedRegions(0, 0, 0, n < 2 ? [new TriedRegionSpec { Start = 0, End = MiB, NrAccesses = 20, Age = 1 }] : []);
            tree.SetKernelTriedRegions(0, 0, 1, [new TriedRegionSpec { Start = 8 * MiB, End = 9 * MiB, NrAccesses = 20, Age = 1 }]);
            if (n == 2) actions.Dead.Add(100);
        };
        var end = backend.Run(RunLimit.ForUs(300_000), CancellationToken.None);
        Assert.Equal(RunEndReason.LimitReached, end.Reason);
        Assert.Equal([100, 200, 200, 200], actions.Calls.Select(c => c.Pid));
        Assert.Equal("damon: target 0 (pid 100) exited; dropped, the other targets keep being served\n", notices.ToString().Replace("\r", ""));
    }
}
