using System.Globalization;
using System.Text;
using Damon.Records.Model;
using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>
/// <c>damo report access --raw_form</c>: every snapshot with times relative to the record start
/// and one line per region in hexadecimal addresses, samples and aggregation intervals.
/// </summary>
public static class AccessRawReport
{
    public static string Render(IReadOnlyList<DamonRecord> records, bool rawNumber)
    {
        var lines = new List<string>();
        foreach (var record in records)
        {
            if (record.Snapshots.Count == 0) continue;
            var baseTime = record.Snapshots[0].StartTime;
            lines.Add("base_time_absolute: " + DamoFormat.TimeNs(baseTime, rawNumber));
            lines.Add("data source: " + record.DataSource + "\n");
            foreach (var snapshot in record.Snapshots)
            {
                lines.Add("monitoring_start:    " + DamoFormat.TimeNs(snapshot.StartTime - baseTime, rawNumber).PadLeft(16));
                lines.Add("monitoring_end:      " + DamoFormat.TimeNs(snapshot.EndTimeNs - baseTime, rawNumber).PadLeft(16));
                lines.Add("monitoring_duration: " + DamoFormat.TimeNs(snapshot.EndTimeNs - snapshot.StartTime, rawNumber).PadLeft(16));
                lines.Add("target_id: " + record.TargetIdText);
                lines.Add("nr_regions: " + snapshot.Regions.Count.ToString(CultureInfo.InvariantCulture));
                lines.Add("# start_addr     end_addr        length  nr_accesses   age");
                var sb = new StringBuilder();
                foreach (var r in snapshot.Regions)
                {
                    sb.Clear();
                    sb.Append(Hex12(r.Start)).Append('-').Append(Hex12(r.End));
                    sb.Append(" (").Append(DamoFormat.Sz(r.Sz, rawNumber).PadLeft(12)).Append(") ");
                    sb.Append((r.NrAccessesSamples ?? 0).ToString(CultureInfo.InvariantCulture).PadLeft(11)).Append(' ');
                    sb.Append((r.AgeAggrIntervals ?? -1).ToString(CultureInfo.InvariantCulture).PadLeft(5));
                    lines.Add(sb.ToString());
                }
                lines.Add("");
            }
        }
        lines.Add("");
        return DamoOutput.AsPrinted(string.Join("\n", lines));
    }

    private static string Hex12(long value) =>
        value < 0 ? "-" + (-value).ToString("x12", CultureInfo.InvariantCulture) : value.ToString("x12", CultureInfo.InvariantCulture);
}
