using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;

namespace Damon.Modules.Common;

/// <summary>
/// What DAMON_RECLAIM, DAMON_LRU_SORT and DAMON_TIER share: one paddr context with one target,
/// built from the parameters into a throwaway context and committed into the real one
/// (damon_*_apply_parameters), started exclusively, with the stats parameters refreshed by a
/// repeating damon_call.
/// </summary>
public abstract class PaddrModule<TParams> : Shared.ISharedModule where TParams : class, IModuleParams<TParams>
{
    public const ulong PageSize = DamonContext.DefaultMinRegionSz;

    private readonly ulong _seed;
    private DamonOperations? _paddrOps;

    protected PaddrModule(TParams parameters, IMemoryLayout layout, IDamonMetrics? metrics, ulong seed)
    {
        Params = parameters;
        Layout = layout;
        Metrics = metrics;
        _seed = seed;
    }

    /// <summary>
    /// The input parameters. Changing them affects a running module only once
    /// <see cref="CommitInputs"/> (or <see cref="Apply"/>) runs, as with <c>commit_inputs</c>.
    /// When the monitoring region is left 0/0, building writes the picked System RAM bounds back
    /// here, as the kernel writes them into <c>monitor_region_start/end</c>.
    /// </summary>
    public TParams Params { get; set; }
    public IMemoryLayout Layout { get; }
    /// <summary>Readings for the watermarks and quota goals of the running context.</summary>
    public IDamonMetrics? Metrics { get; }
    public DamonContext? Ctx { get; private set; }
    public Kdamond? Kdamond { get; private set; }
    /// <summary>The <c>enabled</c> parameter's read side: a kdamond runs for this module.</summary>
    public bool IsRunning => Kdamond is { Finished: false };
    /// <summary>kdamond_pid: the kdamond's name while running, null otherwise.</summary>
    public string? KdamondName => IsRunning ? Kdamond!.Name : null;

    /// <summary>
    /// The staged context of damon_*_apply_parameters (everything before damon_commit_ctx):
    /// validates the parameters and translates them into attrs, schemes and the target region.
    /// </summary>
    public DamonContext BuildParamContext(DamonOperations paddrOps)
    {
        if (paddrOps.Id != OperationsId.Paddr)
            throw new DamonException(Errno.EINVAL, $"{TParams.ModuleName}: needs the paddr operations set, not {paddrOps.Id.SysfsName()}");
        Params.Validate();
        var ctx = new DamonContext(_seed) { Ops = paddrOps };
        var target = new Target();
        ctx.AddTarget(target);
        Build(ctx, target);
        return ctx;
    }

    /// <summary>
    /// damon_*_apply_parameters: stage a fresh parameter context and commit it into
    /// <paramref name="running"/>. Call it through <c>Kdamond.Call</c> when the context runs.
    /// </summary>
    public void Apply(DamonContext running)
    {
        var ops = _paddrOps ?? running.Ops
            ?? throw new DamonException(Errno.EINVAL, $"{TParams.ModuleName}: no paddr operations set to build the parameter context with");
        DamonCore.CommitCtx(running, BuildParamContext(ops));
    }

    /// <summary>
    /// damon_*_turn(true): the parameters applied to the module's context, which is started
    /// exclusively with the stats call installed. The context is made on the first start
    /// (damon_modules_new_paddr_ctx_target, the module's init) and kept across disable/enable
    /// cycles, as reclaim.c, lru_sort.c and the TIER proposal's tier.c keep their static ctx:
    /// damon_commit_ctx keeps the schemes by index, so their stats and tuned quota (esz_bp and the
    /// charge window) carry over, and so do the stats parameters. The caller runs the returned
    /// kdamond (e.g. adds it to a driver).
    /// </summary>
    /// <param name="exclusive">
    /// False only to compare with a shared context: the kernel starts every module exclusively,
    /// so two modules never run side by side.
    /// </param>
    public Kdamond Start(DamonEngine engine, bool exclusive = true)
    {
        if (IsRunning)
            throw new DamonException(Errno.EBUSY, $"{TParams.ModuleName}: already running on {Kdamond!.Name}");
        _paddrOps = engine.Registry.Get(OperationsId.Paddr)
            ?? throw new DamonException(Errno.EINVAL, $"{TParams.ModuleName}: the paddr operations set is not registered");
        var ctx = Ctx ?? new DamonContext(_seed) { Ops = _paddrOps, Metrics = Metrics };
        // A previous kdamond's exit destroyed the target; damon_commit_targets adds the staged one
        // (for a new context too).
        Apply(ctx);
        var k = engine.Start([ctx], exclusive)[0];
        Ctx = ctx;
        Kdamond = k;
        k.Call(c => CopyStats(c.Schemes), repeat: true);
        return k;
    }

    /// <summary>commit_inputs=Y: re-read the parameters on the running kdamond.</summary>
    public DamonCallControl CommitInputs()
    {
        if (!IsRunning)
            throw new DamonException(Errno.EINVAL, $"{TParams.ModuleName}: commit_inputs needs the module running");
        return Kdamond!.Call(Apply);
    }

    /// <summary>damon_*_turn(false).</summary>
    public void Stop()
    {
        if (Kdamond is not null)
            DamonEngine.Stop([Kdamond]);
    }

    /// <summary>Set attrs, schemes, addr_unit/min_region_sz and the region on the staged context.</summary>
    protected abstract void Build(DamonContext ctx, Target target);

    /// <summary>The repeating damon_call that copies the module's schemes' stats into the stats parameters.</summary>
    protected abstract void CopyStats(IReadOnlyList<Damos> schemes);

    string Shared.ISharedModule.Name => TParams.ModuleName;

    /// <summary>Shared: the same parameter context as alone, so the module only translates parameters.</summary>
    DamonContext Shared.ISharedModule.Stage(DamonOperations paddrOps) => BuildParamContext(paddrOps);

    void Shared.ISharedModule.Update(DamonContext shared, IReadOnlyList<Damos> ownSchemes) => CopyStats(ownSchemes);

    /// <summary>The modules' min_region_sz = max(DAMON_MIN_REGION_SZ / addr_unit, 1).</summary>
    public static ulong MinRegionSzFor(ulong addrUnit) => Math.Max(PageSize / addrUnit, 1);

    /// <summary>The addr_unit store rule, and the power-of-two rule damon_commit_ctx applies to the result.</summary>
    public static void ValidateAddrUnit(ulong addrUnit)
    {
        if (addrUnit == 0)
            throw new ModuleParamException("addr_unit", "must not be 0");
        ulong minRegionSz = MinRegionSzFor(addrUnit);
        if (!Core.Util.KernelMath.IsPowerOfTwo(minRegionSz))
            throw new ModuleParamException("addr_unit",
                $"min_region_sz = max(PAGE_SIZE / addr_unit, 1) = {minRegionSz} must be a power of two (addr_unit {addrUnit})");
    }

    /// <summary>
    /// Set the staged target's region by <paramref name="rule"/> and write the picked bounds back
    /// through <paramref name="writeBack"/>.
    /// </summary>
    protected void SetRegion(DamonContext ctx, Target target, ulong start, ulong end, DefaultRegionRule rule,
        Func<TParams, ulong, ulong, TParams> writeBack)
    {
        SystemRamRegion.SetDefault(target, ref start, ref end, rule, Layout, ctx.AddrUnit, ctx.MinRegionSz);
        Params = writeBack(Params, start, end);
    }
}
