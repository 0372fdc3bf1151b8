namespace Damon.Sim.Machine;

/// <summary>A CPU package: its CPUs and the node its memory controller serves (the "local" node).</summary>
public sealed record SocketSpec(int Id, int Node, int[] Cpus);
