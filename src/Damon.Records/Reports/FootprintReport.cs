using System.Text;

namespace Damon.Records.Reports;

/// <summary>
/// <c>damo report footprints</c>: the distribution of a memory footprint over the snapshots of a
/// <c>.mem_footprint</c> file, printed like <c>report wss</c>. vsz and rss sum the targets'
/// statm pages (4 KiB each, as damo assumes); sys_used is meminfo's total - free.
/// </summary>
public static class FootprintReport
{
    public static IReadOnlyList<string> Metrics { get; } = ["vsz", "rss", "sys_used", "all"];

    private const long PageSz = 4096;

    public static List<long> Dist(IReadOnlyList<MemFootprintFile.Snapshot> snapshots, string metric, bool sortBySize)
    {
        var dist = new List<long>(snapshots.Count);
        foreach (var s in snapshots)
        {
            long bytes = 0;
            switch (metric)
            {
                case "sys_used":
                    if (s.Sys is { } sys) bytes = (sys.TotalKib - sys.FreeKib) * 1024;
                    break;
                case "vsz":
                    foreach (var p in s.Procs.Values) bytes += p.SizePages * PageSz;
                    break;
                case "rss":
                    foreach (var p in s.Procs.Values) bytes += p.ResidentPages * PageSz;
                    break;
                default:
                    throw new ReportException($"unknown footprint metric '{metric}' (vsz, rss, sys_used or all)");
            }
            dist.Add(bytes);
        }
        if (sortBySize) dist.Sort();
        return dist;
    }

    /// <summary>Each metric's block followed by a newline, as damo prints them ("all" is vsz, rss, sys_used).</summary>
    public static string Render(IReadOnlyList<MemFootprintFile.Snapshot> snapshots, string metric, (int Start, int Stop, int Step) range,
        bool sortBySize, bool all, bool raw, int nrColsBar)
    {
        var percentiles = Distribution.Percentiles(range);
        var sb = new StringBuilder();
        foreach (var m in metric == "all" ? ["vsz", "rss", "sys_used"] : new[] { metric })
            sb.Append(Distribution.Format(m, Dist(snapshots, m, sortBySize), percentiles, all, raw, nrColsBar)).Append('\n');
        return sb.ToString();
    }
}
