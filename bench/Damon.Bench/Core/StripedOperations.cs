using Damon.Core.Monitoring;
using Damon.Core.Operations;

namespace Damon.Bench.Core;

/// <summary>
/// The trivial operations set of the engine benchmarks: the address space is cut in equal
/// stripes, alternately always and never accessed, so the per-region work is the engine's, and
/// merge and split reach a steady state (split pieces of a stripe merge back; stripes never merge).
/// </summary>
public sealed class StripedOperations(ulong stripeSz) : DamonOperations
{
    public override OperationsId Id => OperationsId.Paddr;
    public override OpsCallbacks Callbacks => OpsCallbacks.PrepareAccessChecks | OpsCallbacks.CheckAccesses;

    public override void PrepareAccessChecks(DamonContext ctx)
    {
        var rnd = ctx.Random;
        foreach (var t in ctx.Targets)
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
                r.SamplingAddr = rnd.Next(r.Start, r.End);
    }

    public override uint CheckAccesses(DamonContext ctx)
    {
        uint max = 0;
        foreach (var t in ctx.Targets)
        {
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                DamonCore.UpdateRegionAccessRate(r, (r.SamplingAddr / stripeSz & 1) == 0);
                if (r.NrAccesses > max)
                    max = r.NrAccesses;
            }
        }
        return max;
    }

    /// <summary>A context with one target of <paramref name="nrRegions"/> stripe-sized regions.</summary>
    public static DamonContext NewContext(int nrRegions, ulong stripeSz, ulong aggrIntervalUs, ulong maxNrRegions)
    {
        var ctx = new DamonContext(seed: 42) { Ops = new StripedOperations(stripeSz) };
        DamonCore.SetAttrs(ctx, MonitoringAttrs.Default with
        {
            SampleIntervalUs = 5_000,
            AggrIntervalUs = aggrIntervalUs,
            MinNrRegions = 3,
            MaxNrRegions = maxNrRegions,
        });
        var t = new Target();
        for (int i = 0; i < nrRegions; i++)
            t.AddRegion(new Region((ulong)i * stripeSz, (ulong)(i + 1) * stripeSz));
        ctx.AddTarget(t);
        return ctx;
    }
}
