namespace Damon.Tiering.NumaTpp;

/// <summary>
/// Whoever accesses memory, as NUMA-TPP-DAMON names it: a set of CPUs (here one socket's) and the
/// memory node nearest to them, where its hot memory should live.
/// </summary>
public sealed record Accessor(string Name, int[] Cpus, int Node)
{
    /// <summary>One accessor per socket of the machine: its CPUs and its local node.</summary>
    public static IReadOnlyList<Accessor> PerSocket(Damon.Sim.Machine.MachineSpec spec) =>
        spec.Sockets.Select(s => new Accessor($"socket{s.Id}", s.Cpus, s.Node)).ToList();
}

/// <summary>
/// One promotion path: memory on <see cref="SourceNode"/> that <see cref="Accessor"/>'s CPUs find
/// hot moves to the accessor's node.
/// </summary>
public sealed record PromotionPath(int SourceNode, Accessor Accessor)
{
    public int DestinationNode => Accessor.Node;
}
