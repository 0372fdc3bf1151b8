using Damon.Sim.Workloads;

namespace Damon.Sim.Memory;

/// <summary>vm_area_struct: a mapping [Start, End) with its flags and memory policy.</summary>
public sealed class Vma(ulong start, ulong end, MapFlags flags, MemPolicy policy, string name)
{
    public ulong Start { get; internal set; } = start;
    public ulong End { get; internal set; } = end;
    public MapFlags Flags { get; internal set; } = flags;
    public MemPolicy Policy { get; internal set; } = policy;
    public string Name { get; } = name;
    /// <summary>vm_pgoff: for anonymous memory the start's page number, as Linux sets it.</summary>
    public ulong Pgoff { get; internal set; } = start >> PageSizes.PageShift;

    public bool IsAnon => (Flags & MapFlags.File) == 0;
    public bool Thp => (Flags & MapFlags.Thp) != 0;
    public ulong Size => End - Start;

    public override string ToString() => $"{Start:x}-{End:x} {Name}";
}
