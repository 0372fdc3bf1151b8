using Damon.Core.Monitoring;

namespace Damon.Core.Schemes;

/// <summary>
/// The callback of a DAMOS walk: called for each region handed to the operations set during one
/// apply round of every scheme, with the bytes that passed the ops filters.
/// </summary>
public delegate void DamosWalkFn(DamonContext ctx, Target t, Region r, Damos s, ulong szFilterPassed);

/// <summary>damos_walk_control: one pending walk; completes after every scheme finished a round.</summary>
public sealed class DamosWalkControl(DamosWalkFn walkFn)
{
    public DamosWalkFn WalkFn { get; } = walkFn;
    internal TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Task Task => Completion.Task;
}
