using System.Globalization;
using System.Text.Json;

namespace Damon.Sim.Machine;

/// <summary>
/// Reads a machine description (JSON, comments and trailing commas allowed; keys in snake_case).
/// Omitted sections keep <see cref="MachineSpec"/>'s defaults; unknown keys are errors, so a typo
/// never silently falls back to a default. Every error names file, line, field and rule.
/// </summary>
public static class MachineFile
{
    public static MachineSpec Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MachineFileException(path, 0, "(file)", e.Message);
        }
        return Parse(bytes, path);
    }

    public static MachineSpec Parse(string json, string file = "<machine>") =>
        Parse(System.Text.Encoding.UTF8.GetBytes(json), file);

    public static MachineSpec Parse(byte[] utf8, string file)
    {
        var root = JsonTree.Parse(utf8, file);
        var r = new Reader(file);
        var spec = r.ReadSpec(root);
        try
        {
            spec.Validate();
        }
        catch (MachineSpecException e) when (e is not MachineFileException)
        {
            throw new MachineFileException(file, Resolve(root, e.Field)?.Line ?? root.Line, e.Field, e.Rule);
        }
        return spec;
    }

    /// <summary>Find the value a field path like <c>nodes[1].tier</c> names, for its line.</summary>
    private static JsonTree? Resolve(JsonTree root, string field)
    {
        JsonTree? cur = root, best = root;
        foreach (var part in field.Split('.'))
        {
            string name = part;
            var idxs = new List<int>();
            int b = part.IndexOf('[');
            if (b >= 0)
            {
                name = part[..b];
                foreach (var seg in part[b..].Split('[', StringSplitOptions.RemoveEmptyEntries))
                    idxs.Add(int.Parse(seg.TrimEnd(']'), CultureInfo.InvariantCulture));
            }
            cur = cur?.Get(name);
            foreach (int i in idxs)
                cur = cur is not null && i < cur.Items.Count ? cur.Items[i] : null;
            if (cur is null)
                return best;
            best = cur;
        }
        return best;
    }

    private sealed class Reader(string file)
    {
        private MachineFileException Error(JsonTree at, string field, string rule) => new(file, at.Line, field, rule);

        private void CheckKeys(JsonTree obj, string field, params string[] allowed)
        {
            if (obj.Kind != JsonValueKind.Object)
                throw Error(obj, field, "must be an object");
            foreach (var (k, v) in obj.Props)
                if (Array.IndexOf(allowed, k) < 0)
                    throw Error(v, Join(field, k), $"unknown key (expected one of: {string.Join(", ", allowed)})");
        }

        private static string Join(string field, string key) => field.Length == 0 ? key : $"{field}.{key}";

        private ulong U64(JsonTree v, string field, bool sizeUnits = false)
        {
            if (v.Kind == JsonValueKind.Number
                && ulong.TryParse(v.Text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n))
                return n;
            if (sizeUnits && v.Kind == JsonValueKind.String && TryParseSize(v.Text, out n))
                return n;
            throw Error(v, field, sizeUnits
                ? "must be a byte count: a non-negative integer or a string like \"16GiB\", \"512M\""
                : "must be a non-negative integer");
        }

        /// <summary>An optional field of a section: read and checked when present, else the default.</summary>
        private T Opt<T>(JsonTree obj, string section, string key, T dflt, Func<JsonTree, string, T> read)
            => obj.Get(key) is { } v ? read(v, section + "." + key) : dflt;

        private uint U32(JsonTree v, string field)
        {
            ulong n = U64(v, field);
            if (n > uint.MaxValue)
                throw Error(v, field, $"must be at most {uint.MaxValue}");
            return (uint)n;
        }

        private int I32(JsonTree v, string field)
        {
            if (v.Kind == JsonValueKind.Number
                && int.TryParse(v.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n))
                return n;
            throw Error(v, field, "must be an integer");
        }

        private double F64(JsonTree v, string field)
        {
            if (v.Kind == JsonValueKind.Number
                && double.TryParse(v.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
                return d;
            throw Error(v, field, "must be a number");
        }

        private bool Bool(JsonTree v, string field) => v.Kind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(v, field, "must be true or false"),
        };

        /// <summary>A switch: true/false, or "on"/"off".</summary>
        private bool OnOff(JsonTree v, string field) => v.Kind switch
        {
            JsonValueKind.String when v.Text == "on" => true,
            JsonValueKind.String when v.Text == "off" => false,
            JsonValueKind.True or JsonValueKind.False => Bool(v, field),
            _ => throw Error(v, field, "must be true, false, \"on\" or \"off\""),
        };

        private JsonTree Required(JsonTree obj, string key, string field) =>
            obj.Get(key) ?? throw Error(obj, Join(field, key), "is required");

        public MachineSpec ReadSpec(JsonTree root)
        {
            CheckKeys(root, "", "name", "nodes", "sockets", "distances", "migration", "faults", "swap",
                "watermarks", "loaded_latency", "linux_default", "demotion_enabled", "caches");
            var spec = new MachineSpec();
            if (root.Get("name") is { } name)
                spec = spec with { Name = name.Kind == JsonValueKind.String ? name.Text : throw Error(name, "name", "must be a string") };

            var nodesV = Required(root, "nodes", "");
            if (nodesV.Kind != JsonValueKind.Array)
                throw Error(nodesV, "nodes", "must be an array of node objects");
            var nodes = new List<NodeSpec>();
            for (int i = 0; i < nodesV.Items.Count; i++)
            {
                var o = nodesV.Items[i];
                string f = $"nodes[{i}]";
                CheckKeys(o, f, "id", "capacity", "read_latency_ns", "write_latency_ns", "bandwidth_gbps", "tier");
                uint read = U32(Required(o, "read_latency_ns", f), f + ".read_latency_ns");
                nodes.Add(new NodeSpec(
                    o.Get("id") is { } id ? I32(id, f + ".id") : i,
                    U64(Required(o, "capacity", f), f + ".capacity", sizeUnits: true),
                    read,
                    o.Get("write_latency_ns") is { } w ? U32(w, f + ".write_latency_ns") : read,
                    F64(Required(o, "bandwidth_gbps", f), f + ".bandwidth_gbps"),
                    o.Get("tier") is { } t ? I32(t, f + ".tier") : 0));
            }
            spec = spec with { Nodes = nodes };

            if (root.Get("sockets") is { } socketsV)
            {
                if (socketsV.Kind != JsonValueKind.Array)
                    throw Error(socketsV, "sockets", "must be an array of socket objects");
                var sockets = new List<SocketSpec>();
                int nextCpu = 0;
                for (int i = 0; i < socketsV.Items.Count; i++)
                {
                    var o = socketsV.Items[i];
                    string f = $"sockets[{i}]";
                    CheckKeys(o, f, "id", "node", "cpus", "llc_bytes", "llc_ways", "llc_hit_ns",
                        "tlb_4k_entries", "tlb_2m_entries", "tlb_ways", "page_walk_ns", "tlb_context_switch_us");
                    var cpusV = Required(o, "cpus", f);
                    int[] cpus;
                    if (cpusV.Kind == JsonValueKind.Number)
                    {
                        int n = I32(cpusV, f + ".cpus");
                        if (n <= 0 || n > 4096)
                            throw Error(cpusV, f + ".cpus", "a CPU count must be in 1..4096");
                        cpus = Enumerable.Range(nextCpu, n).ToArray();
                    }
                    else if (cpusV.Kind == JsonValueKind.Array)
                    {
                        cpus = cpusV.Items.Select((c, k) => I32(c, $"{f}.cpus[{k}]")).ToArray();
                    }
                    else
                    {
                        throw Error(cpusV, f + ".cpus", "must be a CPU count or an array of CPU numbers");
                    }
                    nextCpu += cpus.Length;
                    var dc = new CacheSpec();
                    var cache = new CacheSpec(
                        Opt(o, f, "llc_bytes", dc.LlcBytes, (v, k) => U64(v, k, sizeUnits: true)),
                        Opt(o, f, "llc_ways", dc.LlcWays, U32),
                        Opt(o, f, "llc_hit_ns", dc.LlcHitNs, U32),
                        Opt(o, f, "tlb_4k_entries", dc.Tlb4kEntries, U32),
                        Opt(o, f, "tlb_2m_entries", dc.Tlb2mEntries, U32),
                        Opt(o, f, "tlb_ways", dc.TlbWays, U32),
                        Opt(o, f, "page_walk_ns", dc.PageWalkNs, U32),
                        Opt(o, f, "tlb_context_switch_us", dc.TlbContextSwitchUs, U32));
                    sockets.Add(new SocketSpec(o.Get("id") is { } id ? I32(id, f + ".id") : i,
                        I32(Required(o, "node", f), f + ".node"), cpus) { Cache = cache });
                }
                spec = spec with { Sockets = sockets };
            }
            else
            {
                spec = spec with { Sockets = [new SocketSpec(0, 0, Enumerable.Range(0, 16).ToArray())] };
            }

            if (root.Get("distances") is { } distV)
            {
                if (distV.Kind != JsonValueKind.Array)
                    throw Error(distV, "distances", "must be an array of rows");
                var rows = new List<int[]>();
                for (int i = 0; i < distV.Items.Count; i++)
                {
                    var row = distV.Items[i];
                    if (row.Kind != JsonValueKind.Array)
                        throw Error(row, $"distances[{i}]", "must be an array of integers");
                    rows.Add(row.Items.Select((d, j) => I32(d, $"distances[{i}][{j}]")).ToArray());
                }
                spec = spec with { Distances = rows };
            }
            else
            {
                // Like a SLIT table without entries: 10 local, 20 for every other node.
                spec = spec with
                {
                    Distances = Enumerable.Range(0, nodes.Count)
                        .Select(i => Enumerable.Range(0, nodes.Count).Select(j => i == j ? 10 : 20).ToArray()).ToList(),
                };
            }

            if (root.Get("migration") is { } m)
            {
                CheckKeys(m, "migration", "fixed_ns_per_folio", "tlb_shootdown_ns", "copy_bandwidth_gbps", "thp_copy_bandwidth_gbps");
                var d = spec.Migration;
                spec = spec with
                {
                    Migration = new MigrationCostSpec(
                        Opt(m, "migration", "fixed_ns_per_folio", d.FixedNsPerFolio, U32),
                        Opt(m, "migration", "tlb_shootdown_ns", d.TlbShootdownNs, U32),
                        Opt(m, "migration", "copy_bandwidth_gbps", d.CopyBandwidthGBps, F64),
                        Opt(m, "migration", "thp_copy_bandwidth_gbps", d.ThpCopyBandwidthGBps, F64)),
                };
            }
            if (root.Get("faults") is { } fa)
            {
                CheckKeys(fa, "faults", "minor_fault_ns", "thp_fault_ns", "file_read_ns");
                var d = spec.Faults;
                spec = spec with
                {
                    Faults = new FaultCostSpec(
                        Opt(fa, "faults", "minor_fault_ns", d.MinorFaultNs, U32),
                        Opt(fa, "faults", "thp_fault_ns", d.ThpFaultNs, U32),
                        Opt(fa, "faults", "file_read_ns", d.FileReadNs, U32)),
                };
            }
            if (root.Get("swap") is { } sw)
            {
                CheckKeys(sw, "swap", "capacity", "read_latency_ns", "write_latency_ns");
                var d = spec.Swap;
                spec = spec with
                {
                    Swap = new SwapSpec(
                        Opt(sw, "swap", "capacity", d.CapacityBytes, (v, f) => U64(v, f, sizeUnits: true)),
                        Opt(sw, "swap", "read_latency_ns", d.ReadLatencyNs, U32),
                        Opt(sw, "swap", "write_latency_ns", d.WriteLatencyNs, U32)),
                };
            }
            if (root.Get("watermarks") is { } wm)
            {
                CheckKeys(wm, "watermarks", "min_permil", "low_permil", "high_permil");
                var d = spec.Watermarks;
                spec = spec with
                {
                    Watermarks = new WatermarkSpec(
                        Opt(wm, "watermarks", "min_permil", d.MinPermil, U32),
                        Opt(wm, "watermarks", "low_permil", d.LowPermil, U32),
                        Opt(wm, "watermarks", "high_permil", d.HighPermil, U32)),
                };
            }
            if (root.Get("loaded_latency") is { } ll)
            {
                CheckKeys(ll, "loaded_latency", "window_us", "max_utilization", "smoothing", "access_bytes", "enabled", "follow_load");
                var d = spec.LoadedLatency;
                spec = spec with
                {
                    LoadedLatency = new LoadedLatencySpec(
                        Opt(ll, "loaded_latency", "window_us", d.WindowUs, (v, f) => U64(v, f)),
                        Opt(ll, "loaded_latency", "max_utilization", d.MaxUtilization, F64),
                        Opt(ll, "loaded_latency", "smoothing", d.Smoothing, F64),
                        Opt(ll, "loaded_latency", "access_bytes", d.AccessBytes, U32),
                        Opt(ll, "loaded_latency", "enabled", d.Enabled, Bool),
                        Opt(ll, "loaded_latency", "follow_load", d.FollowLoad, Bool)),
                };
            }
            if (root.Get("linux_default") is { } ld)
                spec = spec with { LinuxDefault = Bool(ld, "linux_default") };
            if (root.Get("caches") is { } ca)
                spec = spec with { Caches = OnOff(ca, "caches") };
            if (root.Get("demotion_enabled") is { } de)
                spec = spec with { DemotionEnabled = Bool(de, "demotion_enabled") };
            return spec;
        }
    }

    /// <summary>
    /// "16GiB", "16G", "512MB", "4096": binary multiples (K, M, G, T; the "i" and "B" are optional),
    /// as memory sizes are quoted.
    /// </summary>
    public static bool TryParseSize(string s, out ulong bytes)
    {
        bytes = 0;
        s = s.Trim();
        int i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i == 0 || !ulong.TryParse(s.AsSpan(0, i), NumberStyles.None, CultureInfo.InvariantCulture, out ulong n))
            return false;
        string unit = s[i..].Trim().ToUpperInvariant();
        if (unit.EndsWith('B')) unit = unit[..^1];
        if (unit.EndsWith('I')) unit = unit[..^1];
        int shift = unit switch { "" => 0, "K" => 10, "M" => 20, "G" => 30, "T" => 40, _ => -1 };
        if (shift < 0 || (shift > 0 && n > ulong.MaxValue >> shift))
            return false;
        bytes = n << shift;
        return true;
    }
}
