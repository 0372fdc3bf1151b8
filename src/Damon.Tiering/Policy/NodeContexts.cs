using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Sim.Running;

namespace Damon.Tiering.Policy;

/// <summary>The mtier sample's layout (damon-spec.md §4.4): one paddr context per NUMA node, one scheme each.</summary>
public static class NodeContexts
{
    /// <summary>A paddr context with one target whose one region is node <paramref name="nid"/>'s memory.</summary>
    public static DamonContext Add(Simulation sim, MonitoringAttrs attrs, int nid, Damos scheme)
    {
        var ctx = sim.AddContext(OperationsId.Paddr, attrs);
        var t = new Target();
        ctx.AddTarget(t);
        var (start, end) = sim.Machine.NodePhysRange(nid);
        DamonCore.SetRegions(t, [new AddrRange(start / ctx.AddrUnit, end / ctx.AddrUnit)], ctx.MinRegionSz);
        ctx.Schemes.Add(scheme);
        return ctx;
    }
}
