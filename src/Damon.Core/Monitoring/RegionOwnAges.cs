namespace Damon.Core.Monitoring;

/// <summary>
/// Ages per scheme owner for a context several modules share (DAMON-X, <see cref="DamonContext.DamosShared"/>).
/// The kernel resets a region's one age whenever any non-stat action is applied to it; in a
/// shared context that would let one module's hints or no-op migrations hide a region's idleness
/// from another module's age-based pattern, which separate kdamonds never do. Each owner
/// (<see cref="Schemes.Damos.AgeOwner"/>) therefore keeps its own age, moved in lockstep with
/// <see cref="Region.Age"/> by the monitoring (age++, pattern-change reset, merge, split, attrs
/// change) and reset alone by its own schemes' actions, moving or not: separate kdamonds never see
/// each other's actions in their ages either. <see cref="Region.Age"/> itself then changes only by
/// the monitoring (what a scheme-less module such as DAMON_STAT reads). Null means every owner's age is
/// <see cref="Region.Age"/>: regions no action touched cost nothing.
/// </summary>
public static class RegionOwnAges
{
    /// <summary>The age <paramref name="owner"/>'s schemes see (-1: the region's own age).</summary>
    public static uint Of(Region r, int owner) =>
        owner >= 0 && r.OwnAges is { } a && owner < a.Length ? a[owner] : r.Age;

    /// <summary>An action of <paramref name="owner"/>'s scheme: only its age starts afresh.</summary>
    public static void ResetOwner(Region r, int owner)
    {
        var a = r.OwnAges;
        if (a is null || a.Length <= owner)
        {
            var grown = new uint[owner + 1];
            for (int i = 0; i < grown.Length; i++)
                grown[i] = a is not null && i < a.Length ? a[i] : r.Age;
            r.OwnAges = a = grown;
        }
        a[owner] = 0;
    }

    /// <summary>The pattern aged one more aggregation: so did every owner's view of it.</summary>
    internal static void Increment(Region r)
    {
        if (r.OwnAges is not { } a)
            return;
        for (int i = 0; i < a.Length; i++)
            a[i]++;
    }

    /// <summary>damon_merge_two_regions' size-weighted age, per owner.</summary>
    internal static void Merge(Region l, Region r, ulong sl, ulong sr)
    {
        if (l.OwnAges is null && r.OwnAges is null)
            return;
        int n = Math.Max(l.OwnAges?.Length ?? 0, r.OwnAges?.Length ?? 0);
        // In place when l's array is long enough: index i reads only index i.
        var merged = l.OwnAges is { } la && la.Length >= n ? la : new uint[n];
        for (int i = 0; i < n; i++)
            merged[i] = (uint)(((ulong)Of(l, i) * sl + (ulong)Of(r, i) * sr) / (sl + sr));
        l.OwnAges = merged;
    }

    /// <summary>Whether two neighbours look the same to every owner (the apply round's merge-back test).</summary>
    internal static bool Equal(Region a, Region b)
    {
        if (a.OwnAges is null && b.OwnAges is null)
            return true;
        int n = Math.Max(a.OwnAges?.Length ?? 0, b.OwnAges?.Length ?? 0);
        for (int i = 0; i < n; i++)
            if (Of(a, i) != Of(b, i))
                return false;
        return true;
    }

    /// <summary>damon_update_monitoring_result's age conversion, per owner.</summary>
    internal static void Rescale(Region r, ulong oldAggrUs, ulong newAggrUs)
    {
        if (r.OwnAges is not { } a)
            return;
        for (int i = 0; i < a.Length; i++)
            a[i] = (uint)((ulong)a[i] * oldAggrUs / newAggrUs);
    }
}
