using Damon.Sim.Machine;
using Damon.Tiering.Policy;

namespace Damon.Tiering.Oracle;

/// <summary>
/// The upper bound: at the start of every profile window, the pages that window will access most
/// are put on the fast node, instantly and for free. Windows are in simulated time, so a run whose
/// threads go faster or slower than the profiled one sees the phases slightly shifted.
/// </summary>
public sealed class WindowOraclePolicy(AccessProfile profile) : TieringPolicyBase
{
    public override string Name => "oracle-window";
    public override ulong TickIntervalUs => profile.WindowUs;

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    protected override void OnTick(ulong nowUs)
    {
        int w = (int)(nowUs / profile.WindowUs);
        if (w >= profile.Windows.Count) return;
        int cap = (int)Machine.Node(Nodes.Fast).NrFrames;
        PlacementEnforcer.Enforce(Machine, Nodes, profile.Windows[w].Take(cap).ToHashSet(), exact: false);
    }
}
