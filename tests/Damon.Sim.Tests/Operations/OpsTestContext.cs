using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Sim.Machine;

namespace Damon.Sim.Tests;

/// <summary>A context with one target and one region, to call an operations set's callbacks directly.</summary>
internal static class OpsTestContext
{
    public static (DamonContext Ctx, Target T, Region R) Make(DamonOperations ops, int pid, ulong start, ulong end, ulong addrUnit = 1)
    {
        var ctx = new DamonContext(seed: 11) { Ops = ops, AddrUnit = addrUnit };
        var t = new Target(pid);
        ctx.AddTarget(t);
        var r = t.NewRegion(start, end);
        t.AddRegion(r);
        return (ctx, t, r);
    }

    public static Damos Scheme(DamosAction action, int targetNid = Damos.NumaNoNode, params DamosFilter[] filters)
    {
        var s = new Damos(DamosAccessPattern.Any, action, targetNid: targetNid);
        foreach (var f in filters) s.AddFilter(f);
        DamosCore.SetFiltersDefaultReject(s);
        return s;
    }

    /// <summary>The physical range of node 0, in bytes.</summary>
    public static (ulong Start, ulong End) Node0(SimMachine m) => m.NodePhysRange(0);
}
