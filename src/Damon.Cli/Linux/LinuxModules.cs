using Damon.Config.Engine;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Host;
using Damon.Modules.Common;
using Damon.Modules.Shared;

namespace Damon.Cli.Linux;

/// <summary>
/// A module (damon_reclaim, damon_lru_sort, damon_tier) on the real machine: its parameters
/// (--module_params, --module_param, as for `damon sim --module`) staged by its own
/// damon_*_apply_parameters into a paddr context on /proc/iomem's System RAM, which the backend
/// starts as its own exclusive kdamond, named after the module; or several modules in one shared
/// context (user mode).
/// </summary>
internal static class LinuxModules
{
    public static ContextRequest Stage(Simulation.SimModule module, LinuxMachine machine)
    {
        var ctx = module.Stage(machine.Layout, new StagingPaddrOps());
        return new ContextRequest(new EngineContext(OperationsId.Paddr, ctx), module.Name);
    }

    /// <summary>
    /// Several modules (user mode only): their union staged as <see cref="SharedContext"/> would
    /// start it, one kdamond named <see cref="SharedContext.KdamondName"/>; Damon's engine runs the
    /// schemes with the shared context's conflict rule.
    /// </summary>
    public static ContextRequest StageShared(IReadOnlyList<Simulation.SimModule> modules, LinuxMachine machine)
    {
        var shared = new SharedContext();
        foreach (var m in modules)
            shared.Install(m.ForStaging(machine.Layout));
        DamonContext ctx;
        try
        {
            ctx = shared.Stage(new StagingPaddrOps());
        }
        catch (ModuleParamException e)
        {
            throw new UserError($"{SharedContext.KdamondName}: {e.Message}", ExitCodes.ConfigRejected);
        }
        catch (Damon.Core.DamonException e)
        {
            throw new UserError($"{SharedContext.KdamondName}: rejected: {e.Message}", ExitCodes.ConfigRejected);
        }
        OneTarget(ctx);
        return new ContextRequest(new EngineContext(OperationsId.Paddr, ctx), SharedContext.KdamondName);
    }

    /// <summary>
    /// The shared context's pieces as the regions of ONE target: the kernel refuses a paddr context with several
    /// targets (damon_sysfs_add_targets: "Multiple physical address space monitoring targets makes no sense",
    /// -EINVAL at `on`; the test-bed guest's 6.12 refused RECLAIM + TIER so). What is lost is only that the kernel may
    /// merge regions across a module's edge (docs/kernel-differences.md). A module whose range is
    /// narrower than the union confines its schemes with one `target` filter per piece (SharedContext); with the
    /// pieces folded into one target those would match the wrong memory, so each becomes an `addr` filter on its
    /// piece's range, with the same matching and allow.
    /// </summary>
    internal static void OneTarget(DamonContext ctx)
    {
        if (ctx.Targets.Count <= 1)
            return;
        var pieceOf = ctx.Targets.Select(t => new AddrRange(t.Regions.Min(r => r.Start), t.Regions.Max(r => r.End))).ToArray();
        foreach (var s in ctx.Schemes)
            for (int i = 0; i < s.CoreFilters.Count; i++)
                if (s.CoreFilters[i] is { Type: DamosFilterType.Target } f)
                    s.CoreFilters[i] = new DamosFilter(DamosFilterType.Addr, f.Matching, f.Allow) { AddrRange = pieceOf[f.TargetIdx] };
        var ranges = ctx.Targets.SelectMany(t => t.Regions).Select(r => new AddrRange(r.Start, r.End)).OrderBy(r => r.Start).ToArray();
        ctx.Targets.Clear();
        var target = new Target();
        ctx.AddTarget(target);
        DamonCore.SetRegions(target, ranges, ctx.MinRegionSz);
    }

    /// <summary>
    /// The operations set a staged context names: only its id is read (the backend attaches the
    /// real one, the kernel's paddr or user mode's), as the kernel stages parameters into a
    /// context that is never run.
    /// </summary>
    private sealed class StagingPaddrOps : DamonOperations
    {
        public override OperationsId Id => OperationsId.Paddr;
        public override OpsCallbacks Callbacks => OpsCallbacks.None;
    }
}
