using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;

namespace Damon.Modules.Shared;

/// <summary>
/// A module that can run in a <see cref="SharedContext"/>: it stages the same parameter context
/// it would run alone (attrs, schemes, its monitoring range) and reads its results back from the
/// shared one. Modules still only translate parameters into schemes; the shared context decides
/// how contributions combine.
/// </summary>
public interface ISharedModule
{
    /// <summary>The module's parameter prefix, e.g. <c>damon_reclaim</c>.</summary>
    string Name { get; }

    /// <summary>damon_*_apply_parameters up to the commit: validate and build the module's own context.</summary>
    DamonContext Stage(DamonOperations paddrOps);

    /// <summary>
    /// The module's repeating damon_call on the shared context: <paramref name="ownSchemes"/> are the
    /// running schemes it contributed, in its own order.
    /// </summary>
    void Update(DamonContext shared, IReadOnlyList<Damos> ownSchemes);
}
