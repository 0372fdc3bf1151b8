using Damon.Config.Engine;
using Damon.Config.Schema;
using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Schemes;

namespace Damon.Cli.Simulation;

/// <summary>
/// <c>sim --report_damon</c>: the kdamonds status tree damo's <c>report damon</c> reads from sysfs.
/// As damo does, it first asks every running kdamond for <c>update_schemes_tried_regions</c> and
/// lets simulated time run until the walks end (one apply round of every scheme), so the tried
/// regions are those DAMOS really tried, not a guess from the final regions.
/// </summary>
internal static class SimStatus
{
    /// <summary>Request the tried-regions updates, run the walks to their end, then read the status.</summary>
    public static KdamondsSpec Read(SimSession session, CancellationToken cancel = default)
    {
        var tried = new Dictionary<DamonContext, DamosTriedRegionsUpdate>(ReferenceEqualityComparer.Instance);
        foreach (var sc in session.Contexts)
        {
            // Without schemes the walk would only be cancelled: nothing to wait for.
            if (sc.Ctx.Schemes.Count == 0 || KdamondOf(session, sc.Ctx) is not { Running: true } k)
                continue;
            try
            {
                tried[sc.Ctx] = DamosTriedRegionsUpdate.Start(k);
            }
            catch (DamonException)
            {
                // -EBUSY or -ECANCELED: sysfs leaves the directories empty, and so does the status.
            }
        }
        RunUntilWalksEnd(session, tried, cancel);
        // A cancelled walk leaves what it gathered; its -ECANCELED is expected, not an error.
        foreach (var u in tried.Values)
            _ = u.Task.Exception;
        return Capture(session, running: true, tried);
    }

    /// <summary>
    /// The status as it stands. Without <paramref name="tried"/> (a run that was stopped) the
    /// tried-regions directories are empty.
    /// </summary>
    public static KdamondsSpec Capture(SimSession session, bool running,
        IReadOnlyDictionary<DamonContext, DamosTriedRegionsUpdate>? tried = null)
    {
        var spec = new KdamondsSpec();
        foreach (var group in session.Contexts.GroupBy(c => c.KdamondIdx).OrderBy(g => g.Key))
        {
            var ordered = group.OrderBy(c => c.ContextIdx).ToList();
            var memcgs = ordered.Select(c => c.Memcgs).FirstOrDefault(m => m is not null) ?? new MemcgPathTable();
            // A kdamond whose targets all went away while the walks ran has stopped: "off".
            bool on = running && ordered.All(c => KdamondOf(session, c.Ctx) is { Running: true });
            spec.Kdamonds.Add(StatusMapping.Kdamond(on, pid: null,
                ordered.Select(c => (c.Ctx, c.OpsId, tried is not null && tried.TryGetValue(c.Ctx, out var u) ? u : null)),
                memcgs, withTriedRegions: true));
        }
        return spec;
    }

    private static Kdamond? KdamondOf(SimSession session, DamonContext ctx) =>
        session.Sim.Kdamonds.FirstOrDefault(k => ReferenceEquals(k.Ctx, ctx));

    /// <summary>
    /// Step simulated time one sample interval at a time until every walk completed or was
    /// cancelled. A walk always ends within an apply round of each scheme (or a watermark check
    /// that cancels it); the bound only guards against a loop that never gets there.
    /// </summary>
    private static void RunUntilWalksEnd(SimSession session, IReadOnlyDictionary<DamonContext, DamosTriedRegionsUpdate> tried,
        CancellationToken cancel)
    {
        if (tried.Count == 0)
            return;
        ulong limitUs = session.Sim.NowUs + tried.Keys.Max(WalkBoundUs);
        while (tried.Values.Any(u => !u.Task.IsCompleted) && session.Sim.NowUs < limitUs)
        {
            ulong stepUs = Math.Max(1, tried.Keys.Min(c => c.Attrs.SampleIntervalUs));
            session.Sim.RunUntil(Math.Min(limitUs, session.Sim.NowUs + stepUs), cancel);
        }
    }

    /// <summary>Twice the longest apply interval and watermark check of the context, plus a second.</summary>
    private static ulong WalkBoundUs(DamonContext ctx)
    {
        ulong longestUs = ctx.Attrs.AggrIntervalUs;
        foreach (var s in ctx.Schemes)
            longestUs = Math.Max(longestUs, Math.Max(s.ApplyIntervalUs, s.Wmarks.IntervalUs));
        return 2 * longestUs + 1_000_000;
    }
}
