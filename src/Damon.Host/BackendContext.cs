using Damon.Core.Operations;

namespace Damon.Host;

/// <summary>
/// A started context's place in the kdamonds tree and its operations set; the key snapshots,
/// records and status entries are matched by. <see cref="Name"/> is the module running it, if any.
/// </summary>
public sealed record BackendContext(int KdamondIdx, int ContextIdx, OperationsId Ops, string? Name = null)
{
    public string Label => Name is null ? $"kdamond {KdamondIdx} ctx {ContextIdx} ({Ops.SysfsName()})" : $"{Name} ({Ops.SysfsName()})";

    /// <summary>vaddr and fvaddr targets are processes; paddr's is physical memory.</summary>
    public bool TargetsHavePids => Ops != OperationsId.Paddr;
}
