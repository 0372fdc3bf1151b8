using Damon.Config.Engine;
using Damon.Config.Schema;

namespace Damon.Cli.Simulation;

/// <summary>
/// <c>sim --report_damon</c>: the kdamonds status tree of a finished run, as damo's
/// <c>report damon</c> reads it from sysfs: captured at the end of the last slice, while the
/// kdamonds still run ("on"); "off" when captured after they stopped.
/// </summary>
internal static class SimStatus
{
    public static KdamondsSpec Capture(SimSession session, bool running)
    {
        var spec = new KdamondsSpec();
        foreach (var group in session.Contexts.GroupBy(c => c.KdamondIdx).OrderBy(g => g.Key))
        {
            var ordered = group.OrderBy(c => c.ContextIdx).ToList();
            var memcgs = ordered.Select(c => c.Memcgs).FirstOrDefault(m => m is not null) ?? new MemcgPathTable();
            spec.Kdamonds.Add(StatusMapping.Kdamond(running, pid: null,
                ordered.Select(c => (c.Ctx, c.OpsId)), memcgs, withTriedRegions: true));
        }
        return spec;
    }
}
