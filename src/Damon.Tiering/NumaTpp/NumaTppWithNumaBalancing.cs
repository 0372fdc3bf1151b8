using Damon.Sim.Machine;
using Damon.Tiering.Policy;

namespace Damon.Tiering.NumaTpp;

/// <summary>
/// NUMA-TPP-DAMON and NUMA balancing (numa_balancing=3) on the same machine at once, each with its
/// own marks (the simulator keeps DAMON's page-fault protection and NUMA hinting apart: the
/// "tagged" kernel of docs/results/fault-interference.md, so neither steals the other's faults).
/// What the combination measures is whether their migrations fight, not whether their faults do.
/// </summary>
/// <param name="normal">NUMA balancing's NUMA_BALANCING_NORMAL: false runs it as numa_balancing=2.</param>
public sealed class NumaTppWithNumaBalancing(string name, NumaTppParams tpp, bool normal = true) : TieringPolicyBase, IEngineTimedPolicy, Harness.IMoverNames
{
    private readonly NumaTppPolicy _tpp = new(name, tpp);
    private readonly NumaBalancingAccessorPolicy _numa = new(normal ? NumaTppCatalog.Numab3 : NumaTppCatalog.Numab2Socket, normal);

    public override string Name { get; } = name;
    public NumaTppPolicy Tpp => _tpp;
    public NumaBalancingAccessorPolicy Numa => _numa;
    public override ulong TickIntervalUs => _numa.TickIntervalUs;
    public override ulong BackgroundNs => _tpp.BackgroundNs + _numa.BackgroundNs;
    public override long CostTicks => _tpp.CostTicks + _numa.CostTicks;
    public long RunTicks { set => _tpp.RunTicks = value; }

    public string? MoverName(object by) => ((Harness.IMoverNames)_tpp).MoverName(by) ?? ((Harness.IMoverNames)_numa).MoverName(by);

    public override MachineSpec Configure(MachineSpec spec) => _numa.Configure(_tpp.Configure(spec));

    protected override void OnAttach()
    {
        _tpp.Attach(Sim, Nodes);
        _numa.Attach(Sim, Nodes);
    }

    protected override void OnTick(ulong nowUs) => _numa.Tick(nowUs);
}
