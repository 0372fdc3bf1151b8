namespace Damon.Tiering.Interference;

/// <summary>
/// How a kernel lets DAMON's page-fault primitive and NUMA balancing live with one PROT_NONE
/// protection: the options argued on linux-mm and at LSF/MM/BPF 2026 ("Allowing NUMA hinting
/// faults or alternatives to DAMON"), plus the bookkeeping a kernel would need to tell the marks apart.
/// </summary>
public enum FaultSharing
{
    /// <summary>Build-time exclusion, NUMA balancing built: DAMON has no page-fault primitive and samples accessed bits.</summary>
    ExclusionNuma,
    /// <summary>Build-time exclusion, the page-fault primitive built: no NUMA balancing, so no promotion.</summary>
    ExclusionDamon,
    /// <summary>Run-time isolation: one user active at a time; a switch removes the outgoing user's marks (a page-table walk).</summary>
    RuntimeIsolation,
    /// <summary>Partial isolation: one user active at a time; marks stay across a switch and fault to the active user.</summary>
    PartialIsolation,
    /// <summary>Allowed to interfere: both always on, every fault goes to both (do_numa_page and DAMON's report).</summary>
    Interfere,
    /// <summary>Both always on, with bookkeeping of whose mark a PTE carries: each fault goes only to the user(s) who marked it.</summary>
    Tagged,
}

/// <summary>Which user an isolation policy has active.</summary>
public enum FaultSide
{
    Numa,
    Damon,
}

/// <summary>The primitive DAMON samples with in a run, if DAMON runs at all.</summary>
public enum DamonSampling
{
    None,
    PageTable,
    PageFault,
}

public static class FaultSharingNames
{
    /// <summary>The policy's name in tables and in <c>interference[].policy</c>.</summary>
    public static string Name(this FaultSharing s) => s switch
    {
        FaultSharing.ExclusionNuma => "exclusion-numab",
        FaultSharing.ExclusionDamon => "exclusion-damon",
        FaultSharing.RuntimeIsolation => "runtime-isolation",
        FaultSharing.PartialIsolation => "partial-isolation",
        FaultSharing.Interfere => "interfere",
        FaultSharing.Tagged => "tagged",
        _ => throw new ArgumentOutOfRangeException(nameof(s), s, null),
    };

    public static bool IsIsolation(this FaultSharing s) => s is FaultSharing.RuntimeIsolation or FaultSharing.PartialIsolation;
}
