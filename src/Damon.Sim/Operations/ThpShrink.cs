namespace Damon.Sim.Operations;

/// <summary>
/// What the simulated vaddr <c>nohugepage</c> action also does to the THPs already mapped in the
/// range. MADV_NOHUGEPAGE only clears VM_HUGEPAGE (existing THPs stay), which is
/// <see cref="None"/>, the default; the other two are the damos_hugepage prototype's split and
/// Hildenbrand's alternative, which mainline DAMOS has no action for (docs/kernel-differences.md).
/// </summary>
public enum ThpShrink
{
    /// <summary>As the kernel: the advice only, mapped THPs untouched.</summary>
    None,
    /// <summary>Split each THP in place and free its never-touched subpages (<see cref="Machine.SimMachine.SplitUnderusedThp"/>).</summary>
    Split,
    /// <summary>Copy each THP's touched subpages to base pages and free the 2 MiB block (<see cref="Machine.SimMachine.MoveUsedSubpagesOut"/>).</summary>
    MoveOut,
}
