namespace Damon.Sim.Machine;

/// <summary>A CPU package: its CPUs, the node its memory controller serves (the "local" node), and its caches.</summary>
public sealed record SocketSpec(int Id, int Node, int[] Cpus)
{
    /// <summary>The socket's LLC and its threads' TLBs, used when <see cref="MachineSpec.Caches"/> is on.</summary>
    public CacheSpec Cache { get; init; } = new();
}
