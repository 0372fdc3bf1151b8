using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;

namespace Damon.Modules.Samples;

/// <summary>
/// What prcl and wsse share: one vaddr context with damon_new_ctx's attributes on one process,
/// reporting the working set size — the bytes of regions accessed in the window — after each
/// aggregation (the samples' after_aggregation callback).
/// </summary>
public abstract class VaddrSample(ulong seed)
{
    public Kdamond? Kdamond { get; private set; }
    public bool IsRunning => Kdamond is { Finished: false };
    /// <summary>The last working set size estimate, in bytes.</summary>
    public ulong LastWss { get; private set; }
    /// <summary>The samples' pr_info("wss: %lu") line.</summary>
    public event Action<ulong>? WssReported;

    protected abstract string Name { get; }
    protected abstract int TargetPid { get; }
    protected abstract void Validate();
    protected virtual void AddSchemes(DamonContext ctx) { }

    /// <summary>Σ size of the regions with nr_accesses > 0, per target; the last target's is kept.</summary>
    public static ulong WorkingSetSize(Target t)
    {
        ulong wss = 0;
        foreach (var r in t.Regions)
            if (r.NrAccesses > 0)
                wss += r.Size;
        return wss;
    }

    public DamonContext BuildContext(DamonOperations vaddrOps)
    {
        if (vaddrOps.Id != OperationsId.Vaddr)
            throw new DamonException(Errno.EINVAL, $"{Name}: needs the vaddr operations set, not {vaddrOps.Id.SysfsName()}");
        Validate();
        var ctx = new DamonContext(seed) { Ops = vaddrOps };
        ctx.AddTarget(new Target(TargetPid));
        AddSchemes(ctx);
        ctx.Aggregated += OnAggregated;
        return ctx;
    }

    public Kdamond Start(DamonEngine engine)
    {
        if (IsRunning)
            throw new DamonException(Errno.EBUSY, $"{Name}: already running on {Kdamond!.Name}");
        var ops = engine.Registry.Get(OperationsId.Vaddr)
            ?? throw new DamonException(Errno.EINVAL, $"{Name}: the vaddr operations set is not registered");
        Kdamond = engine.Start([BuildContext(ops)], exclusive: true)[0];
        return Kdamond;
    }

    public void Stop()
    {
        if (Kdamond is not null)
            DamonEngine.Stop([Kdamond]);
    }

    private void OnAggregated(DamonContext c)
    {
        foreach (var t in c.Targets)
        {
            LastWss = WorkingSetSize(t);
            WssReported?.Invoke(LastWss);
        }
    }
}

/// <summary>
/// samples/damon/prcl.c: proactive reclamation — page out regions of the process that have not
/// been accessed for 50 aggregation intervals, without quota or watermarks.
/// </summary>
public sealed class PrclSample(PrclParams parameters, ulong seed = 0) : VaddrSample(seed)
{
    public const uint MinAgeAggrs = 50;

    public PrclParams Params { get; set; } = parameters;
    protected override string Name => PrclParams.ModuleName;
    protected override int TargetPid => Params.TargetPid;
    protected override void Validate() => Params.Validate();

    protected override void AddSchemes(DamonContext ctx)
    {
        var pattern = new DamosAccessPattern(DamonContext.DefaultMinRegionSz, ulong.MaxValue, 0, 0, MinAgeAggrs, uint.MaxValue);
        DamosCore.AddScheme(ctx, new Damos(pattern, DamosAction.Pageout, 0, new DamosQuota(), new DamosWatermarks(), Damos.NumaNoNode));
    }
}

/// <summary>samples/damon/wsse.c: working set size estimation of one process, no schemes.</summary>
public sealed class WsseSample(WsseParams parameters, ulong seed = 0) : VaddrSample(seed)
{
    public WsseParams Params { get; set; } = parameters;
    protected override string Name => WsseParams.ModuleName;
    protected override int TargetPid => Params.TargetPid;
    protected override void Validate() => Params.Validate();
}
