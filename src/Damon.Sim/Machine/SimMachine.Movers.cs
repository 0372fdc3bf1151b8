namespace Damon.Sim.Machine;

/// <summary>
/// One folio moved by <see cref="SimMachine.MigrateFolio"/>: its new head frame (which carries the
/// owner's reverse map), its size, the nodes, and who asked for it (<c>by</c>: the same owner key
/// as <see cref="SimMachine.ChargeBackground"/> — a DAMON context, a NUMA-balancing scanner, a
/// scenario's move — or null for the kernel's own, e.g. reclaim demotion).
/// </summary>
public readonly record struct FolioMigration(uint NewHead, uint NrPages, int Src, int Dst, object? By);

public sealed partial class SimMachine
{
    /// <summary>
    /// Called after every folio migration, so a meter can follow pages as they move and know who
    /// moved them (a fight between movers is only attributable per migration, not from snapshots).
    /// </summary>
    public Action<FolioMigration>? Migrated { get; set; }
}
