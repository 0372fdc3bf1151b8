using Damon.Sim.Machine;
using Damon.Tiering.Policy;
using Damon.Tiering.WeightedInterleave;

namespace Damon.Tiering.InterleaveOracle;

/// <summary>
/// The interleave split the loaded-latency model says is best (<see cref="SplitModel.Optimum"/>),
/// with the load calibrated from the profiling run (the all-fast placement on these scenarios), set
/// as static MPOL_WEIGHTED_INTERLEAVE weights in thousandths before the run. It knows the workload
/// in advance, hence <c>oracle-</c>: a reference for what a uniform split can give, not a policy.
/// </summary>
public sealed class OracleInterleavePolicy(SplitLoad load) : TieringPolicyBase
{
    public override string Name => "oracle-interleave";

    public SplitPrediction? Prediction { get; private set; }

    /// <summary>The weights in use, fast then slow, once attached.</summary>
    public uint[] Weights { get; private set; } = [];

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    protected override void OnAttach()
    {
        Prediction = SplitPrediction.Of(new SplitModel(Machine.Spec, Nodes.Fast, Nodes.Slow, load));
        uint slow = (uint)Math.Round(Prediction.Optimum.SlowShare * SplitModel.GridSteps);
        Weights = [SplitModel.GridSteps - slow, slow];
        WeightedInterleavePolicy.Apply(Machine, Nodes, Weights);
    }
}
