using Damon.Sim.Machine;
using Damon.Tiering.Policy;

namespace Damon.Tiering.Oracle;

/// <summary>
/// The best static placement: the pages with the most accesses over the whole (profiled) run live
/// on the fast node from the start, the rest on the slow node. Pages are put in place as they
/// appear — checked every millisecond, walked only when the number of used pages changed — and
/// moving them costs nothing.
/// </summary>
public sealed class StaticOraclePolicy(AccessProfile profile, ulong tickUs = 1_000) : TieringPolicyBase
{
    private HashSet<ulong> _fast = [];
    private ulong _lastUsedBytes = ulong.MaxValue;

    public override string Name => "oracle-static";
    public override ulong TickIntervalUs => tickUs;
    public IReadOnlySet<ulong> FastSet => _fast;

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    protected override void OnAttach() => _fast = profile.TopWholeRun((int)Machine.Node(Nodes.Fast).NrFrames);

    protected override void OnTick(ulong nowUs)
    {
        ulong used = Machine.NodeUsedBytes(Nodes.Fast) + Machine.NodeUsedBytes(Nodes.Slow);
        if (used == _lastUsedBytes) return;
        PlacementEnforcer.Enforce(Machine, Nodes, _fast, exact: true);
        _lastUsedBytes = Machine.NodeUsedBytes(Nodes.Fast) + Machine.NodeUsedBytes(Nodes.Slow);
    }
}
