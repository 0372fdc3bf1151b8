using System.Globalization;
using System.Text;
using Damon.Records.Model;

namespace Damon.Records.IO;

/// <summary>
/// Reads DAMON tracepoint text as printed by <c>perf script</c> or <c>trace-cmd report</c>
/// (damo's <c>perf_script</c> record format). Only <c>damon_aggregated</c>,
/// <c>damos_before_apply</c> and <c>damon_monitor_intervals_tune</c> lines are used; any other
/// line is skipped, as damo does. A damon line that does not parse, or a last snapshot with fewer
/// regions than its nr_regions field announced, is an error.
/// </summary>
public static partial class PerfScriptReader
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static List<DamonRecord> Parse(string text, string filePath)
    {
        var records = new List<DamonRecord>();
        DamonSnapshot? open = null;
        DamonRecord? openRecord = null;
        int openExpected = 0;
        long openLine = 0;
        var openWheres = new List<string>();
        long? sampleIntervalUs = null;
        long lineNo = 0;
        long lineOffset = 0;
        long nrDamonEvents = 0;

        foreach (var rawLine in text.Split('\n'))
        {
            lineNo++;
            long thisOffset = lineOffset;
            lineOffset += Encoding.UTF8.GetByteCount(rawLine) + 1;
            var fields = rawLine.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4) continue;
            // perf script: <comm> <pid> [cpu] <ts>: <event>: ...; trace-cmd: <comm-pid> [cpu] [latency] <ts>: <event>: ...
            int tsIdx = fields[2].EndsWith(':') ? 2 : 3;
            if (fields.Length < tsIdx + 2 || !fields[tsIdx].EndsWith(':')) continue;
            string eventName = fields[tsIdx + 1].TrimEnd(':');
            if (eventName.StartsWith("damon:", StringComparison.Ordinal)) eventName = eventName["damon:".Length..];
            var args = fields[(tsIdx + 2)..];
            string where = $"line {lineNo} (byte {thisOffset})";
            if (eventName is "damon_monitor_intervals_tune" or "damon_aggregated" or "damos_before_apply")
                nrDamonEvents++;

            if (eventName == "damon_monitor_intervals_tune")
            {
                if (args.Length != 1 || !TryKeyValue(args[0], "sample_us", out var us))
                    throw new RecordFormatException(filePath, where, "\"sample_us=<number>\" after damon_monitor_intervals_tune");
                // A tuned interval of 0 is possible with a zero min_sample_us goal; a negative one is not.
                if (us < 0)
                    throw new RecordFormatException(filePath, where, $"a non-negative sample_us after damon_monitor_intervals_tune, found {us}");
                sampleIntervalUs = us;
                continue;
            }

            ulong targetId;
            int nrRegions;
            string range;
            string accessesText;
            string? ageText;
            if (eventName == "damon_aggregated")
            {
                if (args.Length is not (4 or 5))
                    throw new RecordFormatException(filePath, where,
                        "\"target_id=<id> nr_regions=<n> <start>-<end>: <nr_accesses> [<age>]\" after damon_aggregated");
                if (!TryTargetId(args[0], out var tid))
                    throw new RecordFormatException(filePath, where, $"\"target_id=<id>\", found \"{args[0]}\"");
                targetId = tid;
                if (!TryKeyValue(args[1], "nr_regions", out var n) || n <= 0 || n > int.MaxValue)
                    throw new RecordFormatException(filePath, where, $"\"nr_regions=<positive number>\", found \"{args[1]}\"");
                nrRegions = (int)n;
                range = args[2];
                accessesText = args[3];
                ageText = args.Length == 5 ? args[4] : null;
            }
            else if (eventName == "damos_before_apply")
            {
                if (args.Length != 7)
                    throw new RecordFormatException(filePath, where,
                        "\"ctx_idx=<i> scheme_idx=<i> target_idx=<i> nr_regions=<n> <start>-<end>: <nr_accesses> <age>\" after damos_before_apply");
                if (!TryKeyValue(args[2], "target_idx", out var tidx))
                    throw new RecordFormatException(filePath, where, $"\"target_idx=<i>\", found \"{args[2]}\"");
                if (tidx < 0)
                    throw new RecordFormatException(filePath, where, $"a non-negative target_idx, found \"{args[2]}\"");
                targetId = (ulong)tidx;
                if (!TryKeyValue(args[3], "nr_regions", out var n) || n <= 0 || n > int.MaxValue)
                    throw new RecordFormatException(filePath, where, $"\"nr_regions=<positive number>\", found \"{args[3]}\"");
                nrRegions = (int)n;
                range = args[4];
                accessesText = args[5];
                ageText = args[6];
            }
            else
                continue;

            if (!double.TryParse(fields[tsIdx].TrimEnd(':'), NumberStyles.Float, Inv, out var seconds) || seconds < 0)
                throw new RecordFormatException(filePath, where, $"a timestamp in seconds, found \"{fields[tsIdx]}\"");
            // Same float arithmetic as damo, so end times agree to the nanosecond.
            long endTimeNs = (long)(seconds * 1000000000);

            var region = ParseRegion(range, accessesText, ageText, filePath, where);

            var record = records.Find(r => r.TargetId == targetId);
            if (open is not null && !ReferenceEquals(record, openRecord))
                throw new RecordFormatException(filePath, where,
                    $"{openExpected - open.Regions.Count} more regions of target {openRecord!.TargetId}'s snapshot (line {openLine}), found target {targetId}");
            if (record is null)
            {
                record = new DamonRecord { TargetId = targetId };
                records.Add(record);
            }
            long? startTimeNs = record.Snapshots.Count == 0 ? null : record.Snapshots[^1].EndTimeNs;
            if (startTimeNs > endTimeNs)
                throw new RecordFormatException(filePath, where,
                    $"time-sorted trace lines, but {endTimeNs} ns is before the previous snapshot end {startTimeNs} ns");
            if (open is null)
            {
                open = new DamonSnapshot
                {
                    StartTimeNs = startTimeNs ?? -1,
                    EndTimeNs = endTimeNs,
                    SampleIntervalUs = sampleIntervalUs,
                };
                record.Snapshots.Add(open);
                openRecord = record;
                openExpected = nrRegions;
                openLine = lineNo;
                openWheres.Clear();
            }
            open.Regions.Add(region);
            openWheres.Add(where);
            if (open.Regions.Count == openExpected)
            {
                CheckSnapshot(open, openWheres, filePath);
                open = null;
            }
        }

        if (open is not null)
            throw new RecordFormatException(filePath, $"line {openLine}",
                $"{openExpected} regions for the snapshot starting there (nr_regions), but the file ends after {open.Regions.Count} (truncated file?)");

        // Text with no DAMON event at all is not a record that recorded nothing (that is an empty
        // file): it is another file (JSON that is not a list, a log) taken for perf script text.
        if (nrDamonEvents == 0 && !string.IsNullOrWhiteSpace(text))
            throw new RecordFormatException(filePath, "line 1",
                "a damo record: zlib-compressed JSON, a JSON list of records, or perf script text with damon:damon_aggregated lines, but no line is a DAMON event");
        FinishStartTimes(records);
        return records;
    }

    /// <summary>
    /// The kernel's regions are non-empty and disjoint, with unsigned nr_accesses; only damo's
    /// placeholder snapshot (see <see cref="FinishStartTimes"/>) is exempt.
    /// </summary>
    private static void CheckSnapshot(DamonSnapshot snapshot, List<string> wheres, string filePath)
    {
        if (IsFake(snapshot)) return;
        for (int i = 0; i < snapshot.Regions.Count; i++)
        {
            var r = snapshot.Regions[i];
            if (r.End == r.Start)
                throw new RecordFormatException(filePath, wheres[i], $"a non-empty region, found {r.Start}-{r.End}");
            if (r.NrAccessesSamples < 0)
                throw new RecordFormatException(filePath, wheres[i], $"a non-negative nr_accesses, found {r.NrAccessesSamples}");
        }
        if (RegionOverlap.Find(snapshot.Regions) is var (earlier, later))
            throw new RecordFormatException(filePath, wheres[later],
                $"a region not overlapping {RegionOverlap.Describe(snapshot.Regions[earlier])} of the same snapshot ({wheres[earlier]}), found {RegionOverlap.Describe(snapshot.Regions[later])}");
    }

    private static DamonRegion ParseRegion(string range, string accessesText, string? ageText, string filePath, string where)
    {
        if (!range.EndsWith(':'))
            throw new RecordFormatException(filePath, where, $"\"<start>-<end>:\", found \"{range}\"");
        var bounds = range[..^1].Split('-');
        if (bounds.Length != 2
            || !long.TryParse(bounds[0], NumberStyles.None, Inv, out var start)
            || !long.TryParse(bounds[1], NumberStyles.None, Inv, out var end))
            throw new RecordFormatException(filePath, where, $"\"<start>-<end>:\" with decimal addresses, found \"{range}\"");
        if (end < start)
            throw new RecordFormatException(filePath, where, $"a region end not below its start, found \"{range}\"");
        if (!long.TryParse(accessesText, NumberStyles.AllowLeadingSign, Inv, out var nrAccesses))
            throw new RecordFormatException(filePath, where, $"an integer nr_accesses, found \"{accessesText}\"");
        long? age = null;
        if (ageText is not null)
        {
            if (!long.TryParse(ageText, NumberStyles.AllowLeadingSign, Inv, out var a))
                throw new RecordFormatException(filePath, where, $"an integer age, found \"{ageText}\"");
            age = a;
        }
        return new DamonRegion(start, end, nrAccesses, age);
    }

    private static bool TryKeyValue(string field, string key, out long value)
    {
        value = 0;
        var parts = field.Split('=');
        return parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], NumberStyles.AllowLeadingSign, Inv, out value);
    }

    private static bool TryTargetId(string field, out ulong value)
    {
        value = 0;
        var parts = field.Split('=');
        return parts.Length == 2 && parts[0] == "target_id" && ulong.TryParse(parts[1], NumberStyles.None, Inv, out value);
    }

    /// <summary>
    /// Traces carry only end times: each snapshot starts where the previous one ended, and the
    /// first one is given the average snapshot length. A one-snapshot record therefore gets a fake
    /// trailing snapshot (region 0-0, nr_accesses -1, age -1) from the writer; it is dropped here.
    /// </summary>
    internal static void FinishStartTimes(List<DamonRecord> records)
    {
        foreach (var record in records)
        {
            var snapshots = record.Snapshots;
            if (snapshots.Count < 2)
            {
                // No way to infer a length: show it as a zero-length snapshot rather than guess.
                if (snapshots.Count == 1) snapshots[0].StartTimeNs = snapshots[0].EndTimeNs;
                continue;
            }
            double snapshotNs = (double)(snapshots[^1].EndTimeNs - snapshots[0].EndTimeNs) / (snapshots.Count - 1);
            snapshots[0].SetInferredStartTime(snapshots[0].EndTimeNs - snapshotNs);
            if (IsFake(snapshots[^1])) snapshots.RemoveAt(snapshots.Count - 1);
        }
    }

    internal static bool IsFake(DamonSnapshot snapshot) =>
        snapshot.Regions.Count == 1
        && snapshot.Regions[0] is { Start: 0, End: 0, NrAccessesSamples: -1, AgeAggrIntervals: -1 };
}
