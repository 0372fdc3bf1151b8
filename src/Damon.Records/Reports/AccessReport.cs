using System.Globalization;
using Damon.Records.Model;
using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>
/// <c>damo report access</c> (every style except <c>--raw_form</c>, see <see cref="AccessRawReport"/>).
/// Like damo, each style is a set of templates (record head/tail, snapshot head/tail, region)
/// whose <c>&lt;keyword&gt;</c>s are replaced by formatted values, so every style shares the same
/// numbers and padding rules.
/// </summary>
public static class AccessReport
{
    public const string MissingIntervalsMessage = "some records lack the intervals information";

    private static readonly (string Keyword, int MinChars)[] MinChars =
    [
        ("<index>", 3), ("<start address>", 12), ("<end address>", 11), ("<size>", 11), ("<access rate>", 5),
        ("<access hz>", 6), ("<age>", 13), ("<filters passed type>", 10),
    ];

    private sealed class Templates
    {
        public string RecordHead = "";
        public string RecordTail = "";
        public string SnapshotHead = "";
        public string SnapshotTail = "";
        public string Region = "";
    }

    /// <summary>Renders the report; throws <see cref="ReportException"/> when records lack intervals.</summary>
    public static string Render(IReadOnlyList<DamonRecord> input, AccessReportOptions options)
    {
        if (!AccessReportOptions.Styles.Contains(options.Style))
            throw new ReportException($"unknown style '{options.Style}' (one of {string.Join(", ", AccessReportOptions.Styles)})");
        if (input.Any(r => r.Intervals is null))
            throw new ReportException(MissingIntervalsMessage, aboutRecord: true);
        // Regions get their missing units filled in; work on copies so callers' records stay as read.
        var records = input.Select(r => r.Clone()).ToList();
        foreach (var record in records)
            foreach (var snapshot in record.Snapshots)
                foreach (var region in snapshot.Regions)
                    region.Resolve(record.Intervals);

        var t = BuildTemplates(records, options);
        // The breakdown keywords need the record's breakdown; say so once, before any output.
        var used = AccessBreakdowns.KindNames.Where(k => t.Region.Contains($"<accesses by {k}>", StringComparison.Ordinal)).ToList();
        if (used.Count > 0)
            AccessBreakdowns.Require(records, nodes: used.Contains("node"));
        var box = new RegionBox(records);
        var outputs = new List<string>();
        foreach (var record in records)
        {
            AddIfNotEmpty(outputs, t.RecordHead, k => RecordKeyword(k, record, options));
            for (int sidx = 0; sidx < record.Snapshots.Count; sidx++)
            {
                var snapshot = record.Snapshots[sidx];
                AddIfNotEmpty(outputs, t.SnapshotHead, k => SnapshotKeyword(k, snapshot, record, options));
                var sorted = SortRegions(snapshot.Regions, options);
                for (int idx = 0; idx < sorted.Count; idx++)
                {
                    var region = sorted[idx];
                    int index = idx;
                    AddIfNotEmpty(outputs, t.Region, k => RegionKeyword(k, index, region, snapshot, record, options, box));
                }
                AddIfNotEmpty(outputs, t.SnapshotTail, k => SnapshotKeyword(k, snapshot, record, options));
                if (sidx < record.Snapshots.Count - 1 && !options.TotalSzOnly) outputs.Add("");
            }
            AddIfNotEmpty(outputs, t.RecordTail, k => RecordKeyword(k, record, options));
        }
        return DamoOutput.AsPrinted(string.Join("\n", outputs));
    }

    private static Templates BuildTemplates(IReadOnlyList<DamonRecord> records, AccessReportOptions options)
    {
        foreach (var (action, area, _) in options.Formats)
        {
            if (action is not ("set" or "append"))
                throw new ReportException($"wrong --format action '{action}' (set or append)");
            if (!AccessReportOptions.FormatAreas.Contains(area))
                throw new ReportException($"wrong --format target area '{area}' (one of {string.Join(", ", AccessReportOptions.FormatAreas)})");
        }
        // damo's order: --format set, then the style's templates, then defaults for what is still unset, then appends.
        string? recordHead = Set("record_head"), recordTail = Set("record_tail");
        string? snapshotHead = Set("snapshot_head"), region = Set("region"), snapshotTail = Set("snapshot_tail");
        switch (options.Style)
        {
            case "simple-boxes":
                snapshotHead = "snapshot time: [<start time>, <end time>] (<duration>)";
                region = "<box> size <size> access <access hz> age <age>";
                break;
            case "temperature-sz-hist":
            case "recency-sz-hist":
            case "cold-memory-tail":
            {
                bool temperature = options.Style == "temperature-sz-hist";
                string legend = temperature ? "<temperature>" : "<idle time (us)>";
                var lines = new List<string>();
                if (HasOpsFilters(records))
                    lines.AddRange(["# damos filters (df): <filters passed type>", legend + " <df-passed size>",
                        temperature ? "<temperature-df-passed-sz histogram>" : "<recency-df-passed-sz histogram>", ""]);
                lines.Add(legend + " <total size>");
                lines.Add(temperature ? "<temperature-sz histogram>" : "<recency-sz histogram>");
                snapshotHead = string.Join("\n", lines);
                region = "";
                break;
            }
            case "recency-percentiles":
            case "idle-time-percentiles":
            case "temperature-percentiles":
            {
                string kind = options.Style == "temperature-percentiles" ? "temperature" : "recency";
                var lines = new List<string>();
                if (records.Any(r => r.Snapshots.Count > 1))
                    lines.Add("snapshot time: [<start time>, <end time>] (<duration>)");
                if (HasOpsFilters(records))
                    lines.AddRange(["# damos filters (df): <filters passed type>", $"# df-passed {kind} percentiles",
                        $"<df-passed {kind} percentiles>", ""]);
                lines.Add($"# total {kind} percentiles");
                lines.Add($"<{kind} percentiles>");
                snapshotHead = string.Join("\n", lines);
                region = "";
                break;
            }
            case "cold":
            case "hot":
                region = "<box> <size> access <access hz> <age>";
                break;
        }
        if (options.TotalSzOnly)
        {
            snapshotHead = "";
            region = "";
            snapshotTail = "<total bytes>";
        }

        recordHead ??= records.Count > 1
            ? "kdamond <kdamond index> / context <context index> / scheme <scheme index> / target id <target id> / recorded for <duration> from <abs start time>"
            : "";
        if (recordTail is null)
        {
            var tail = new List<string> { "record DAMON intervals: <intervals>" };
            if (records.Any(r => r.Intervals is { Goal.Enabled: true })) tail.Add("# <intervals goal>");
            if (records.Any(r => r.DataSource == DamonRecord.DataSourceDamonStat)) tail.Add("# data source: <data source>");
            recordTail = string.Join("\n", tail);
        }

        bool filtersInstalled = records.Any(r => r.SchemeFilters.Count > 0);
        if (snapshotHead is null)
        {
            var lines = new List<string>();
            if (records.Any(r => r.Snapshots.Count > 1))
                lines.Add("snapshot time: [<start time>, <end time>] (<duration>)");
            lines.Add("heatmap: <heatmap>");
            lines.Add("intervals: <snapshot intervals>");
            if (filtersInstalled)
            {
                lines.Add("# damos filters (df): <filters passed type>");
                lines.Add("df-pass: <filters passed heatmap>");
            }
            snapshotHead = string.Join("\n", lines);
        }
        snapshotTail ??= filtersInstalled
            ? "memory bw estimate: <estimated memory bandwidth>  df-passed: <filters passed estimated memory bandwidth>\ntotal size: <total bytes>  df-passed <filters passed bytes>"
            : "memory bw estimate: <estimated memory bandwidth>\ntotal size: <total bytes>";
        if (region is null)
        {
            bool probeHits = records.Count > 0 && records[0].Snapshots.Count > 0 && records[0].Snapshots[0].Regions.Count > 0
                && records[0].Snapshots[0].Regions[0].ProbeHits.Count > 0;
            region = probeHits
                ? "<index> <start address> <size>  <access hz> <age> <probe hits> "
                : "<index> addr <start address> size <size> access <access hz> age <age>";
            if (filtersInstalled) region += " df-passed <filters passed bytes>";
        }
        if (options.Breakdown is { } by && region.Length > 0)
            region += $" by {by.Name()}: <accesses by {by.Name()}>";
        return new Templates
        {
            RecordHead = recordHead + Appended("record_head"),
            RecordTail = recordTail + Appended("record_tail"),
            SnapshotHead = snapshotHead + Appended("snapshot_head"),
            SnapshotTail = snapshotTail + Appended("snapshot_tail"),
            Region = region + Appended("region"),
        };

        string? Set(string area) => options.Formats.LastOrDefault(f => f.Action == "set" && f.Area == area).Template;
        string Appended(string area) => string.Concat(options.Formats.Where(f => f.Action == "append" && f.Area == area).Select(f => f.Template));
    }

    private static bool HasOpsFilters(IReadOnlyList<DamonRecord> records) =>
        records.Any(r => r.SchemeFilters.Any(f => f.HandledByOps));

    private static void AddIfNotEmpty(List<string> outputs, string template, Func<string, string?> format)
    {
        if (template.Length == 0) return;
        outputs.Add(Fill(template, format));
    }

    /// <summary>Replaces every known keyword; formatters run only for keywords present in the template.</summary>
    private static string Fill(string template, Func<string, string?> format)
    {
        int pos = 0;
        var keywords = new List<string>();
        while ((pos = template.IndexOf('<', pos)) >= 0)
        {
            int end = template.IndexOf('>', pos);
            if (end < 0) break;
            var keyword = template[pos..(end + 1)];
            if (!keywords.Contains(keyword)) keywords.Add(keyword);
            pos = end + 1;
        }
        foreach (var keyword in keywords)
        {
            var text = format(keyword);
            if (text is null) continue;
            foreach (var (kw, min) in MinChars)
                if (kw == keyword && text.Length < min) text = text.PadRight(min);
            template = template.Replace(keyword, text, StringComparison.Ordinal);
        }
        return template.Replace("\\n", "\n", StringComparison.Ordinal);
    }

    private static string? RecordKeyword(string keyword, DamonRecord record, AccessReportOptions o)
    {
        bool raw = o.RawNumber;
        // A record whose snapshots were all filtered out has no times to show.
        if (record.Snapshots.Count == 0 && keyword is "<abs start time>" or "<duration>") return "n/a";
        return keyword switch
        {
            "<kdamond index>" => PyStr(record.KdamondIdx),
            "<context index>" => PyStr(record.ContextIdx),
            "<scheme index>" => PyStr(record.SchemeIdx),
            "<target id>" => record.TargetIdText,
            "<abs start time>" => DamoFormat.TimeNs(record.Snapshots[0].StartTime, raw),
            "<duration>" => DamoFormat.TimeNs(record.Snapshots[^1].EndTimeNs - record.Snapshots[0].StartTime, raw),
            "<intervals>" => "sample " + DamoFormat.TimeUs(record.Intervals!.SampleUs, raw) + ", aggr " + DamoFormat.TimeUs(record.Intervals.AggrUs, raw),
            "<intervals goal>" => IntervalsGoalText(record.Intervals!.Goal, raw),
            "<data source>" => record.DataSource,
            _ => null,
        };
    }

    private static string IntervalsGoalText(DamonIntervalsGoal goal, bool raw) =>
        $"target {DamoFormat.Bp(goal.AccessBp, raw)} accesses per {DamoFormat.Nr(goal.Aggrs, raw)} aggrs, " +
        $"[{DamoFormat.TimeUs(goal.MinSampleUs, raw)}, {DamoFormat.TimeUs(goal.MaxSampleUs, raw)}] sampling interval";

    private static string PyStr(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "None";

    private static string? SnapshotKeyword(string keyword, DamonSnapshot snapshot, DamonRecord record, AccessReportOptions o)
    {
        bool raw = o.RawNumber;
        var intervals = record.Intervals!;
        var recordStart = record.Snapshots[0].StartTime;
        switch (keyword)
        {
            case "<total bytes>": return DamoFormat.Sz(snapshot.TotalSz, raw);
            case "<duration>": return DamoFormat.TimeNs(snapshot.EndTimeNs - snapshot.StartTime, raw);
            case "<start time>": return DamoFormat.TimeNs(snapshot.StartTime - recordStart, raw);
            case "<end time>": return DamoFormat.TimeNs(snapshot.EndTimeNs - recordStart, raw);
            case "<abs start time>": return DamoFormat.TimeNs(snapshot.StartTime, raw);
            case "<abs end time>": return DamoFormat.TimeNs(snapshot.EndTimeNs, raw);
            case "<number of regions>": return DamoFormat.Nr(snapshot.Regions.Count, raw);
            case "<temperature-sz histogram>": return AccessDistributions.TemperatureSzHistogram(snapshot, intervals, o, false);
            case "<temperature-df-passed-sz histogram>": return AccessDistributions.TemperatureSzHistogram(snapshot, intervals, o, true);
            case "<recency-sz histogram>": return AccessDistributions.RecencySzHistogram(snapshot, intervals, o, false);
            case "<recency-df-passed-sz histogram>": return AccessDistributions.RecencySzHistogram(snapshot, intervals, o, true);
            case "<recency percentiles>": return AccessDistributions.Percentiles(snapshot, intervals, o, false, recency: true);
            case "<df-passed recency percentiles>": return AccessDistributions.Percentiles(snapshot, intervals, o, true, recency: true);
            case "<temperature percentiles>": return AccessDistributions.Percentiles(snapshot, intervals, o, false, recency: false);
            case "<df-passed temperature percentiles>": return AccessDistributions.Percentiles(snapshot, intervals, o, true, recency: false);
            case "<heatmap>": return SnapshotHeatmapLine.Render(snapshot.Regions, o);
            case "<filters passed heatmap>":
                return SnapshotHeatmapLine.Render(snapshot.Regions.Where(r => r.SzFilterPassed != 0).ToList(), o);
            case "<filters passed type>":
            {
                var ops = record.SchemeFilters.Where(f => f.HandledByOps).ToList();
                // damo prints filters with str(), which never uses raw numbers.
                return ops.Count == 0 ? "n/a" : string.Join(", ", ops.Select(f => FilterText(f, raw: false)));
            }
            case "<filters passed bytes>":
            {
                long sum = 0;
                foreach (var r in snapshot.Regions)
                {
                    if (r.SzFilterPassed is not long passed) return "N/A";
                    sum += passed;
                }
                return DamoFormat.Sz(sum, raw);
            }
            case "<estimated memory bandwidth>":
                return DamoFormat.Sz(AccessMetrics.EstimatedMemBwBytesPerSec(snapshot, intervals, false), raw) + " per second";
            case "<filters passed estimated memory bandwidth>":
                return DamoFormat.Sz(AccessMetrics.EstimatedMemBwBytesPerSec(snapshot, intervals, true), raw) + " per second";
            case "<snapshot intervals>":
            {
                double ratio = intervals.SamplesPerAggr;
                double aggrUs = AccessMetrics.AggrUs(snapshot, intervals);
                double sampleUs = aggrUs / ratio;
                double maxHz = ratio / (aggrUs / 1000000);
                return $"sample {DamoFormat.TimeUs(sampleUs, raw)} aggr {DamoFormat.TimeUs(aggrUs, raw)} (max access hz {DamoFormat.Hz(maxHz, raw, noSuffix: true)})";
            }
            case "<positive access samples ratio>":
            {
                double maxSamples = intervals.SamplesPerAggr * snapshot.Regions.Count;
                long nrSamples = snapshot.Regions.Sum(r => r.NrAccessesSamples ?? 0);
                return DamoFormat.Percent(nrSamples * 100 / maxSamples, raw);
            }
            case "<intervals tuning status>":
            {
                double maxPerRegion = intervals.SamplesPerAggr;
                double maxObservation = 0, observation = 0;
                foreach (var r in snapshot.Regions)
                {
                    maxObservation += maxPerRegion * r.Sz;
                    observation += (double)r.Sz * (r.NrAccessesSamples ?? 0);
                }
                return $"{DamoFormat.Percent(observation * 100 / Math.Max(maxObservation, 1), raw)} ({DamoFormat.Sz(observation, raw)} / {DamoFormat.Sz(maxObservation, raw)}) "
                    + $"{DamoFormat.TimeUs(intervals.SampleUs, raw)} {DamoFormat.TimeUs(intervals.AggrUs, raw)}";
            }
            case "<region box colors>": return AsciiColor.Samples(o.Style is "simple-boxes" or "hot" or "cold" ? "emotion" : "gray");
            case "<damos stats>": return snapshot.DamosStats is { } st ? DamosStatsText(st, raw) : "none";
            default: return null;
        }
    }

    /// <summary>damo's stats text, including its repeated filter-passed line.</summary>
    private static string DamosStatsText(DamosStats st, bool raw) => string.Join("\n",
        $"tried {DamoFormat.Nr(st.NrTried, raw)} times ({DamoFormat.Sz(st.SzTried, raw)})",
        $"applied {DamoFormat.Nr(st.NrApplied, raw)} times ({DamoFormat.Sz(st.SzApplied, raw)})",
        $"{DamoFormat.Sz(st.SzOpsFilterPassed, raw)} passed filters",
        $"quota exceeded {DamoFormat.Nr(st.QtExceeds, raw)} times",
        DamoFormat.Sz(st.SzOpsFilterPassed, raw),
        $"tried {DamoFormat.Nr(st.NrSnapshots, raw)} snapshots (max {DamoFormat.Nr(st.MaxNrSnapshots, raw)})");

    private static string? RegionKeyword(string keyword, int index, DamonRegion region, DamonSnapshot snapshot,
        DamonRecord record, AccessReportOptions o, RegionBox box)
    {
        bool raw = o.RawNumber;
        return keyword switch
        {
            "<index>" => DamoFormat.Nr(index, raw),
            "<start address>" => DamoFormat.Sz(region.Start, raw),
            "<end address>" => DamoFormat.Sz(region.End, raw),
            "<size>" => DamoFormat.Sz(region.Sz, raw),
            "<access rate>" => DamoFormat.Percent(region.NrAccessesPercent ?? 0, raw),
            "<access hz>" => DamoFormat.Hz(AccessMetrics.AccessHz(region, AccessMetrics.AggrUs(snapshot, record.Intervals!)), raw),
            "<age>" => DamoFormat.TimeUs(region.AgeUsec ?? 0, raw),
            "<temperature>" => DamoFormat.Nr(AccessMetrics.Temperature(region, o.TemperatureWeights), raw),
            "<probe hits>" => string.Join(" ", region.ProbeHits.Select(h => h.ToString(CultureInfo.InvariantCulture))),
            "<filters passed bytes>" => region.SzFilterPassed is long p ? DamoFormat.Sz(p, raw) : "N/A",
            "<box>" => box.Render(region),
            "<accesses by cpu>" => AccessBreakdowns.Text(region, record, BreakdownKind.Cpu, raw),
            "<accesses by node>" => AccessBreakdowns.Text(region, record, BreakdownKind.Node, raw),
            "<accesses by thread>" => AccessBreakdowns.Text(region, record, BreakdownKind.Thread, raw),
            "<accesses by rw>" => AccessBreakdowns.Text(region, record, BreakdownKind.Rw, raw),
            _ => null,
        };
    }

    /// <summary>damo's one-line filter description, e.g. "allow none anon" or "allow hugepage_size [2.000 MiB, max]".</summary>
    public static string FilterText(DamosFilter f, bool raw)
    {
        var words = new List<string> { f.Allow ? "allow" : "reject" };
        if (!f.Matching) words.Add("none");
        words.Add(f.FilterType);
        switch (f.FilterType)
        {
            case "memcg": words.Add(f.MemcgPath ?? ""); break;
            case "addr":
                double s = f.AddressStart ?? 0, e = f.AddressEnd ?? 0;
                words.Add($"[{DamoFormat.Nr(s, raw)}, {DamoFormat.Nr(e, raw)}) ({DamoFormat.Sz(e - s, raw)})");
                break;
            case "target": words.Add(DamoFormat.Nr(f.DamonTargetIdx ?? 0, raw)); break;
            case "hugepage_size":
                if (f.HugepageMinSz is ulong min && f.HugepageMaxSz is ulong max)
                    words.Add($"[{DamoFormat.Sz(min, raw)}, {DamoFormat.Sz(max, raw)}]");
                break;
        }
        return string.Join(" ", words);
    }

    private static List<DamonRegion> SortRegions(List<DamonRegion> regions, AccessReportOptions o)
    {
        IEnumerable<DamonRegion> sorted = regions;
        // The hot and cold styles are defined by their temperature order.
        IReadOnlyList<string> by = o.Style is "hot" or "cold" ? ["temperature"] : o.SortRegionsBy;
        IReadOnlyList<string> dscKeys = o.Style == "hot" ? ["temperature"] : o.Style == "cold" ? [] : o.SortRegionsDsc;
        foreach (var field in by)
        {
            bool dsc = dscKeys.Contains("all") || dscKeys.Contains(field);
            Func<DamonRegion, double> key = field switch
            {
                "address" => r => r.Start,
                "access_rate" => r => r.NrAccessesPercent ?? 0,
                "age" => r => r.AgeUsec ?? 0,
                "size" => r => r.Sz,
                "temperature" => r => AccessMetrics.Temperature(r, o.TemperatureWeights),
                _ => throw new ReportException($"unknown sort key '{field}' (one of {string.Join(", ", AccessReportOptions.SortKeys)})"),
            };
            // Python's sorted(reverse=True) keeps equal keys in their original order; so does this.
            sorted = dsc ? sorted.OrderByDescending(key).ToList() : sorted.OrderBy(key).ToList();
        }
        return sorted.ToList();
    }
}
