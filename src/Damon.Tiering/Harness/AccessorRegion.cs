namespace Damon.Tiering.Harness;

/// <summary>A range of a process's memory that one socket's threads use: where it should end up is that socket's node.</summary>
public sealed record AccessorRegion(string Name, int Pid, ulong Start, ulong Bytes, int Socket);

/// <summary>A workload that declares which socket uses which of its ranges (the accessor scenarios, docs/numa-tpp.md).</summary>
public interface IAccessorRegions
{
    IReadOnlyList<AccessorRegion> AccessorRegions { get; }
}
