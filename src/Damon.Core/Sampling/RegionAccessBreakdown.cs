using Damon.Core.Monitoring;

namespace Damon.Core.Sampling;

/// <summary>
/// Who made a region's counted accesses in the current aggregation window: per CPU, per thread, and
/// how many were writes. Beyond the RFC, which keeps no breakdown (docs/kernel-differences.md,
/// "Access reports"). Counted exactly as nr_accesses is: one per region per sample, for the report
/// that made the region count (<see cref="DamonReports.KdamondCheckReportedAccesses"/>), so each of
/// <see cref="Cpus"/>, <see cref="Tids"/> and writes + reads sums to <see cref="NrAttributed"/>,
/// which is nr_accesses when every sample of the window came from reports.
/// <para>
/// It follows nr_accesses through the region's life: cleared at the aggregation reset (and when a
/// commit restarts the window), copied to both halves of a split, size-weighted at a merge and
/// converted with nr_accesses when the intervals change, each dimension apportioned to the new
/// attributed total (<see cref="AccessKeyCounts.SetWeighted"/>). A region gets one only when a
/// report is folded into it; regions of contexts that use no reports never do.
/// </para>
/// </summary>
public sealed class RegionAccessBreakdown
{
    private const int ReadKey = 0, WriteKey = 1;

    private readonly AccessKeyCounts _rw = new();

    /// <summary>Counted accesses by the CPU the report names.</summary>
    public AccessKeyCounts Cpus { get; } = new();

    /// <summary>Counted accesses by the thread id the report names.</summary>
    public AccessKeyCounts Tids { get; } = new();

    public uint NrWrites => _rw.Get(WriteKey);
    public uint NrReads => _rw.Get(ReadKey);

    /// <summary>Counted accesses the breakdown attributes; at most the region's nr_accesses.</summary>
    public uint NrAttributed => _rw.Total;

    /// <summary>One counted access, made by <paramref name="report"/>.</summary>
    public void Count(in DamonAccessReport report)
    {
        Cpus.Add(report.Cpu);
        Tids.Add(report.Tid);
        _rw.Add(report.IsWrite ? WriteKey : ReadKey);
    }

    public void Clear()
    {
        Cpus.Clear();
        Tids.Clear();
        _rw.Clear();
    }

    public void CopyFrom(RegionAccessBreakdown other)
    {
        Cpus.CopyFrom(other.Cpus);
        Tids.CopyFrom(other.Tids);
        _rw.CopyFrom(other._rw);
    }

    /// <summary>
    /// The counts scaled from <see cref="NrAttributed"/> to <paramref name="newTotal"/> attributed
    /// accesses (damon_update_monitoring_result converting nr_accesses to a new window length).
    /// </summary>
    public void Rescale(uint newTotal)
    {
        uint old = NrAttributed;
        if (old == newTotal) return;
        Cpus.SetWeighted(Cpus, newTotal, null, 0, old, newTotal);
        Tids.SetWeighted(Tids, newTotal, null, 0, old, newTotal);
        _rw.SetWeighted(_rw, newTotal, null, 0, old, newTotal);
    }

    /// <summary>The counts, copied out (an aggregation snapshot).</summary>
    public AccessBreakdownCounts ToCounts() => NrAttributed == 0
        ? AccessBreakdownCounts.Empty
        : new AccessBreakdownCounts(Cpus.ToArray(), Tids.ToArray(), NrWrites, NrReads);

    /// <summary>damon_split_region_at: the new piece <paramref name="n"/> keeps the counts, as it keeps nr_accesses.</summary>
    internal static void OnSplit(Region r, Region n)
    {
        if (r.AccessesBy is { } b)
            (n.AccessesBy ??= new RegionAccessBreakdown()).CopyFrom(b);
        else
            n.AccessesBy?.Clear();
    }

    /// <summary>
    /// damon_merge_two_regions: <paramref name="l"/> (of <paramref name="sl"/> bytes) absorbs
    /// <paramref name="r"/> (<paramref name="sr"/> bytes). The attributed total becomes the
    /// size-weighted average nr_accesses gets, ⌊(Al·sl + Ar·sr) / (sl + sr)⌋, and each key its
    /// size-weighted share of it (largest remainders get the units the integer parts leave).
    /// </summary>
    internal static void OnMerge(Region l, Region r, ulong sl, ulong sr)
    {
        var rb = r.AccessesBy;
        if (l.AccessesBy is null && (rb is null || rb.NrAttributed == 0))
            return;
        var lb = l.AccessesBy ??= new RegionAccessBreakdown();
        ulong s = sl + sr;
        var empty = rb ?? Empty;
        uint total = (uint)(((UInt128)lb.NrAttributed * sl + (UInt128)empty.NrAttributed * sr) / s);
        lb.Cpus.SetWeighted(lb.Cpus, sl, empty.Cpus, sr, s, total);
        lb.Tids.SetWeighted(lb.Tids, sl, empty.Tids, sr, s, total);
        lb._rw.SetWeighted(lb._rw, sl, empty._rw, sr, s, total);
    }

    // Stands for a region without a breakdown in a merge; never counted into.
    private static readonly RegionAccessBreakdown Empty = new();
}

/// <summary>
/// A region's <see cref="RegionAccessBreakdown"/> at an aggregation, copied out: counted accesses
/// per CPU and per thread id (ascending keys, no zero counts), writes and reads. Compared by value.
/// </summary>
public sealed class AccessBreakdownCounts(IReadOnlyList<AccessKeyCount> cpus, IReadOnlyList<AccessKeyCount> tids, uint nrWrites, uint nrReads)
    : IEquatable<AccessBreakdownCounts>
{
    /// <summary>No access attributed: a region of a context that folds reports, which none reached.</summary>
    public static AccessBreakdownCounts Empty { get; } = new([], [], 0, 0);

    public IReadOnlyList<AccessKeyCount> Cpus { get; } = cpus;
    public IReadOnlyList<AccessKeyCount> Tids { get; } = tids;
    public uint NrWrites { get; } = nrWrites;
    public uint NrReads { get; } = nrReads;
    public uint NrAttributed => NrWrites + NrReads;

    public bool Equals(AccessBreakdownCounts? other) =>
        other is not null && NrWrites == other.NrWrites && NrReads == other.NrReads
        && Cpus.SequenceEqual(other.Cpus) && Tids.SequenceEqual(other.Tids);

    public override bool Equals(object? obj) => Equals(obj as AccessBreakdownCounts);

    public override int GetHashCode() => HashCode.Combine(NrWrites, NrReads, Cpus.Count, Tids.Count);

    public override string ToString() =>
        $"cpu {{{string.Join(", ", Cpus.Select(c => $"{c.Key}: {c.Count}"))}}} tid {{{string.Join(", ", Tids.Select(c => $"{c.Key}: {c.Count}"))}}} write {NrWrites} read {NrReads}";
}
