using Damon.Sim.Machine;

namespace Damon.Tiering.Policy;

/// <summary>The two tiers a policy moves pages between.</summary>
public sealed record TierNodes(int Fast, int Slow)
{
    /// <summary>The lowest-tier-number node is fast; the next tier below it (its demotion target) is slow.</summary>
    public static TierNodes Of(SimMachine m)
    {
        int fast = Enumerable.Range(0, m.NrNodes).OrderBy(n => m.Spec.Nodes[n].Tier).ThenBy(n => n).First();
        int slow = m.DemotionTarget(fast);
        if (slow < 0)
            throw new ArgumentException("the machine has a single memory tier; tiering needs two");
        return new TierNodes(fast, slow);
    }
}
