using System.Diagnostics;
using System.Globalization;

namespace Damon.Linux.Backend.Profile;

/// <summary>
/// Where one aggregation round of the Linux backend spends its wall time, summed over the run: the
/// update_schemes_tried_regions command (the kernel answers at its next apply, so this includes the wait for it),
/// reading the tried regions, rebuilding user mode's frame index (/proc/PID/maps + pagemap) and the rest of Damon's
/// DAMOS (scoring, move_pages). User mode acts at the pace of these rounds, so the guest runs print them
/// (docs/results/linux-guest.md). Times come from <see cref="Stopwatch"/>; nothing here decides anything.
/// </summary>
public sealed class RoundTimes
{
    private long _updateTicks, _readTicks, _indexTicks, _damosTicks;
    private long _rounds, _regions, _indexRebuilds, _indexPages;

    public long Rounds => Interlocked.Read(ref _rounds);
    public long RegionsRead => Interlocked.Read(ref _regions);

    public static long Now() => Stopwatch.GetTimestamp();

    public void AddUpdate(long since) => Interlocked.Add(ref _updateTicks, Stopwatch.GetTimestamp() - since);

    public void AddRead(long since, int nrRegions)
    {
        Interlocked.Add(ref _readTicks, Stopwatch.GetTimestamp() - since);
        Interlocked.Add(ref _regions, nrRegions);
    }

    public void AddIndex(long since, int nrPages)
    {
        Interlocked.Add(ref _indexTicks, Stopwatch.GetTimestamp() - since);
        Interlocked.Increment(ref _indexRebuilds);
        Interlocked.Add(ref _indexPages, nrPages);
    }

    /// <summary>The whole of Damon's apply round; the index rebuild inside it is subtracted in <see cref="Summary"/>.</summary>
    public void AddDamos(long since) => Interlocked.Add(ref _damosTicks, Stopwatch.GetTimestamp() - since);

    public void EndRound() => Interlocked.Increment(ref _rounds);

    private static double Us(long ticks) => ticks * 1e6 / Stopwatch.Frequency;

    /// <summary>"rounds 120: update 80000 us, read 20000 us (150 regions, 130 us/region), index 9000 us (17000 pages), damos 3000 us per round".</summary>
    public string Summary()
    {
        long n = Math.Max(Rounds, 1), regions = RegionsRead, rebuilds = Math.Max(Interlocked.Read(ref _indexRebuilds), 1);
        double update = Us(Interlocked.Read(ref _updateTicks)), read = Us(Interlocked.Read(ref _readTicks));
        double index = Us(Interlocked.Read(ref _indexTicks)), damos = Us(Interlocked.Read(ref _damosTicks)) - index;
        return string.Create(CultureInfo.InvariantCulture,
            $"rounds {Rounds}: update {update / n:F0} us, read {read / n:F0} us ({(double)regions / n:F0} regions, "
            + $"{(regions == 0 ? 0 : read / regions):F1} us/region), index {index / n:F0} us ({Interlocked.Read(ref _indexPages) / rebuilds} pages), "
            + $"damos {damos / n:F0} us per round");
    }
}
