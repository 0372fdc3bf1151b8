using System.Diagnostics;
using Damon.Sim.Machine;
using Damon.Sim.Running;

namespace Damon.Tiering.Policy;

/// <summary>Shared plumbing: the machine, the tiers, the background account and the host-time meter.</summary>
public abstract class TieringPolicyBase : ITieringPolicy
{
    private Simulation? _sim;
    private TierNodes? _nodes;

    public abstract string Name { get; }
    public virtual ulong TickIntervalUs => 0;
    public virtual ulong BackgroundNs => OwnBackgroundNs;
    protected ulong OwnBackgroundNs { get; set; }
    public virtual long CostTicks => PolicyTicks;
    protected long PolicyTicks { get; set; }

    protected Simulation Sim => _sim ?? throw new InvalidOperationException($"{Name}: not attached");
    protected SimMachine Machine => Sim.Machine;
    protected TierNodes Nodes => _nodes ?? throw new InvalidOperationException($"{Name}: not attached");

    public virtual MachineSpec Configure(MachineSpec spec) => spec;
    public virtual bool NeedsGroundTruth => false;

    public void Attach(Simulation sim, TierNodes nodes)
    {
        _sim = sim;
        _nodes = nodes;
        OnAttach();
    }

    protected virtual void OnAttach() { }

    public void Tick(ulong nowUs)
    {
        long t0 = Stopwatch.GetTimestamp();
        OnTick(nowUs);
        PolicyTicks += Stopwatch.GetTimestamp() - t0;
    }

    protected virtual void OnTick(ulong nowUs) { }

    /// <summary>Move a folio from a background thread: the cost goes to this policy's account, not the application.</summary>
    protected uint MigrateAsync(uint frame, int dst)
    {
        uint moved = Machine.MigrateFolio(frame, dst, out ulong ns, this);
        OwnBackgroundNs += ns;
        return moved;
    }
}
