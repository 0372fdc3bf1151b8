using Damon.Sim.Machine;
using Damon.Sim.Workloads;
using Damon.Tiering.Harness;
using Damon.Tiering.Policy;

namespace Damon.Tiering.WeightedInterleave;

/// <summary>
/// Static MPOL_WEIGHTED_INTERLEAVE over the fast and the slow node, set on every anonymous mapping
/// of the application before it runs (as <c>numactl --weighted-interleave</c> would): each page
/// faults in on the node its interleave index picks and never moves. Without explicit weights they
/// are the kernel's automatic ones from the nodes' bandwidths (<see cref="InterleaveWeights"/>,
/// 72:26 GB/s gives 23:8). Nothing is migrated, so pages placed before the policy stay.
/// </summary>
public sealed class WeightedInterleavePolicy(string name, uint fastWeight = 0, uint slowWeight = 0) : TieringPolicyBase
{
    public override string Name { get; } = name;

    /// <summary>The weights in use, fast then slow, once attached.</summary>
    public uint[] Weights { get; private set; } = [];

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    protected override void OnAttach()
    {
        if (fastWeight == 0 && slowWeight == 0)
        {
            var auto = InterleaveWeights.OfMachine(Machine.Spec);
            Weights = [auto[Nodes.Fast], auto[Nodes.Slow]];
        }
        else
        {
            Weights = [fastWeight, slowWeight];
        }
        Apply(Machine, Nodes, Weights);
    }

    /// <summary>Sets the weighted-interleave policy over the two tiers on every anonymous mapping of the application (not the pre-fill).</summary>
    public static void Apply(SimMachine m, TierNodes nodes, uint[] weights)
    {
        var policy = new MemPolicy(MemPolicyMode.WeightedInterleave, [nodes.Fast, nodes.Slow], weights);
        foreach (var p in m.Processes)
        {
            if (p.Name == PrefilledWorkload.ProcessName) continue;
            foreach (var v in p.Vmas.Where(v => v.IsAnon && v.End > v.Start).ToList())
                m.SetPolicy(p.Pid, v.Start, v.End - v.Start, policy);
        }
    }
}
