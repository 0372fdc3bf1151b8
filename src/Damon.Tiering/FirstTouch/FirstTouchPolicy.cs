using Damon.Sim.Machine;
using Damon.Tiering.Policy;

namespace Damon.Tiering.FirstTouch;

/// <summary>
/// No migration (tiering.md §2 baseline): pages stay on the node their first touch put them on.
/// Without the Linux background a full fast node makes allocations fall back to the slow node and
/// nothing is reclaimed or demoted until every node is full.
/// </summary>
public sealed class FirstTouchPolicy : TieringPolicyBase
{
    public override string Name => "first-touch";

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };
}
