using Damon.Config.Engine;
using Damon.Config.Schema;
using Damon.Core.Monitoring;
using Damon.Core.Schemes;

namespace Damon.Host.Engine;

/// <summary>One in-process context as the status tree needs it.</summary>
public sealed record EngineStatusEntry(BackendContext Place, DamonContext Ctx, bool Running, IMemcgResolver? Memcgs,
    DamosTriedRegionsUpdate? Tried);

/// <summary>
/// The kdamonds status tree of in-process contexts, grouped by kdamond: a kdamond is "on" while
/// all its contexts run. With <paramref name="withTriedRegions"/> each scheme gets the regions of
/// its context's update, or none, as the sysfs directories read when no update filled them.
/// </summary>
public static class EngineStatus
{
    public static KdamondsSpec Capture(IEnumerable<EngineStatusEntry> entries, bool withTriedRegions = true)
    {
        var spec = new KdamondsSpec();
        foreach (var group in entries.GroupBy(e => e.Place.KdamondIdx).OrderBy(g => g.Key))
        {
            var ordered = group.OrderBy(e => e.Place.ContextIdx).ToList();
            var memcgs = ordered.Select(e => e.Memcgs).FirstOrDefault(m => m is not null) ?? new MemcgPathTable();
            spec.Kdamonds.Add(StatusMapping.Kdamond(ordered.All(e => e.Running), pid: null,
                ordered.Select(e => (e.Ctx, e.Place.Ops, e.Tried)), memcgs, withTriedRegions));
        }
        return spec;
    }
}
