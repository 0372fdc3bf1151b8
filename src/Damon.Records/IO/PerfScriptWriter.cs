using System.Globalization;
using System.Text;
using Damon.Records.Model;

namespace Damon.Records.IO;

/// <summary>
/// Writes records as <c>perf script</c>-like <c>damon_aggregated</c> lines, damo's
/// <c>perf_script</c> format. The format keeps only end times (microsecond resolution), target ids,
/// regions, nr_accesses in samples and age in aggregation intervals; intervals, filters and
/// per-region filter results are lost.
/// </summary>
public static class PerfScriptWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(IReadOnlyList<DamonRecord> records, Stream output) =>
        Write(records.Select(r => (r, (IEnumerable<DamonSnapshot>)r.Snapshots)), output);

    /// <summary>Writes records whose snapshots are produced while writing; the headers' own snapshots are ignored.</summary>
    internal static void Write(IEnumerable<(DamonRecord Header, IEnumerable<DamonSnapshot> Snapshots)> records, Stream output)
    {
        using var w = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        foreach (var (record, snapshots) in records)
        {
            string targetId = record.TargetId?.ToString(Inv) ?? "0";
            DamonSnapshot? first = null;
            int nrSnapshots = 0;
            foreach (var snapshot in snapshots)
            {
                first ??= snapshot;
                nrSnapshots++;
                WriteSnapshot(w, record, targetId, snapshot);
            }
            if (nrSnapshots == 1)
            {
                // Readers infer start times from the previous end time; give them one.
                long durationNs = first!.EndTimeNs - first.StartTimeNs;
                WriteSnapshot(w, record, targetId, new DamonSnapshot(first.EndTimeNs, first.EndTimeNs + durationNs, [new DamonRegion(0, 0, -1, -1)]));
            }
        }
        w.Flush();
    }

    private static void WriteSnapshot(StreamWriter w, DamonRecord record, string targetId, DamonSnapshot snapshot)
    {
        string timestamp = (snapshot.EndTimeNs / 1000000000.0).ToString("F6", Inv);
        foreach (var region in snapshot.Regions)
        {
            var copy = region.Clone();
            copy.Resolve(record.Intervals);
            if (copy.NrAccessesSamples is not long samples)
                throw new ArgumentException(
                    $"region {region.Start}-{region.End} has no nr_accesses; perf_script cannot represent it", nameof(snapshot));
            w.Write("kdamond.x xxxx xxxx ");
            w.Write(timestamp);
            w.Write(": damon:damon_aggregated: target_id=");
            w.Write(targetId);
            w.Write(" nr_regions=");
            w.Write(snapshot.Regions.Count.ToString(Inv));
            w.Write(' ');
            w.Write(region.Start.ToString(Inv));
            w.Write('-');
            w.Write(region.End.ToString(Inv));
            w.Write(": ");
            w.Write(samples.ToString(Inv));
            // An unknown age is left out (the kernel's older 6-field form) rather than printed as "None".
            if (copy.AgeAggrIntervals is long age)
            {
                w.Write(' ');
                w.Write(age.ToString(Inv));
            }
            w.Write('\n');
        }
    }
}
