using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;

namespace Damon.Linux.Backend.UserMode;

/// <summary>What an action did to one region, in the kernel's DAMOS accounting (bytes).</summary>
public readonly record struct DamosActionResult(ulong SzApplied, ulong SzOpsFilterPassed);

/// <summary>
/// The action layer user mode acts through: move_pages(2) and process_madvise(2) on real
/// processes (<see cref="LinuxUserModeActions"/>), or a fake in tests. Failures that end a
/// target throw <see cref="TargetGoneException"/>; per-page failures are counted in
/// <see cref="UserModeProblems"/> and the call returns what it did apply.
/// </summary>
public interface IUserModeActions
{
    /// <summary>Whether the process still exists (damon_va_target_valid).</summary>
    bool IsAlive(int pid);

    /// <summary>damon_va_apply_scheme: the scheme's action on region <paramref name="r"/> of process target <paramref name="t"/>.</summary>
    DamosActionResult ApplyVaddr(Target t, Region r, Damos s);

    /// <summary>The scheme's action on physical [start, end) (bytes).</summary>
    DamosActionResult ApplyPaddr(ulong start, ulong end, Damos s);

    /// <summary>Bytes of physical [start, end) that sit on <paramref name="nid"/> (node_eligible_mem_bp).</summary>
    ulong PaddrBytesOnNode(ulong start, ulong end, int nid);

    /// <summary>Bytes of physical [start, end) in pages that processes map (the LRU pages user mode can see; node_eligible_mem_bp's denominator).</summary>
    ulong PaddrLruBytes(ulong start, ulong end);

    /// <summary>
    /// Null if this layer can run the scheme on <paramref name="ops"/> targets, else one clause
    /// saying what it cannot do (an ops filter it cannot evaluate, an action it has no call for).
    /// </summary>
    string? CheckScheme(Damos s, OperationsId ops);

    /// <summary>A new apply round begins: cached mappings (the paddr reverse map) are stale.</summary>
    void NewApplyRound();
}

/// <summary>The target process exited (ESRCH): the target is dropped, the others keep being served.</summary>
public sealed class TargetGoneException(int pid) : Exception($"pid {pid} exited")
{
    public int Pid { get; } = pid;
}
