using System.Text.Json.Nodes;
using Damon.Records.Model;
using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>
/// <c>damo report access --json</c>: the records as damo's key/value pairs, dumped the way
/// Python does. Unlike record files this is damo's display form: human numbers unless
/// <c>--raw_number</c>, and region fields always human (damo does not pass the flag down).
/// </summary>
public static class AccessJsonReport
{
    public static string Render(IReadOnlyList<DamonRecord> records, bool rawNumber)
    {
        var list = new JsonArray();
        foreach (var record in records) list.Add(Record(record, rawNumber));
        return DamoOutput.AsPrinted(PyJson.Dumps(list));
    }

    private static JsonObject Record(DamonRecord record, bool raw)
    {
        JsonObject? intervals = null;
        if (record.Intervals is { } iv)
            intervals = new JsonObject
            {
                ["sample_us"] = DamoFormat.TimeUs(iv.SampleUs, raw),
                ["aggr_us"] = DamoFormat.TimeUs(iv.AggrUs, raw),
                ["ops_update_us"] = DamoFormat.TimeUs(iv.OpsUpdateUs, raw),
                ["intervals_goal"] = new JsonObject
                {
                    ["access_bp"] = DamoFormat.Bp(iv.Goal.AccessBp, raw),
                    ["aggrs"] = DamoFormat.Nr(iv.Goal.Aggrs, raw),
                    ["min_sample_us"] = DamoFormat.TimeUs(iv.Goal.MinSampleUs, raw),
                    ["max_sample_us"] = DamoFormat.TimeUs(iv.Goal.MaxSampleUs, raw),
                },
            };
        var filters = new JsonArray();
        foreach (var f in record.SchemeFilters) filters.Add(Filter(f, raw));
        var snapshots = new JsonArray();
        foreach (var s in record.Snapshots) snapshots.Add(Snapshot(s, raw));
        return new JsonObject
        {
            ["kdamond_idx"] = record.KdamondIdx,
            ["context_idx"] = record.ContextIdx,
            ["intervals"] = intervals,
            ["scheme_idx"] = record.SchemeIdx,
            ["target_id"] = record.TargetId,
            ["scheme_filters"] = filters,
            ["snapshots"] = snapshots,
            ["data_source"] = record.DataSource,
        };
    }

    private static JsonObject Filter(DamosFilter f, bool raw)
    {
        JsonObject? range = null;
        if (f.FilterType == "addr" && f.AddressStart is ulong s && f.AddressEnd is ulong e)
            range = new JsonObject { ["start"] = DamoFormat.Nr((decimal)s, raw), ["end"] = DamoFormat.Nr((decimal)e, raw) };
        JsonArray? hugepage = null;
        if (f.HugepageMinSz is ulong min && f.HugepageMaxSz is ulong max)
            hugepage = [DamoFormat.Sz(min, raw), DamoFormat.Sz(max, raw)];
        return new JsonObject
        {
            ["filter_type"] = f.FilterType,
            ["matching"] = f.Matching,
            ["allow"] = f.Allow,
            // damo keeps the memcg path only for memcg filters and an empty string otherwise.
            ["memcg_path"] = f.FilterType == "memcg" ? f.MemcgPath : "",
            ["address_range"] = range,
            ["damon_target_idx"] = f.FilterType == "target" && f.DamonTargetIdx is long idx ? DamoFormat.Nr(idx, raw) : null,
            ["hugepage_size"] = hugepage,
        };
    }

    private static JsonObject Snapshot(DamonSnapshot s, bool raw)
    {
        var regions = new JsonArray();
        foreach (var r in s.Regions) regions.Add(Region(r));
        return new JsonObject
        {
            ["start_time"] = DamoFormat.TimeNsExact(s.StartTime, raw),
            ["end_time"] = DamoFormat.TimeNsExact(s.EndTimeNs, raw),
            ["regions"] = regions,
            ["total_bytes"] = DamoFormat.Sz(s.TotalSz, raw),
            ["damos_stats"] = s.DamosStats is { } st ? new JsonObject
            {
                ["nr_tried"] = DamoFormat.Nr(st.NrTried, raw),
                ["sz_tried"] = DamoFormat.Sz(st.SzTried, raw),
                ["nr_applied"] = DamoFormat.Nr(st.NrApplied, raw),
                ["sz_applied"] = DamoFormat.Sz(st.SzApplied, raw),
                ["sz_ops_filter_passed"] = DamoFormat.Sz(st.SzOpsFilterPassed, raw),
                ["qt_exceeds"] = DamoFormat.Nr(st.QtExceeds, raw),
                ["nr_snapshots"] = DamoFormat.Nr(st.NrSnapshots, raw),
                ["max_nr_snapshots"] = DamoFormat.Nr(st.MaxNrSnapshots, raw),
            } : null,
            ["sample_interval_us"] = s.SampleIntervalUs is long si ? DamoFormat.TimeUsExact(si, raw) : null,
        };
    }

    private static JsonObject Region(DamonRegion r)
    {
        JsonNode? percent = r.NrAccessesPercent is double p
            ? (p == Math.Truncate(p) && Math.Abs(p) < 9e15 ? JsonValue.Create((long)p) : JsonValue.Create(p))
            : null;
        var hits = new JsonArray();
        foreach (var h in r.ProbeHits) hits.Add(h);
        return new JsonObject
        {
            ["start"] = DamoFormat.Nr(r.Start, false),
            ["end"] = DamoFormat.Nr(r.End, false),
            ["nr_accesses"] = new JsonObject { ["samples"] = r.NrAccessesSamples, ["percent"] = percent },
            ["age"] = new JsonObject
            {
                ["usec"] = r.AgeUsec is double us ? DamoFormat.TimeUsExact(us, false) : null,
                ["aggr_intervals"] = r.AgeAggrIntervals is long a ? DamoFormat.Nr(a, false) : null,
            },
            ["probe_hits"] = hits,
            ["sz_filter_passed"] = DamoFormat.Sz(r.SzFilterPassed ?? 0, false),
        };
    }
}
