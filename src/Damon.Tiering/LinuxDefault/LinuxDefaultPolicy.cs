using Damon.Sim.Machine;
using Damon.Tiering.Policy;

namespace Damon.Tiering.LinuxDefault;

/// <summary>
/// Linux default placement (tiering.md §2.3, last sentence): no promotion; kswapd and direct reclaim
/// demote inactive pages to the next lower tier (demotion_enabled=1). That is the machine's own
/// background, so the policy only makes sure it is on.
/// </summary>
public sealed class LinuxDefaultPolicy : TieringPolicyBase
{
    public override string Name => "linux-default";

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = true, DemotionEnabled = true };
}
