using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;

namespace Damon.Linux.Backend.UserMode;

/// <summary>
/// What user mode can do from user space, checked before anything starts: every scheme's action
/// must have a syscall behind it, and every ops filter must be one the action layer can evaluate
/// per page. Anything else is refused with one line naming the scheme, the action or filter and
/// the reason; nothing is silently ignored.
/// </summary>
public static class UserModeSupport
{
    /// <summary>Actions with a user-space equivalent, by operations set.</summary>
    public static string? WhyUnsupported(OperationsId ops, DamosAction action) => action switch
    {
        DamosAction.Stat or DamosAction.MigrateHot or DamosAction.MigrateCold => null,
        DamosAction.Pageout => null,
        DamosAction.Willneed or DamosAction.Cold or DamosAction.Collapse when ops != OperationsId.Paddr => null,
        DamosAction.Hugepage or DamosAction.Nohugepage =>
            "process_madvise(2) does not take MADV_HUGEPAGE/MADV_NOHUGEPAGE (they change the VMA, which only the process itself may do)",
        DamosAction.LruPrio or DamosAction.LruDeprio =>
            "no system call moves a page between the active and inactive LRU lists",
        _ => $"no per-page system call for {action.SysfsName()} on physical addresses",
    };

    /// <summary>Throws <see cref="BackendRefusedException"/> for the first unsupported scheme part.</summary>
    public static void Check(DamonContext ctx, OperationsId ops, Func<Damos, OperationsId, string?> checkScheme)
    {
        for (int i = 0; i < ctx.Schemes.Count; i++)
        {
            var s = ctx.Schemes[i];
            if (WhyUnsupported(ops, s.Action) is { } why)
                throw new BackendRefusedException($"damon: scheme {i} action {s.Action.SysfsName()} is not available in user mode: {why}");
            if (checkScheme(s, ops) is { } reason)
                throw new BackendRefusedException($"damon: scheme {i} ({s.Action.SysfsName()}) cannot run in user mode: {reason}");
        }
    }
}
