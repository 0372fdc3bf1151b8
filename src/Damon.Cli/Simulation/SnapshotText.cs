using System.Globalization;
using Damon.Host.Snapshots;

namespace Damon.Cli.Simulation;

/// <summary>
/// A captured snapshot as damo-like rows (address range, size, access rate, age) with a heat
/// bar, readable at a glance: the hotter the region, the longer its bar. By default, adjacent
/// regions of similar access rate share a row (the "regions" column says how many), because
/// DAMON keeps splitting a uniformly hot area into many small regions whose rates differ only by
/// sampling noise; <c>allRegions</c> prints every region as damo does.
/// </summary>
internal static class SnapshotText
{
    private const int BarWidth = 20;
    /// <summary>Adjacent accessed regions within this many percentage points of their row's mean share it.</summary>
    private const double GroupTolerancePercent = 30;

    public static void Write(TextWriter o, AggregationSnapshot s, IReadOnlyList<(ulong Start, ulong End)> knownHot, bool allRegions = false)
    {
        var inv = CultureInfo.InvariantCulture;
        uint max = s.MaxNrAccesses;
        foreach (var t in s.Targets)
        {
            string who = t.Pid is int pid ? $"pid {pid}" : "physical memory";
            o.Write(string.Create(inv,
                $"t={TextFormat.Seconds(s.TimeUs)}  {s.Context.Label}  {who}  nr_regions {t.Regions.Count}  sample {TextFormat.Time(s.Attrs.SampleIntervalUs)}  aggr {TextFormat.Time(s.Attrs.AggrIntervalUs)}\n"));
            var rows = new List<string[]> { new[] { "start", "end", "size", "regions", "access", "age", "heat", "" } };
            ulong totalSz = 0, accessedSz = 0;
            foreach (var g in Group(t.Regions, max, allRegions, s.Attrs.AggrIntervalUs))
            {
                totalSz += g.Size;
                if (g.AccessPercent > 0) accessedSz += g.Size;
                bool hot = t.Pid is not null && knownHot.Count > 0 && WorkloadHints.MostlyIn(g.Start, g.End, knownHot);
                rows.Add([
                    TextFormat.Hex(g.Start),
                    TextFormat.Hex(g.End),
                    Units.FormatBytes(g.Size),
                    g.NrRegions.ToString(inv),
                    string.Create(inv, $"{g.AccessPercent:0} %"),
                    g.AgeUs == 0 ? "0" : TextFormat.Time(g.AgeUs),
                    "|" + TextFormat.Bar((ulong)Math.Round(g.AccessPercent * 10), 1000, BarWidth) + "|",
                    hot ? "<- hot set" : "",
                ]);
            }
            TextFormat.Table(o, rows, leftAligned: 2, indent: "  ");
            o.Write(string.Create(inv, $"  total {Units.FormatBytes(totalSz)}, accessed {Units.FormatBytes(accessedSz)}\n\n"));
        }
    }

    /// <summary>A printed row: one region, or adjacent regions of similar access rate (size-weighted means).</summary>
    internal readonly record struct RowGroup(ulong Start, ulong End, int NrRegions, double AccessPercent, ulong AgeUs)
    {
        public ulong Size => End - Start;
    }

    internal static List<RowGroup> Group(IReadOnlyList<RegionRow> regions, uint maxNrAccesses, bool allRegions, ulong aggrUs)
    {
        var groups = new List<RowGroup>();
        int i = 0;
        while (i < regions.Count)
        {
            var first = regions[i];
            double weighted = Percent(first, maxNrAccesses) * first.Size;
            double ageWeighted = (double)first.Age * first.Size;
            ulong sz = first.Size, end = first.End;
            int n = 1;
            while (!allRegions && i + n < regions.Count)
            {
                var next = regions[i + n];
                if (next.Start != end) break;
                double mean = weighted / sz, rate = Percent(next, maxNrAccesses);
                bool similar = mean == 0 ? rate == 0 : rate > 0 && Math.Abs(rate - mean) <= GroupTolerancePercent;
                if (!similar) break;
                weighted += rate * next.Size;
                ageWeighted += (double)next.Age * next.Size;
                sz += next.Size;
                end = next.End;
                n++;
            }
            groups.Add(new RowGroup(first.Start, end, n, weighted / sz, (ulong)(ageWeighted / sz * aggrUs)));
            i += n;
        }
        return groups;
    }

    private static double Percent(RegionRow r, uint max) => r.NrAccesses * 100.0 / max;
}
