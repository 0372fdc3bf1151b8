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
    private readonly Dictionary<object, ulong[]> _migratedPagesBy = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Called after every folio migration, so a meter can follow pages as they move and know who
    /// moved them (a fight between movers is only attributable per migration, not from snapshots).
    /// </summary>
    public Action<FolioMigration>? Migrated { get; set; }

    /// <summary>Pages <paramref name="by"/> moved from <paramref name="src"/> to <paramref name="dst"/> (null: the kernel's own moves).</summary>
    public ulong MigratedPagesBy(object? by, int src, int dst) =>
        _migratedPagesBy.TryGetValue(by ?? _migratedPagesBy, out var a) ? a[src * NrNodes + dst] : 0;

    /// <summary>Everyone that moved a page so far (the kernel's own moves not included).</summary>
    public IEnumerable<object> Movers => _migratedPagesBy.Keys.Where(k => !ReferenceEquals(k, _migratedPagesBy));

    private void AccountMigration(uint newHead, uint nr, int src, int dst, object? by)
    {
        // The kernel's own moves are kept under the dictionary itself: a key no caller can pass.
        object key = by ?? _migratedPagesBy;
        if (!_migratedPagesBy.TryGetValue(key, out var a))
            _migratedPagesBy[key] = a = new ulong[NrNodes * NrNodes];
        a[src * NrNodes + dst] += nr;
        Migrated?.Invoke(new FolioMigration(newHead, nr, src, dst, by));
    }
}
