using System.Diagnostics;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Tiering.Policy;
using Damon.Tiering.ReportUseCases;

namespace Damon.Tiering.NumaTpp;

/// <summary>
/// NUMA balancing as a multi-socket tiered machine runs it, numa_balancing=3 (NORMAL |
/// MEMORY_TIERING), or =2 (MEMORY_TIERING alone, promotion out of the lower tier only): the normal mode's memory half (<see cref="NumaBalancingPlacement"/>: every
/// present page scanned, faults migrate toward the faulting CPU's node through the two-stage filter
/// and the group's fault statistics) with the tiering branch for folios on a lower tier (promoted
/// to the faulting CPU's node while it has room). One scanner per application process; threads stay
/// pinned (task placement off), as the scenarios pin them.
/// </summary>
/// <param name="normal">NUMA_BALANCING_NORMAL: false is numa_balancing=2, which never marks top-tier (DRAM) memory.</param>
public sealed class NumaBalancingAccessorPolicy(string name = NumaTppCatalog.Numab3, bool normal = true) : TieringPolicyBase, IHintFaultHandler, Harness.IMoverNames
{
    private readonly Dictionary<int, NumaBalancingPlacement> _byPid = [];

    public override string Name { get; } = name;
    public override ulong TickIntervalUs => 10_000;
    public override ulong BackgroundNs => _byPid.Values.Aggregate(0UL, (s, p) => s + p.ScanNs);
    public ulong NrHintFaults => _byPid.Values.Aggregate(0UL, (s, p) => s + p.NrHintFaults);
    public ulong NrMigratedPages => _byPid.Values.Aggregate(0UL, (s, p) => s + p.NrMigratedPages);

    /// <summary>Every scanner's migrations are NUMA balancing's (docs/numa-tpp.md, "Results schema").</summary>
    public const string MoverName = "numa-balancing";

    string? Harness.IMoverNames.MoverName(object by) => by is NumaBalancingPlacement p && _byPid.ContainsValue(p) ? MoverName : null;

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    protected override void OnAttach()
    {
        foreach (var p in Machine.Processes.Where(p => p.Name != Harness.PrefilledWorkload.ProcessName))
            _byPid[p.Pid] = new NumaBalancingPlacement(Machine, p.Pid) { MemoryTiering = true, Normal = normal };
        // Each scanner installs itself; the faults go to the one of the faulting process.
        Machine.HintFaultHandler = this;
    }

    protected override void OnTick(ulong nowUs)
    {
        foreach (var p in _byPid.Values) p.Tick(nowUs * 1000);
    }

    public ulong OnHintFault(SimThread thread, uint headFrame, bool write)
    {
        long t0 = Stopwatch.GetTimestamp();
        ulong cost = _byPid.TryGetValue(thread.Process.Pid, out var p) ? p.OnHintFault(thread, headFrame, write) : Machine.Spec.Faults.MinorFaultNs;
        PolicyTicks += Stopwatch.GetTimestamp() - t0;
        return cost;
    }
}
