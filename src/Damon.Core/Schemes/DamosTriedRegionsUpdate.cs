using Damon.Core.Monitoring;

namespace Damon.Core.Schemes;

/// <summary>
/// The <c>update_schemes_tried_regions</c> / <c>update_schemes_tried_bytes</c> state command
/// (sysfs.c damon_sysfs_update_schemes_tried_regions): clear every scheme's tried regions, then
/// install one damos_walk whose walk_fn (damos_sysfs_populate_region_dir) adds each region handed
/// to the operations set to its scheme's list and <c>total_bytes</c>. The lists fill over the next
/// apply round of every scheme; <see cref="Task"/> completes with the walk (or faults with
/// -ECANCELED when the kdamond pauses, deactivates every scheme or exits first, leaving what was
/// gathered until then, as the sysfs directories would).
/// </summary>
public sealed class DamosTriedRegionsUpdate
{
    private readonly List<DamosTriedRegion>[] _regions;
    private readonly ulong[] _totalBytes;

    private DamosTriedRegionsUpdate(int nrSchemes, bool totalBytesOnly)
    {
        _regions = new List<DamosTriedRegion>[nrSchemes];
        for (int i = 0; i < nrSchemes; i++)
            _regions[i] = [];
        _totalBytes = new ulong[nrSchemes];
        TotalBytesOnly = totalBytesOnly;
    }

    /// <summary>update_schemes_tried_bytes: only <see cref="TotalBytes"/> is kept, no regions.</summary>
    public bool TotalBytesOnly { get; }

    /// <summary>The walk: done after one apply round of every scheme.</summary>
    public Task Task { get; private set; } = Task.CompletedTask;

    /// <summary>Schemes the update has lists for: those of the context when it was requested.</summary>
    public int NrSchemes => _regions.Length;

    /// <summary>tried_regions/&lt;k&gt;/ of scheme <paramref name="schemeIdx"/>, in the order tried.</summary>
    public IReadOnlyList<DamosTriedRegion> Regions(int schemeIdx) => _regions[schemeIdx];

    /// <summary>tried_regions/total_bytes of scheme <paramref name="schemeIdx"/>.</summary>
    public ulong TotalBytes(int schemeIdx) => _totalBytes[schemeIdx];

    /// <summary>
    /// Request the update on <paramref name="kdamond"/>. Throws -EBUSY while another walk is
    /// pending and -ECANCELED once the kdamond is terminating (damos_walk).
    /// </summary>
    public static DamosTriedRegionsUpdate Start(Kdamond kdamond, bool totalBytesOnly = false)
    {
        var update = new DamosTriedRegionsUpdate(kdamond.Ctx.Schemes.Count, totalBytesOnly);
        update.Task = kdamond.Walk(update.PopulateRegionDir);
        return update;
    }

    /// <summary>damos_sysfs_populate_region_dir.</summary>
    private void PopulateRegionDir(DamonContext ctx, Target t, Region r, Damos s, ulong szFilterPassed)
    {
        int schemesIdx = ctx.Schemes.IndexOf(s);
        // A scheme added by an online commit after the request has no directory to fill.
        if (schemesIdx < 0 || schemesIdx >= _regions.Length)
            return;
        _totalBytes[schemesIdx] += r.End - r.Start;
        if (TotalBytesOnly)
            return;
        _regions[schemesIdx].Add(new DamosTriedRegion(r.Start, r.End, DamonCore.NrAccessesMvsum(r, ctx), RegionOwnAges.Of(r, s.AgeOwner), szFilterPassed));
    }
}
