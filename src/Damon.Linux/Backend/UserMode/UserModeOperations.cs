using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;

namespace Damon.Linux.Backend.UserMode;

/// <summary>
/// The operations set of user mode's in-process context. It does no monitoring (the kernel
/// does); it scores regions for quotas as the kernel's vaddr/paddr sets do, and applies actions
/// through <see cref="IUserModeActions"/>. A vaddr target whose process exited is dropped once,
/// with one line, and skipped from then on (target_valid false), as the kernel skips it.
/// </summary>
public sealed class UserModeOperations(OperationsId id, IUserModeActions actions, UserModeProblems problems) : DamonOperations
{
    private readonly HashSet<Target> _gone = [];

    public override OperationsId Id { get; } = id;

    public override OpsCallbacks Callbacks =>
        OpsCallbacks.GetSchemeScore | OpsCallbacks.ApplyScheme | OpsCallbacks.TargetValid;

    public UserModeProblems Problems { get; } = problems;

    /// <summary>damon_va_scheme_score / damon_pa_scheme_score.</summary>
    public override int GetSchemeScore(DamonContext ctx, Target t, Region r, Damos s) =>
        Id == OperationsId.Paddr ? DamosScores.PaSchemeScore(ctx, r, s) : DamosScores.VaSchemeScore(ctx, r, s);

    public override bool TargetValid(Target t)
    {
        if (Id == OperationsId.Paddr)
            return true;
        if (_gone.Contains(t))
            return false;
        if (actions.IsAlive(t.Pid))
            return true;
        Drop(t);
        return false;
    }

    public override ulong ApplyScheme(DamonContext ctx, Target t, Region r, Damos s, out ulong szOpsFilterPassed)
    {
        szOpsFilterPassed = 0;
        if (s.Action == DamosAction.Stat && s.OpsFilters.Count == 0)
            return 0;
        ulong unit = Math.Max(ctx.AddrUnit, 1);
        try
        {
            var res = Id == OperationsId.Paddr
                ? actions.ApplyPaddr(r.Start * unit, r.End * unit, s)
                : actions.ApplyVaddr(t, r, s);
            szOpsFilterPassed = res.SzOpsFilterPassed / unit;
            return res.SzApplied / unit;
        }
        catch (TargetGoneException)
        {
            Drop(t);
            return 0;
        }
    }

    public override ulong BytesOnNode(DamonContext ctx, Target t, Region r, int nid)
    {
        ulong unit = Math.Max(ctx.AddrUnit, 1);
        return Id == OperationsId.Paddr ? actions.PaddrBytesOnNode(r.Start * unit, r.End * unit, nid) / unit : 0;
    }

    public override ulong LruBytes(DamonContext ctx, Target t, Region r)
    {
        ulong unit = Math.Max(ctx.AddrUnit, 1);
        return Id == OperationsId.Paddr ? actions.PaddrLruBytes(r.Start * unit, r.End * unit) / unit : 0;
    }

    private void Drop(Target t)
    {
        if (!_gone.Add(t))
            return;
        // Index in the context's target list, as the kernel's target filters count targets.
        Problems.TargetDropped(_indexOf?.Invoke(t) ?? -1, t.Pid);
    }

    private Func<Target, int>? _indexOf;

    /// <summary>Lets dropped-target notices name the target's index in its context.</summary>
    public void AttachTo(DamonContext ctx)
    {
        ctx.Ops = this;
        _indexOf = ctx.TargetIndex;
    }

    /// <summary>Targets dropped so far.</summary>
    public int NrGone => _gone.Count;
}
