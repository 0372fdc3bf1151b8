using Damon.Core.Monitoring;
using Damon.Core.Operations;

namespace Damon.Cli.Simulation;

/// <summary>A DAMON context of a simulated run, with its place in the kdamonds specification.</summary>
internal sealed record SimContext(int KdamondIdx, int ContextIdx, OperationsId OpsId, DamonContext Ctx)
{
    /// <summary>The memcg path table the context's filters and goals were resolved with.</summary>
    public Damon.Config.Engine.IMemcgResolver? Memcgs { get; init; }

    /// <summary>The module running the context, if a module does.</summary>
    public string? Name { get; init; }

    public string Label => Name is null ? $"kdamond {KdamondIdx} ctx {ContextIdx} ({OpsId.SysfsName()})" : $"{Name} ({OpsId.SysfsName()})";
}
