using Damon.Sim.Machine;

namespace Damon.Tiering.Thp;

/// <summary>
/// A THP scenario: a machine (caches on, so the TLB makes huge pages faster), processes, and how
/// long to run. <see cref="Pressure"/> scenarios use a machine whose fast node cannot hold the
/// thp=always footprint, so bloat pushes used pages to the slow node.
/// </summary>
public sealed record ThpScenario(string Name, string Description, MachineSpec Machine, IReadOnlyList<ThpProcess> Processes, ulong DurationUs, bool Pressure)
{
    private const ulong MiB = 1UL << 20;

    /// <summary>A dense, TLB-bound random reader: every page of 128 MiB used, 30 ns of CPU per access.</summary>
    public static ThpProcess TlbBound(string name = "gups", ulong sizeBytes = 128 * MiB) => new(name, sizeBytes, 1, 30, IdleAfterInit: false);

    /// <summary>A sparse user of huge pages: 256 MiB mapped, one page in 16 written once, then idle (an arena mostly never used).</summary>
    public static ThpProcess Sparse(string name = "arena", ulong sizeBytes = 256 * MiB) => new(name, sizeBytes, 16, 30, IdleAfterInit: true);

    private static MachineSpec Roomy => MachineSpec.DefaultTwoTier(1024 * MiB, 1024 * MiB);
    /// <summary>Fast node 320 MiB: the mix's thp=never footprint (144 MiB) fits, its thp=always one (384 MiB) does not.</summary>
    private static MachineSpec Tight => MachineSpec.DefaultTwoTier(320 * MiB, 1024 * MiB);

    /// <summary>The built-in scenarios, in report order.</summary>
    public static IReadOnlyList<ThpScenario> All { get; } =
    [
        new("bloat", "thp=always with sparse use: an idle 256 MiB arena, 1 page in 16 used", Roomy, [Sparse()], 8_000_000, false),
        new("tlb", "TLB-bound random reads over 128 MiB, every page used", Roomy, [TlbBound()], 8_000_000, false),
        new("mix", "the TLB-bound reader beside the sparse arena", Roomy, [TlbBound(), Sparse()], 8_000_000, false),
        new("mix-pressure", "the mix on a 320 MiB fast node", Tight, [TlbBound(), Sparse()], 8_000_000, true),
    ];

    /// <summary>
    /// The tuner study: two TLB-bound readers of 512 MiB each on thp=never, so collapse is the only
    /// source of huge pages and 1 GiB is in use (a 0.5 pp band is 5 MiB, two 2 MiB blocks).
    /// </summary>
    public static ThpScenario Goal { get; } = new("goal", "two 512 MiB TLB-bound readers, thp=never, collapse toward a hugepage_mem_bp target",
        MachineSpec.DefaultTwoTier(2048 * MiB, 1024 * MiB), [TlbBound("gups-a", 512 * MiB), TlbBound("gups-b", 512 * MiB)], 10_000_000, false);
}
