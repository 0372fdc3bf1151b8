using System.Globalization;
using System.Text.Json;
using Damon.Records.Model;
using Damon.Records.Text;
using Damon.Shared;

namespace Damon.Records.IO;

/// <summary>
/// Reads damo's JSON record list (the content of both <c>json</c> and <c>json_compressed</c>
/// files). Numbers may be JSON numbers or damo's human strings; every structural problem is
/// reported with its JSON path.
/// </summary>
public static class JsonRecordReader
{
    public static List<DamonRecord> Parse(ReadOnlyMemory<byte> json, string filePath, string contentDescription = "JSON")
    {
        // The JSON parser checks UTF-8 and \u escapes inside strings only when they are read;
        // check them up front so a damaged byte is reported where it is.
        if (JsonInputCheck.FirstInvalidUtf8(json.Span) is int badByte)
            throw new RecordFormatException(filePath, Where(badByte, contentDescription), "UTF-8 encoded JSON text");
        if (JsonInputCheck.FirstBadEscape(json.Span, new JsonReaderOptions { MaxDepth = MaxDepth }) is long badString)
            throw new RecordFormatException(filePath, Where(badString, contentDescription),
                $"a string without {JsonInputCheck.BadEscapeRule}");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            long offset = AbsoluteOffset(json.Span, e.LineNumber ?? 0, e.BytePositionInLine ?? 0);
            string where = Where(offset, contentDescription);
            string expected = offset >= json.Length
                ? $"more JSON, but the {contentDescription} ends after {json.Length} bytes (truncated file?)"
                : $"well-formed JSON ({JsonInputCheck.OneLine(e)})";
            throw new RecordFormatException(filePath, where, expected, e);
        }
        using (doc)
            return new Walker(filePath).Records(doc.RootElement);
    }

    /// <summary>damo's records nest 5 levels; the bound keeps a hostile file from exhausting the stack.</summary>
    public const int MaxDepth = 256;

    internal static string Where(long offset, string contentDescription) =>
        contentDescription == "JSON" ? $"byte {offset}" : $"byte {offset} of the {contentDescription}";

    private static long AbsoluteOffset(ReadOnlySpan<byte> data, long line, long bytePositionInLine)
    {
        long offset = 0;
        for (long l = 0; l < line; l++)
        {
            int next = data[(int)offset..].IndexOf((byte)'\n');
            if (next < 0) return data.Length;
            offset += next + 1;
        }
        return Math.Min(data.Length, offset + bytePositionInLine);
    }

    internal sealed class Walker(string filePath)
    {
        public RecordFormatException Error(string path, string expected) => new(filePath, path, expected);

        public List<DamonRecord> Records(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Array)
                throw Error("$", $"a JSON list of records, found {Kind(root)}");
            var records = new List<DamonRecord>();
            int i = 0;
            foreach (var el in root.EnumerateArray())
                records.Add(Record(el, $"$[{i++}]"));
            return records;
        }

        private DamonRecord Record(JsonElement el, string path) => Record(el, path, withSnapshots: true);

        private DamonRecord Record(JsonElement el, string path, bool withSnapshots)
        {
            RequireObject(el, path, "a record object");
            var record = new DamonRecord
            {
                KdamondIdx = OptionalInt(el, "kdamond_idx", path),
                ContextIdx = OptionalInt(el, "context_idx", path),
                SchemeIdx = OptionalInt(el, "scheme_idx", path),
                TargetId = OptionalTargetId(el, path),
            };
            if (el.TryGetProperty("intervals", out var iv) && iv.ValueKind != JsonValueKind.Null)
                record.Intervals = Intervals(iv, path + ".intervals");
            if (el.TryGetProperty("scheme_filters", out var filters) && filters.ValueKind != JsonValueKind.Null)
            {
                RequireArray(filters, path + ".scheme_filters", "a list of DAMOS filters");
                int f = 0;
                foreach (var filter in filters.EnumerateArray())
                    record.SchemeFilters.Add(Filter(filter, $"{path}.scheme_filters[{f++}]"));
            }
            if (el.TryGetProperty("data_source", out var source) && source.ValueKind == JsonValueKind.String)
                record.DataSource = source.GetString()!;
            if (el.TryGetProperty("cpu_to_node", out var nodes) && nodes.ValueKind != JsonValueKind.Null)
                record.CpuToNode = CpuToNode(nodes, path + ".cpu_to_node");
            if (!withSnapshots)
                return record;
            if (!el.TryGetProperty("snapshots", out var snapshots))
                throw Error(path, "a \"snapshots\" list");
            RequireArray(snapshots, path + ".snapshots", "a list of snapshots");
            int s = 0;
            foreach (var snapshot in snapshots.EnumerateArray())
                record.Snapshots.Add(Snapshot(snapshot, $"{path}.snapshots[{s++}]"));
            return record;
        }

        /// <summary>The error of a record object without a list of snapshots.</summary>
        public void RequireSnapshots(JsonElement el, string path)
        {
            if (!el.TryGetProperty("snapshots", out var snapshots))
                throw Error(path, "a \"snapshots\" list");
            RequireArray(snapshots, path + ".snapshots", "a list of snapshots");
        }

        /// <summary>A record's fields but its snapshots, from an object holding every other field.</summary>
        public DamonRecord Header(JsonElement el, string path) =>
            Record(el, path, withSnapshots: false);

        private DamonIntervals Intervals(JsonElement el, string path)
        {
            RequireObject(el, path, "an intervals object");
            long sample = RequiredLong(el, "sample_us", path, Unit.Us);
            long aggr = RequiredLong(el, "aggr_us", path, Unit.Us);
            long update = RequiredLong(el, "ops_update_us", path, Unit.Us);
            // Zero is what damon_set_attrs accepts (and Damon records); reports treat it as 1 µs.
            if (sample < 0 || aggr < 0)
                throw Error(path, $"non-negative sample_us and aggr_us, found {sample} and {aggr}");
            NotNegative(update, path + ".ops_update_us");
            var goal = DamonIntervalsGoal.Disabled;
            if (el.TryGetProperty("intervals_goal", out var g) && g.ValueKind != JsonValueKind.Null)
            {
                var gp = path + ".intervals_goal";
                RequireObject(g, gp, "an intervals_goal object");
                goal = new DamonIntervalsGoal(
                    (double)NotNegative(Number(Get(g, "access_bp", gp), gp + ".access_bp", Unit.Bp), gp + ".access_bp"),
                    NotNegative(RequiredLong(g, "aggrs", gp, Unit.Plain), gp + ".aggrs"),
                    NotNegative(RequiredLong(g, "min_sample_us", gp, Unit.Us), gp + ".min_sample_us"),
                    NotNegative(RequiredLong(g, "max_sample_us", gp, Unit.Us), gp + ".max_sample_us"));
            }
            return new DamonIntervals(sample, aggr, update, goal);
        }

        private DamosFilter Filter(JsonElement el, string path)
        {
            RequireObject(el, path, "a DAMOS filter object");
            var typeEl = Get(el, "filter_type", path);
            if (typeEl.ValueKind != JsonValueKind.String)
                throw Error(path + ".filter_type", $"a filter type string, found {Kind(typeEl)}");
            string type = typeEl.GetString()!;
            bool matching = Bool(Get(el, "matching", path), path + ".matching");
            bool allow = false;
            if (el.TryGetProperty("allow", out var a)) allow = Bool(a, path + ".allow");
            else if (el.TryGetProperty("filter_pass", out var fp)) allow = Bool(fp, path + ".filter_pass");
            string? memcg = el.TryGetProperty("memcg_path", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            ulong? addrStart = null, addrEnd = null, hpMin = null, hpMax = null;
            long? targetIdx = null;
            if (type == "addr" && el.TryGetProperty("address_range", out var ar) && ar.ValueKind == JsonValueKind.Object)
            {
                addrStart = Unsigned(Number(Get(ar, "start", path + ".address_range"), path + ".address_range.start", Unit.Bytes), path + ".address_range.start");
                addrEnd = Unsigned(Number(Get(ar, "end", path + ".address_range"), path + ".address_range.end", Unit.Bytes), path + ".address_range.end");
            }
            if (type == "target" && el.TryGetProperty("damon_target_idx", out var ti) && ti.ValueKind != JsonValueKind.Null)
                targetIdx = ToLong(Number(ti, path + ".damon_target_idx", Unit.Plain), path + ".damon_target_idx");
            if (el.TryGetProperty("hugepage_size", out var hp) && hp.ValueKind == JsonValueKind.Array && hp.GetArrayLength() == 2)
            {
                hpMin = Unsigned(Number(hp[0], path + ".hugepage_size[0]", Unit.Bytes), path + ".hugepage_size[0]");
                hpMax = Unsigned(Number(hp[1], path + ".hugepage_size[1]", Unit.Bytes), path + ".hugepage_size[1]");
            }
            return new DamosFilter(type, matching, allow, memcg, addrStart, addrEnd, targetIdx, hpMin, hpMax);
        }

        public DamonSnapshot Snapshot(JsonElement el, string path)
        {
            RequireObject(el, path, "a snapshot object");
            var snapshot = new DamonSnapshot
            {
                StartTimeNs = NotNegative(RequiredLong(el, "start_time", path, Unit.Ns), path + ".start_time"),
                EndTimeNs = NotNegative(RequiredLong(el, "end_time", path, Unit.Ns), path + ".end_time"),
            };
            CheckTimes(snapshot, path);
            var regions = Get(el, "regions", path);
            RequireArray(regions, path + ".regions", "a list of regions");
            int r = 0;
            foreach (var region in regions.EnumerateArray())
                snapshot.Regions.Add(Region(region, $"{path}.regions[{r++}]"));
            CheckRegions(snapshot, path);
            snapshot.TotalBytes = el.TryGetProperty("total_bytes", out var total) && total.ValueKind != JsonValueKind.Null
                ? NotNegative(ToLong(Number(total, path + ".total_bytes", Unit.Bytes), path + ".total_bytes"), path + ".total_bytes")
                : snapshot.RegionsSz;
            if (el.TryGetProperty("damos_stats", out var stats) && stats.ValueKind != JsonValueKind.Null)
                snapshot.DamosStats = Stats(stats, path + ".damos_stats");
            if (el.TryGetProperty("sample_interval_us", out var si) && si.ValueKind != JsonValueKind.Null)
            {
                snapshot.SampleIntervalUs = ToLong(Number(si, path + ".sample_interval_us", Unit.Us), path + ".sample_interval_us");
                CheckSampleInterval(snapshot, path);
            }
            return snapshot;
        }

        /// <summary>
        /// The checks <see cref="Snapshot"/> makes, for a snapshot read straight from its tokens
        /// (<see cref="JsonSnapshotTokens"/>); a null total becomes the sum of the regions, as there.
        /// </summary>
        public void Validate(DamonSnapshot snapshot, string path)
        {
            NotNegative(snapshot.StartTimeNs, path + ".start_time");
            NotNegative(snapshot.EndTimeNs, path + ".end_time");
            CheckTimes(snapshot, path);
            CheckRegions(snapshot, path);
            if (snapshot.TotalBytes is long total) NotNegative(total, path + ".total_bytes");
            else snapshot.TotalBytes = snapshot.RegionsSz;
            CheckSampleInterval(snapshot, path);
        }

        private void CheckTimes(DamonSnapshot snapshot, string path)
        {
            if (snapshot.EndTimeNs < snapshot.StartTimeNs)
                throw Error(path, $"an end_time not before the start_time, found start_time {snapshot.StartTimeNs} and end_time {snapshot.EndTimeNs}");
        }

        private void CheckRegions(DamonSnapshot snapshot, string path)
        {
            // damo's writer adds this placeholder to one-snapshot perf_script records; a damo
            // conversion to JSON can keep it, so it passes though it breaks the region rules.
            if (PerfScriptReader.IsFake(snapshot)) return;
            for (int i = 0; i < snapshot.Regions.Count; i++)
                CheckRegion(snapshot.Regions[i], $"{path}.regions[{i}]");
            CheckDisjoint(snapshot.Regions, path);
        }

        private void CheckSampleInterval(DamonSnapshot snapshot, string path)
        {
            if (snapshot.SampleIntervalUs < 0)
                throw Error(path + ".sample_interval_us", $"a non-negative sampling interval, found {snapshot.SampleIntervalUs}");
        }

        /// <summary>
        /// DAMON regions are non-empty, at non-negative addresses, with unsigned access counts.
        /// Ages are left alone: damo's DAMON_STAT snapshots store hot memory as a negative age.
        /// </summary>
        private void CheckRegion(DamonRegion region, string path)
        {
            if (region.Start < 0)
                throw Error(path + ".start", $"a non-negative address, found {region.Start}");
            if (region.End <= region.Start)
                throw Error(path, $"an end greater than the start, found start {region.Start} and end {region.End}");
            if (region.NrAccessesSamples < 0)
                throw Error(path + ".nr_accesses.samples", $"a non-negative count, found {region.NrAccessesSamples}");
            if (region.NrAccessesPercent < 0)
                throw Error(path + ".nr_accesses.percent", $"a non-negative percentage, found {region.NrAccessesPercent?.ToString(CultureInfo.InvariantCulture)}");
            if (region.SzFilterPassed < 0)
                throw Error(path + ".sz_filter_passed", $"a non-negative size, found {region.SzFilterPassed}");
            for (int h = 0; h < region.ProbeHits.Count; h++)
                if (region.ProbeHits[h] < 0)
                    throw Error($"{path}.probe_hits[{h}]", $"a non-negative count, found {region.ProbeHits[h]}");
            if (region.AccessesBy is { } by && region.NrAccessesSamples is long samples && by.NrAttributed > samples)
                throw Error(path + ".accesses_by", $"at most nr_accesses.samples ({samples}) attributed accesses, found {by.NrAttributed}");
        }

        /// <summary>Damon's cpu_to_node map: CPU number to NUMA node, both non-negative.</summary>
        private SortedDictionary<int, int> CpuToNode(JsonElement el, string path)
        {
            RequireObject(el, path, "an object mapping CPU numbers to nodes");
            var map = new SortedDictionary<int, int>();
            foreach (var p in el.EnumerateObject())
            {
                int cpu = Key(p.Name, path, "a CPU number");
                long node = NotNegative(ToLong(Number(p.Value, $"{path}.{p.Name}", Unit.Plain), $"{path}.{p.Name}"), $"{path}.{p.Name}");
                if (node > int.MaxValue)
                    throw Error($"{path}.{p.Name}", $"a node number below 2^31, found {node}");
                map[cpu] = (int)node;
            }
            return map;
        }

        /// <summary>
        /// Damon's accesses_by: {"cpu": {CPU: n}, "tid": {TID: n}, "write": n, "read": n}. The
        /// three must sum alike (each counted access has one CPU, one thread, and is a read or a write).
        /// </summary>
        private DamonAccessBreakdown AccessesBy(JsonElement el, string path)
        {
            RequireObject(el, path, "an accesses_by object with cpu, tid, write and read");
            var by = new DamonAccessBreakdown
            {
                Writes = NotNegative(RequiredLong(el, "write", path, Unit.Plain), path + ".write"),
                Reads = NotNegative(RequiredLong(el, "read", path, Unit.Plain), path + ".read"),
            };
            long cpuSum = Counts(Get(el, "cpu", path), path + ".cpu", "a CPU number", by.Cpus);
            long tidSum = Counts(Get(el, "tid", path), path + ".tid", "a thread id", by.Tids);
            if (cpuSum != by.NrAttributed || tidSum != by.NrAttributed)
                throw Error(path, $"per-CPU, per-thread and write + read counts with one sum, found {cpuSum}, {tidSum} and {by.NrAttributed}");
            return by;
        }

        private long Counts(JsonElement el, string path, string keyWhat, SortedDictionary<int, long> into)
        {
            RequireObject(el, path, $"an object mapping {keyWhat}s to counts");
            long sum = 0;
            foreach (var p in el.EnumerateObject())
            {
                long n = NotNegative(ToLong(Number(p.Value, $"{path}.{p.Name}", Unit.Plain), $"{path}.{p.Name}"), $"{path}.{p.Name}");
                into[Key(p.Name, path, keyWhat)] = n;
                if (n > long.MaxValue - sum)
                    throw Error($"{path}.{p.Name}", "counts whose sum fits 64 bits");
                sum += n;
            }
            return sum;
        }

        private int Key(string name, string path, string what) =>
            // -1 is a source's "cannot tell" (the asynchronous write-protect sources report CPU -1).
            int.TryParse(name, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int k)
                ? k
                : throw Error($"{path}.{name}", $"{what} (an integer) as the key, found \"{name}\"");

        private void CheckDisjoint(List<DamonRegion> regions, string path)
        {
            if (RegionOverlap.Find(regions) is var (earlier, later))
                throw Error($"{path}.regions[{later}]",
                    $"a region not overlapping regions[{earlier}] {RegionOverlap.Describe(regions[earlier])}, found {RegionOverlap.Describe(regions[later])}");
        }

        private DamosStats Stats(JsonElement el, string path)
        {
            RequireObject(el, path, "a DAMOS stats object");
            long Optional(string name) =>
                el.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? ToLong(Number(v, $"{path}.{name}", Unit.Plain), $"{path}.{name}") : 0;
            long Required(string name, Unit unit) => NotNegative(RequiredLong(el, name, path, unit), $"{path}.{name}");
            return new DamosStats(
                Required("nr_tried", Unit.Plain),
                Required("sz_tried", Unit.Bytes),
                Required("nr_applied", Unit.Plain),
                Required("sz_applied", Unit.Bytes),
                Required("sz_ops_filter_passed", Unit.Bytes),
                Required("qt_exceeds", Unit.Plain),
                NotNegative(Optional("nr_snapshots"), path + ".nr_snapshots"),
                NotNegative(Optional("max_nr_snapshots"), path + ".max_nr_snapshots"));
        }

        private DamonRegion Region(JsonElement el, string path)
        {
            RequireObject(el, path, "a region object");
            var region = new DamonRegion
            {
                Start = RequiredLong(el, "start", path, Unit.Bytes),
                End = RequiredLong(el, "end", path, Unit.Bytes),
            };
            if (!el.TryGetProperty("nr_accesses", out var acc))
            {
                // damo allows address-only regions; they carry no access information at all.
                region.SzFilterPassed = null;
                return region;
            }
            if (acc.ValueKind == JsonValueKind.Object)
            {
                if (acc.TryGetProperty("samples", out var samples) && samples.ValueKind != JsonValueKind.Null)
                    region.NrAccessesSamples = ToLong(Number(samples, path + ".nr_accesses.samples", Unit.Plain), path + ".nr_accesses.samples");
                if (acc.TryGetProperty("percent", out var percent) && percent.ValueKind != JsonValueKind.Null)
                    region.NrAccessesPercent = (double)Number(percent, path + ".nr_accesses.percent", Unit.Percent);
            }
            else if (acc.ValueKind != JsonValueKind.Null)
                throw Error(path + ".nr_accesses", $"an object with samples/percent, found {Kind(acc)}");
            var age = Get(el, "age", path);
            if (age.ValueKind == JsonValueKind.Object)
            {
                if (age.TryGetProperty("usec", out var usec) && usec.ValueKind != JsonValueKind.Null)
                    region.AgeUsec = (double)Number(usec, path + ".age.usec", Unit.Us);
                if (age.TryGetProperty("aggr_intervals", out var aggrs) && aggrs.ValueKind != JsonValueKind.Null)
                    region.AgeAggrIntervals = ToLong(Number(aggrs, path + ".age.aggr_intervals", Unit.Plain), path + ".age.aggr_intervals");
            }
            else if (age.ValueKind != JsonValueKind.Null)
                throw Error(path + ".age", $"an object with usec/aggr_intervals, found {Kind(age)}");
            if (el.TryGetProperty("probe_hits", out var hits) && hits.ValueKind == JsonValueKind.Array)
            {
                int h = 0;
                foreach (var hit in hits.EnumerateArray())
                {
                    region.ProbeHits.Add(ToLong(Number(hit, $"{path}.probe_hits[{h}]", Unit.Plain), $"{path}.probe_hits[{h}]"));
                    h++;
                }
            }
            if (el.TryGetProperty("accesses_by", out var by) && by.ValueKind != JsonValueKind.Null)
                region.AccessesBy = AccessesBy(by, path + ".accesses_by");
            region.SzFilterPassed = el.TryGetProperty("sz_filter_passed", out var passed) && passed.ValueKind != JsonValueKind.Null
                ? ToLong(Number(passed, path + ".sz_filter_passed", Unit.Bytes), path + ".sz_filter_passed")
                : 0;
            return region;
        }

        private enum Unit { Plain, Bytes, Ns, Us, Percent, Bp }

        private decimal Number(JsonElement el, string path, Unit unit)
        {
            if (el.ValueKind == JsonValueKind.Number)
            {
                if (el.TryGetDecimal(out var d)) return d;
                throw Error(path, $"a number within ±7.9e28, found {el.GetRawText()}");
            }
            if (el.ValueKind == JsonValueKind.String)
            {
                var text = el.GetString()!;
                decimal value;
                bool ok = unit switch
                {
                    Unit.Bytes => DamoText.TryBytes(text, out value),
                    Unit.Ns => DamoText.TryNs(text, out value),
                    Unit.Us => DamoText.TryUs(text, out value),
                    Unit.Percent => DamoText.TryPercent(text, out value),
                    Unit.Bp => DamoText.TryBp(text, out value),
                    _ => DamoText.TryNumber(text, out value),
                };
                if (ok) return value;
                throw Error(path, $"a {UnitName(unit)}, found \"{text}\"");
            }
            throw Error(path, $"a {UnitName(unit)}, found {Kind(el)}");
        }

        private static string UnitName(Unit unit) => unit switch
        {
            Unit.Bytes => "size in bytes (number or text like \"4 KiB\")",
            Unit.Ns => "time in nanoseconds (number or text like \"5 ms\")",
            Unit.Us => "time in microseconds (number or text like \"5 ms\")",
            Unit.Percent => "percentage",
            Unit.Bp => "basis points (number or text like \"4 %\")",
            _ => "number",
        };

        /// <summary>The kernel keeps these unsigned; a negative one is damage, not data.</summary>
        private long NotNegative(long value, string path) =>
            value >= 0 ? value : throw Error(path, $"a non-negative value, found {value}");

        private decimal NotNegative(decimal value, string path) =>
            value >= 0 ? value : throw Error(path, $"a non-negative value, found {value.ToString(CultureInfo.InvariantCulture)}");

        private long ToLong(decimal value, string path)
        {
            if (value > long.MaxValue || value < long.MinValue)
                throw Error(path, $"a value within 64-bit signed range, found {value.ToString(CultureInfo.InvariantCulture)}");
            return (long)decimal.Truncate(value);
        }

        private ulong Unsigned(decimal value, string path)
        {
            if (value < 0 || value > DamoText.UlongMax)
                throw Error(path, $"a value within unsigned 64-bit range, found {value.ToString(CultureInfo.InvariantCulture)}");
            return (ulong)decimal.Truncate(value);
        }

        private long RequiredLong(JsonElement obj, string name, string path, Unit unit)
        {
            var el = Get(obj, name, path);
            if (el.ValueKind == JsonValueKind.Null)
                throw Error($"{path}.{name}", $"a {UnitName(unit)}, found null");
            return ToLong(Number(el, $"{path}.{name}", unit), $"{path}.{name}");
        }

        private int? OptionalInt(JsonElement obj, string name, string path)
        {
            if (!obj.TryGetProperty(name, out var el) || el.ValueKind == JsonValueKind.Null) return null;
            var value = Number(el, $"{path}.{name}", Unit.Plain);
            if (value < int.MinValue || value > int.MaxValue)
                throw Error($"{path}.{name}", "a 32-bit index");
            return (int)value;
        }

        private ulong? OptionalTargetId(JsonElement obj, string path)
        {
            if (!obj.TryGetProperty("target_id", out var el) || el.ValueKind == JsonValueKind.Null) return null;
            var value = Number(el, path + ".target_id", Unit.Plain);
            if (value < 0 || value > DamoText.UlongMax)
                throw Error(path + ".target_id", "an unsigned 64-bit target id");
            return (ulong)decimal.Truncate(value);
        }

        private bool Bool(JsonElement el, string path)
        {
            if (el.ValueKind == JsonValueKind.True) return true;
            if (el.ValueKind == JsonValueKind.False) return false;
            if (el.ValueKind == JsonValueKind.String && DamoText.TryBool(el.GetString()!, out var b)) return b;
            throw Error(path, $"a boolean, found {Kind(el)}");
        }

        private JsonElement Get(JsonElement obj, string name, string path)
        {
            if (obj.TryGetProperty(name, out var el)) return el;
            throw Error(path, $"a \"{name}\" field");
        }

        private void RequireObject(JsonElement el, string path, string what)
        {
            if (el.ValueKind != JsonValueKind.Object) throw Error(path, $"{what}, found {Kind(el)}");
        }

        private void RequireArray(JsonElement el, string path, string what)
        {
            if (el.ValueKind != JsonValueKind.Array) throw Error(path, $"{what}, found {Kind(el)}");
        }

        private static string Kind(JsonElement el) => el.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };
    }
}
