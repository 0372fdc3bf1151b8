using System.Globalization;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Actions;

/// <summary>
/// The vaddr operations set for user mode on real processes: the kernel's DAMON does the access
/// checks and Damon's own DAMOS engine acts through <see cref="LinuxDamosActions"/>. So this set has
/// init/update (three regions from /proc/PID/maps), the vaddr score function, apply_scheme,
/// target_valid (the process exists) and cleanup_target, but no access-check callbacks. A target
/// that exits mid-apply gets 0 bytes applied, as the kernel's damon_get_mm() failing gives, and is
/// listed in <see cref="GoneTargets"/>; target_valid then says false and the core drops it alone.
/// </summary>
public sealed class LinuxVaddrOperations(LinuxDamosActions actions, string procRoot = "/proc", bool fixedRanges = false) : DamonOperations
{
    private readonly HashSet<int> _gone = [];

    public LinuxDamosActions Actions { get; } = actions;

    public override OperationsId Id => fixedRanges ? OperationsId.Fvaddr : OperationsId.Vaddr;

    public override OpsCallbacks Callbacks =>
        (fixedRanges ? OpsCallbacks.None : OpsCallbacks.Init | OpsCallbacks.Update)
        | OpsCallbacks.GetSchemeScore | OpsCallbacks.ApplyScheme | OpsCallbacks.TargetValid | OpsCallbacks.CleanupTarget;

    /// <summary>Pids whose process was found gone while acting on it.</summary>
    public IReadOnlyCollection<int> GoneTargets => _gone;

    /// <summary>damon_va_three_regions of the process's current VMAs; false if it has fewer than two gaps or is gone.</summary>
    public bool ThreeRegions(Target t, ulong minSz, Span<AddrRange> regions)
    {
        try
        {
            return ProcMaps.ThreeRegions(ProcMaps.Read(ProcMaps.PathOf(t.Pid, procRoot)), minSz, regions);
        }
        catch (LinuxSourceException)
        {
            _gone.Add(t.Pid);
            return false;
        }
    }

    public override void Init(DamonContext ctx) => VaddrRegions.Init(ctx, ThreeRegions);

    public override void Update(DamonContext ctx) => VaddrRegions.Update(ctx, ThreeRegions);

    public override int GetSchemeScore(DamonContext ctx, Target t, Region r, Damos s) => DamosScores.VaSchemeScore(ctx, r, s);

    public override ulong ApplyScheme(DamonContext ctx, Target t, Region r, Damos s, out ulong szOpsFilterPassed)
    {
        szOpsFilterPassed = 0;
        if (_gone.Contains(t.Pid)) return 0;
        try
        {
            return Actions.ApplyScheme(t, r, s, out szOpsFilterPassed);
        }
        catch (SyscallException e) when (e.TargetGone)
        {
            _gone.Add(t.Pid);
            return 0;
        }
    }

    public override bool TargetValid(Target t) =>
        !_gone.Contains(t.Pid) && Directory.Exists(Path.Combine(procRoot, t.Pid.ToString(CultureInfo.InvariantCulture)));

    public override void CleanupTarget(Target t)
    {
        Actions.CleanupTarget(t.Pid);
        _gone.Remove(t.Pid);
    }
}
