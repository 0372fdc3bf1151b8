namespace Damon.Sim.Workloads;

public enum MemPolicyMode
{
    /// <summary>First touch on the faulting CPU's node, falling back by distance.</summary>
    Default,
    /// <summary>Only the given nodes.</summary>
    Bind,
    /// <summary>The given node first, then the default fallback.</summary>
    Preferred,
    /// <summary>Pages spread over nodes in proportion to weights (MPOL_WEIGHTED_INTERLEAVE).</summary>
    WeightedInterleave,
}

/// <summary>A per-VMA memory policy (set_mempolicy / mbind).</summary>
public sealed record MemPolicy(MemPolicyMode Mode, int[] Nodes, uint[]? Weights = null)
{
    public static MemPolicy Default { get; } = new(MemPolicyMode.Default, []);
}
