using System.Text;
using Damon.Records.Model;
using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>
/// <c>damo report times</c>: the time intervals (seconds, absolute) during which the filtered
/// record still had regions, i.e. when the access pattern asked for by the filters held.
/// Snapshots left with no region end an interval; back-to-back snapshots extend one.
/// </summary>
public static class TimesReport
{
    public static List<(PyNum StartNs, PyNum EndNs)> Intervals(IReadOnlyList<DamonRecord> records)
    {
        var times = new List<(PyNum StartNs, PyNum EndNs)>();
        foreach (var record in records)
            foreach (var snapshot in record.Snapshots)
            {
                if (snapshot.Regions.Count == 0) continue;
                if (times.Count > 0 && times[^1].EndNs.CompareTo(snapshot.StartTime) == 0)
                    times[^1] = (times[^1].StartNs, snapshot.EndTimeNs);
                else
                    times.Add((snapshot.StartTime, snapshot.EndTimeNs));
            }
        return times;
    }

    /// <summary>damo prints "start-end" then "# (seconds)" for every interval, and nothing when none matched.</summary>
    public static string Render(IReadOnlyList<DamonRecord> records)
    {
        var sb = new StringBuilder();
        foreach (var (start, end) in Intervals(records))
            sb.Append(Seconds(start)).Append('-').Append(Seconds(end)).Append("\n# (seconds)\n");
        return sb.ToString();
    }

    private static string Seconds(PyNum ns) => PyFormat.F(ns.AsDouble / 1e9, 6);
}
