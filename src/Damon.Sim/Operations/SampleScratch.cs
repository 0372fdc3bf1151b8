using Damon.Sim.Memory;

namespace Damon.Sim.Operations;

/// <summary>
/// What one context's vaddr prepare_access_checks read, for its check_accesses: each region's
/// sampled virtual page and the PTE found there, and each target's page table with its
/// <see cref="PageTable.Generation"/> at the time. While a target's generation is unchanged no PTE
/// of it was written, so check uses the PTE prepare read (the same value a second walk would find).
/// Grown to the largest number of regions seen, never shrunk: no allocation per sample.
/// </summary>
internal sealed class SampleScratch
{
    public ulong[] Vpages = [];
    public uint[] Ptes = [];
    public PageTable?[] TargetTables = [];
    public ulong[] TargetGenerations = [];

    public void EnsureRegions(int nr)
    {
        if (Vpages.Length >= nr)
            return;
        int n = Math.Max(nr, Vpages.Length * 2);
        Array.Resize(ref Vpages, n);
        Array.Resize(ref Ptes, n);
    }

    public void EnsureTargets(int nr)
    {
        if (TargetTables.Length >= nr)
            return;
        Array.Resize(ref TargetTables, nr);
        Array.Resize(ref TargetGenerations, nr);
    }

    /// <summary>Forget what prepare read (the page_fault primitive's prepare records nothing).</summary>
    public void Invalidate() => Array.Clear(TargetTables);
}
