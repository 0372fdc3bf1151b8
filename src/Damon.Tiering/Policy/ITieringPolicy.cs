using Damon.Sim.Machine;
using Damon.Sim.Running;

namespace Damon.Tiering.Policy;

/// <summary>
/// A tiering policy on the simulated machine. The simulation calls it only at coarse points — a
/// periodic <see cref="Tick"/> between runs of simulated time, and hint faults through
/// <see cref="IHintFaultHandler"/> when the policy sets PROT_NONE bits — so the access loop has
/// no virtual call per access.
/// </summary>
public interface ITieringPolicy
{
    string Name { get; }

    /// <summary>The machine this policy runs on, from the common one (e.g. reclaim demotion off).</summary>
    MachineSpec Configure(MachineSpec spec) => spec;

    /// <summary>Whether the policy reads per-page access counts (the machine's ground truth).</summary>
    bool NeedsGroundTruth => false;

    /// <summary>Before the simulation starts: add DAMON contexts, install a hint-fault handler.</summary>
    void Attach(Simulation sim, TierNodes nodes);

    /// <summary>How often <see cref="Tick"/> runs (µs of simulated time); 0: never.</summary>
    ulong TickIntervalUs { get; }

    void Tick(ulong nowUs);

    /// <summary>Work done off the application's threads (async migration, scanning), simulated ns.</summary>
    ulong BackgroundNs { get; }

    /// <summary>Host CPU time the policy's own logic used (Stopwatch ticks), DAMON engine time included.</summary>
    long CostTicks { get; }
}
