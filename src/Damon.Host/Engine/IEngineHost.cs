using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;

namespace Damon.Host.Engine;

/// <summary>
/// A backend whose DAMOS runs in Damon's own engine (the simulator; Linux user mode). Modules,
/// which sit above backends, start their exclusive kdamond on <see cref="Engine"/> (its registry
/// holds this backend's operations sets) with <see cref="Layout"/> and <see cref="Metrics"/>, then
/// hand it to <see cref="RunStarted"/> so the backend runs it in its time and raises its events.
/// </summary>
public interface IEngineHost
{
    DamonEngine Engine { get; }
    IMemoryLayout Layout { get; }
    IDamonMetrics? Metrics { get; }
    /// <summary>The seed contexts built for this backend use (the simulator's machine seed).</summary>
    ulong Seed { get; }

    /// <summary>Runs a kdamond started on <see cref="Engine"/>; it becomes the next kdamond, context 0, named <paramref name="name"/>.</summary>
    BackendContext RunStarted(Kdamond kdamond, OperationsId ops, string name);
}
