namespace Damon.Sim.Machine;

/// <summary>
/// What moving one folio costs (tiering.md §3.2): isolate + rmap unmap + remap, one TLB shootdown
/// per folio (a THP needs one, not 512), and the copy at a copy bandwidth that is higher for THP.
/// Defaults give ≈5.4 µs per 4 KiB page and ≈136 µs per 2 MiB THP.
/// </summary>
public sealed record MigrationCostSpec(
    uint FixedNsPerFolio = 2_000,
    uint TlbShootdownNs = 3_000,
    double CopyBandwidthGBps = 10,
    double ThpCopyBandwidthGBps = 16)
{
    public ulong FolioCostNs(ulong folioBytes, bool thp)
    {
        double bw = thp ? ThpCopyBandwidthGBps : CopyBandwidthGBps;
        return FixedNsPerFolio + TlbShootdownNs + (ulong)(folioBytes / bw);
    }
}
