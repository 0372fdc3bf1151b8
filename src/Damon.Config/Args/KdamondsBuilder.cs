using System.Globalization;
using Damon.Config.Io;
using Damon.Config.Numbers;
using Damon.Config.Schema;
using Damon.Core.Operations;

namespace Damon.Config.Args;

/// <summary>
/// Builds the kdamonds specification from damo's DAMON-parameter options, as damo's kdamonds_for
/// does: damo's defaults (intervals 5 ms, 100 ms, 1 s; 10..1000 regions), per-context and
/// per-target options matched by position, and damo's checks. Errors are
/// <see cref="ConfigException"/>s naming the option.
/// </summary>
public static class KdamondsBuilder
{
    private static readonly string[] CtxListOptions =
        ["ops", "sample", "aggr", "updr", "minr", "maxr", "monitoring_intervals", "monitoring_intervals_goal", "monitoring_nr_regions_range"];

    public static KdamondsSpec Build(IReadOnlyList<string> tokens, IMemoryLayout? layout = null) => Build(DamoArgs.Parse(tokens), layout);

    public static KdamondsSpec Build(DamoArgs a, IMemoryLayout? layout = null)
    {
        Evaluate(a);
        if (a.Last("kdamonds") is { } kdamondsArg)
            return KdamondsFile.Load(kdamondsArg[0]);

        var targetPids = a.Given("target_pid") ? a.Singles("target_pid").Select(p => (int?)ParsePid(p)).ToList() : null;
        var ops = a.Given("ops") ? a.Singles("ops").Select(o => (string?)o).ToList() : null;
        if (a.DeducibleTarget is { } deducible)
        {
            if (File.Exists(deducible) || deducible.TrimStart().StartsWith('{') || deducible.TrimStart().StartsWith('[')
                || KdamondsFile.IsYamlPath(deducible))
                return KdamondsFile.Load(deducible);
            Deduce(deducible, a, ref targetPids, ref ops);
        }

        var contexts = BuildContexts(a, ops, targetPids, layout);
        var nrCtxs = a.Ints("nr_ctxs") ?? [contexts.Count];
        if (nrCtxs.Sum() != contexts.Count)
            throw new ConfigException($"--nr_ctxs and number of ctxs mismatch ({nrCtxs.Sum()} != {contexts.Count})");
        var refresh = a.Singles("refresh_stat");
        var spec = new KdamondsSpec();
        int ctxIdx = 0;
        foreach (var nr in nrCtxs)
        {
            var k = new KdamondSpec
            {
                RefreshMs = spec.Kdamonds.Count < refresh.Count ? Parse(refresh[spec.Kdamonds.Count], DamoParse.TryTimeMs, "--refresh_stat", "a time (milliseconds)") : 0,
                Contexts = contexts.GetRange(ctxIdx, nr),
            };
            spec.Kdamonds.Add(k);
            ctxIdx += nr;
        }
        foreach (var k in spec.Kdamonds)
            foreach (var c in k.Contexts)
                if (c.Ops != "paddr" && c.AddrUnit != 1)
                    throw new ConfigException("only paddr supports non-one --damon_addr_unit");
        return spec;
    }

    /// <summary>damo's evaluate_args: option combinations it refuses before building anything.</summary>
    private static void Evaluate(DamoArgs a)
    {
        if (!a.Given("damos_action"))
        {
            var stray = a.GivenNames.FirstOrDefault(n => n.StartsWith("damos_", StringComparison.Ordinal));
            if (stray is not null)
                throw new ConfigException($"'damos_action' not specified while using --damos_* option(s) (--{stray})");
        }
        if (a.Given("damos_quotas") && a.Given("damos_quota_interval"))
            throw new ConfigException("--damos_quotas and --damos_quota_interval cannot passed together");
        if (a.Given("damos_quota_goal"))
        {
            if (!a.Given("damos_quotas") && !a.Given("damos_quota_interval"))
                throw new ConfigException("'reset_interval_ms' not specified when setting quota goals (give --damos_quota_interval or a third --damos_quotas value)");
            if (a.All("damos_quotas").Any(q => q.Length < 3))
                throw new ConfigException("'reset_interval_ms' not specified when setting quota goals (--damos_quotas needs <time> <size> <reset interval>)");
        }
    }

    /// <summary>deduce_target_update_args: a pid or "paddr"; commands cannot be launched here.</summary>
    private static void Deduce(string target, DamoArgs a, ref List<int?>? targetPids, ref List<string?>? ops)
    {
        if (target == "paddr")
        {
            ops = ["paddr"];
            targetPids = null;
            return;
        }
        if (target is "vaddr" or "fvaddr")
            throw new ConfigException($"target '{target}' needs a process: give its pid");
        if (!int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            throw new ConfigException($"target '{target}' is not supported (a pid, \"paddr\", or a kdamonds JSON/YAML file or string; launching a command is not supported here)");
        targetPids = [pid];
        ops = a.Given("regions") ? ["fvaddr"] : ["vaddr"];
    }

    private static int ParsePid(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var pid) && pid >= 0
            ? pid
            : throw new ConfigException($"--target_pid: invalid int value: '{text}'");

    internal static T ParseAs<T>(string text, Kv.TryParser<T> parse, string option, string what) =>
        parse(text, out var v) ? v : throw new ConfigException($"{option}: \"{text}\" is not {what}"
            + (Damon.Core.Util.DigitGrouping.IsMisused(text) ? $" ({Damon.Core.Util.DigitGrouping.Rule})" : ""));

    internal static ulong Parse(string text, Kv.TryParser<ulong> parse, string option, string what) => ParseAs(text, parse, option, what);

    private static T? At<T>(IReadOnlyList<T>? list, int idx) where T : class? => list is not null && idx < list.Count ? list[idx] : null;

    private static int NrCtxs(DamoArgs a)
    {
        var candidates = new List<int>();
        foreach (var name in CtxListOptions)
            if (a.Given(name)) candidates.Add(a.All(name).Count);
        foreach (var name in (string[])["nr_probes", "nr_targets", "nr_schemes"])
            if (a.Ints(name) is { } l) candidates.Add(l.Count);
        return candidates.Count == 0 ? 1 : candidates.Max();
    }

    private static List<ContextSpec> BuildContexts(DamoArgs a, List<string?>? ops, List<int?>? targetPids, IMemoryLayout? layout)
    {
        int nrCtxs = Math.Max(NrCtxs(a), ops?.Count ?? 0);
        var contexts = new List<ContextSpec>();
        var pauseCtx = a.Ints("pause_ctx") ?? [];
        SampleControlArgs.CheckCounts(a, nrCtxs);
        for (int idx = 0; idx < nrCtxs; idx++)
        {
            var opsName = At(ops, idx) ?? (targetPids is not null && idx < targetPids.Count && targetPids[idx] is not null ? "vaddr" : "paddr");
            if (!DamoNames.Ops.Contains(opsName))
                throw new ConfigException($"--ops: invalid choice: '{opsName}' (choose from {string.Join(", ", DamoNames.Ops)})");
            contexts.Add(new ContextSpec
            {
                Ops = opsName,
                Intervals = Intervals(a, idx),
                NrRegions = NrRegions(a, idx),
                Pause = pauseCtx.Contains(idx),
                SampleControl = SampleControlArgs.Build(a, idx),
                AddrUnit = At(a.Singles("damon_addr_unit"), idx) is { } unit
                    ? Parse(unit, DamoParse.TrySize, "--damon_addr_unit", "a size")
                    : 1,
            });
            if (contexts[^1].AddrUnit == 0)
                throw new ConfigException("--damon_addr_unit: must not be 0");
        }
        AssignTargets(a, contexts, targetPids, layout);
        AssignSchemes(a, contexts);
        AssignProbes(a, contexts);
        return contexts;
    }

    private static IntervalsSpec Intervals(DamoArgs a, int idx)
    {
        var values = new[] { "5ms", "100ms", "1s" };
        if (At(a.All("monitoring_intervals"), idx) is { } given)
            values = (string[])given.Clone();
        foreach (var (name, i) in new[] { ("sample", 0), ("aggr", 1), ("updr", 2) })
            if (At(a.Singles(name), idx) is { } v) values[i] = v;
        string[] goal = a.Flag("monitoring_intervals_autotune")
            ? ["4%", "3", "5ms", "10s"]
            : At(a.All("monitoring_intervals_goal"), idx) ?? ["0%", "0", "0us", "0us"];
        const string opt = "--monitoring_intervals";
        return new IntervalsSpec
        {
            SampleUs = Parse(values[0], DamoParse.TryTimeUs, opt, "a time (sample interval)"),
            AggrUs = Parse(values[1], DamoParse.TryTimeUs, opt, "a time (aggregation interval)"),
            OpsUpdateUs = Parse(values[2], DamoParse.TryTimeUs, opt, "a time (ops update interval)"),
            IntervalsGoal = new IntervalsGoalSpec
            {
                AccessBp = Parse(goal[0], DamoParse.TryBp, "--monitoring_intervals_goal", "a ratio (access_bp)"),
                Aggrs = Parse(goal[1], DamoParse.TryNr, "--monitoring_intervals_goal", "a number (aggrs)"),
                MinSampleUs = Parse(goal[2], DamoParse.TryTimeUs, "--monitoring_intervals_goal", "a time (min_sample_us)"),
                MaxSampleUs = Parse(goal[3], DamoParse.TryTimeUs, "--monitoring_intervals_goal", "a time (max_sample_us)"),
            },
        };
    }

    private static NrRegionsSpec NrRegions(DamoArgs a, int idx)
    {
        var values = new[] { "10", "1000" };
        if (At(a.All("monitoring_nr_regions_range"), idx) is { } given)
            values = (string[])given.Clone();
        if (At(a.Singles("minr"), idx) is { } min) values[0] = min;
        if (At(a.Singles("maxr"), idx) is { } max) values[1] = max;
        const string opt = "--monitoring_nr_regions_range";
        return new NrRegionsSpec
        {
            Min = Parse(values[0], DamoParse.TryNr, opt, "a number"),
            Max = Parse(values[1], DamoParse.TryNr, opt, "a number"),
        };
    }

    private static void AssignTargets(DamoArgs a, List<ContextSpec> contexts, List<int?>? targetPids, IMemoryLayout? layout)
    {
        var regions = a.Given("regions") ? a.Singles("regions") : null;
        var numaNodes = a.Given("numa_node") ? a.All("numa_node").ToList() : null;
        int nrTargets = new[] { targetPids?.Count ?? 0, regions?.Count ?? 0, numaNodes?.Count ?? 0, contexts.Count }.Max();
        var obsolete = a.Ints("obsolete_targets") ?? [];
        if (obsolete.Any(i => i < 0 || i >= nrTargets))
            throw new ConfigException("Invalid --obsolete_targets");
        var perCtx = a.Ints("nr_targets");
        if (perCtx is null)
        {
            if (contexts.Count != 1)
                throw new ConfigException("--nr_targets is required for multiple contexts");
            perCtx = [nrTargets];
        }
        var targets = new List<TargetSpec>();
        for (int idx = 0; idx < nrTargets; idx++)
        {
            int ctxIdx = 0, upTo = 0;
            for (; ctxIdx < perCtx.Count; ctxIdx++)
            {
                upTo += perCtx[ctxIdx];
                if (idx < upTo) break;
            }
            if (ctxIdx >= perCtx.Count || ctxIdx >= contexts.Count)
                throw new ConfigException($"--nr_targets and number of targets mismatch ({perCtx.Sum()} != {nrTargets})");
            var ops = contexts[ctxIdx].Ops;
            targets.Add(new TargetSpec
            {
                Pid = ops is "vaddr" or "fvaddr" && targetPids is not null && idx < targetPids.Count ? targetPids[idx] : null,
                Obsolete = obsolete.Contains(idx),
                Regions = InitRegions(At(regions, idx), ops, At(numaNodes, idx), layout),
            });
        }
        if (perCtx.Sum() != targets.Count)
            throw new ConfigException($"--nr_targets and number of targets mismatch ({perCtx.Sum()} != {targets.Count})");
        if (perCtx.Count != contexts.Count)
            throw new ConfigException($"--nr_targets and number of ctxs mismatch ({perCtx.Count} != {contexts.Count})");
        int t = 0;
        for (int c = 0; c < contexts.Count; c++)
        {
            contexts[c].Targets = targets.GetRange(t, perCtx[c]);
            t += perCtx[c];
        }
    }

    /// <summary>init_regions_for: "-r '&lt;start&gt;-&lt;end&gt; ...'", sorted and disjoint; paddr falls back to the layout.</summary>
    internal static List<AddrRangeSpec> InitRegions(string? text, string ops, string[]? numaNodes, IMemoryLayout? layout)
    {
        var regions = new List<AddrRangeSpec>();
        if (text is not null)
        {
            foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                var addrs = word.Split('-');
                if (addrs.Length != 2)
                    throw new ConfigException($"Wrong '--regions' argument ({word}: two addresses not given)");
                var start = Parse(addrs[0], DamoParse.TrySize, "--regions", "an address");
                var end = Parse(addrs[1], DamoParse.TrySize, "--regions", "an address");
                if (start >= end)
                    throw new ConfigException($"Wrong '--regions' argument ({word}: start >= end)");
                if (regions.Count > 0 && regions[^1].End > start)
                    throw new ConfigException($"Wrong '--regions' argument ({word}: regions overlap)");
                regions.Add(new AddrRangeSpec(start, end));
            }
        }
        // damo's init_regions_for reads --numa_node only for a paddr target without -r and drops
        // it silently otherwise; Damon refuses an option that would have no effect.
        if (numaNodes is not null && ops != "paddr")
            throw new ConfigException($"--numa_node {string.Join(' ', numaNodes)}: only paddr targets take a node (this target's context is {ops})");
        if (numaNodes is not null && regions.Count > 0)
            throw new ConfigException($"--numa_node {string.Join(' ', numaNodes)}: the same target has -r/--regions, which damo would use instead");
        if (ops != "paddr" || regions.Count > 0)
            return regions;
        if (numaNodes is not null)
        {
            if (layout is null)
                throw new ConfigException("--numa_node needs the machine's memory layout, which this command does not have; give -r/--regions");
            var ranges = new List<AddrRangeSpec>();
            foreach (var n in numaNodes)
            {
                int nid = ParseAs(n, (string s, out int v) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v), "--numa_node", "a node id");
                // damo's paddr_region_of finds no System RAM of a missing node and monitors nothing.
                if (!layout.TryGetNodeSpan(nid, out var span))
                    throw new ConfigException($"--numa_node {n}: the machine has no node {nid} with memory");
                ranges.Add(new AddrRangeSpec(span.Start, span.End));
            }
            return MergeRanges(ranges);
        }
        // damo's default_paddr_region, since damo df476a24 (2026-02, "monitor entire system RAM
        // regions by default"): from the first System RAM byte to the last. Older damo took the
        // largest range (peers.md, awslabs/damo#64).
        if (layout is not null && SystemRams.TryFindSystemRams(layout, 1, out ulong ramStart, out ulong ramEnd))
            regions.Add(new AddrRangeSpec(ramStart, ramEnd));
        return regions;
    }

    /// <summary>merge_ranges: sort, then join overlapping or touching ranges.</summary>
    private static List<AddrRangeSpec> MergeRanges(List<AddrRangeSpec> ranges)
    {
        var merged = new List<AddrRangeSpec>();
        foreach (var r in ranges.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && merged[^1].End >= r.Start)
                merged[^1] = new AddrRangeSpec(merged[^1].Start, Math.Max(merged[^1].End, r.End));
            else
                merged.Add(r);
        }
        return merged;
    }

    private static void AssignSchemes(DamoArgs a, List<ContextSpec> contexts)
    {
        var schemes = SchemesBuilder.Build(a);
        var perCtx = a.Ints("nr_schemes");
        if (perCtx is null)
        {
            if (contexts.Count != 1 && schemes.Count > 0)
                throw new ConfigException("--nr_schemes is required for multiple contexts");
            perCtx = [schemes.Count, .. Enumerable.Repeat(0, contexts.Count - 1)];
        }
        if (perCtx.Sum() != schemes.Count)
            throw new ConfigException($"--nr_schemes and number of schemes mismatch ({perCtx.Sum()} != {schemes.Count})");
        if (perCtx.Count != contexts.Count)
            throw new ConfigException($"--nr_schemes and number of ctxs mismatch ({perCtx.Count} != {contexts.Count})");
        int s = 0;
        for (int c = 0; c < contexts.Count; c++)
        {
            contexts[c].Schemes = schemes.GetRange(s, perCtx[c]);
            s += perCtx[c];
        }
    }

    private static void AssignProbes(DamoArgs a, List<ContextSpec> contexts)
    {
        var filters = a.All("probe_filter").Select(ProbeFilter).ToList();
        if (filters.Count == 0)
            return;
        var perProbe = a.Ints("nr_probe_filters") ?? [filters.Count];
        if (perProbe.Sum() != filters.Count)
            throw new ConfigException($"--nr_probe_filters mismatches --probe_filter ({perProbe.Sum()} != {filters.Count})");
        var probes = new List<ProbeSpec>();
        int f = 0;
        foreach (var nr in perProbe)
        {
            probes.Add(new ProbeSpec { Filters = filters.GetRange(f, nr) });
            f += nr;
        }
        var perCtx = a.Ints("nr_probes");
        if (perCtx is null)
        {
            if (contexts.Count != 1)
                throw new ConfigException("--nr_probes is required");
            perCtx = [probes.Count];
        }
        if (perCtx.Sum() != probes.Count)
            throw new ConfigException($"--nr_probes mismatches number of probes ({perCtx.Sum()} != {probes.Count})");
        if (perCtx.Count != contexts.Count)
            throw new ConfigException($"--nr_probes mismatches number of contexts ({perCtx.Count} != {contexts.Count})");
        int p = 0;
        for (int c = 0; c < contexts.Count; c++)
        {
            contexts[c].Probes = probes.GetRange(p, perCtx[c]);
            p += perCtx[c];
        }
    }

    /// <summary>probe_filter_for: &lt;allow|reject&gt; [non] &lt;anon|memcg&gt; [path].</summary>
    private static ProbeFilterSpec ProbeFilter(string[] words)
    {
        if (words.Length < 2)
            throw new ConfigException($"--probe_filter: expected >=2 fields but {words.Length}");
        if (words[0] is not ("allow" or "reject"))
            throw new ConfigException($"--probe_filter: expected allow|reject but {words[0]}");
        int i = 1;
        bool matching = true;
        if (words[i] == "non")
        {
            matching = false;
            i++;
        }
        if (i >= words.Length)
            throw new ConfigException("--probe_filter: filter type is not given");
        var type = words[i++];
        if (!DamoNames.ProbeFilterTypes.Contains(type))
            throw new ConfigException($"--probe_filter: unsupported filter type '{type}' (anon or memcg)");
        string? path = null;
        if (type == "memcg")
            path = i < words.Length ? words[i] : throw new ConfigException("--probe_filter: memcg path is not given");
        return new ProbeFilterSpec { FilterType = type, Matching = matching, Allow = words[0] == "allow", Path = path };
    }
}
