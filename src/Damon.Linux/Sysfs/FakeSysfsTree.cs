using Damon.Config.Schema;
using Damon.Core.Sampling;

namespace Damon.Linux.Sysfs;

/// <summary>
/// An in-memory DAMON admin tree that answers as the kernel's sysfs does for a
/// <see cref="SysfsKernelLevel"/>: writing an <c>nr_*</c> file creates or removes the numbered
/// child directories (refused with EBUSY while the kdamond runs), enumerated files reject unknown
/// words with EINVAL, read-only files refuse writes with EACCES, and the <c>state</c> file takes the
/// kernel's commands. What a running kdamond would report (stats, tried regions, effective quotas,
/// tuned intervals) comes from values the test sets with the <c>SetKernel*</c> methods and appears
/// when the matching update command is written. Every read and write is logged in order.
/// </summary>
public sealed class FakeSysfsTree : ISysfsTree
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirs = new(StringComparer.Ordinal) { "" };
    private readonly HashSet<string> _readOnly = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SchemeStatsSpec> _stats = new();
    private readonly Dictionary<string, IReadOnlyList<TriedRegionSpec>> _tried = new();
    private readonly Dictionary<string, ulong> _effectiveBytes = new();
    private readonly Dictionary<string, (ulong SampleUs, ulong AggrUs)> _tuned = new();

    public SysfsKernelLevel Level { get; }

    /// <summary>Every Read and Write, in order.</summary>
    public List<SysfsAccess> Log { get; } = [];

    /// <summary>The state commands written, in order, with their kdamond directory.</summary>
    public List<(string Kdamond, string Command)> Commands { get; } = [];

    /// <summary>The pid `on` gives kdamond 0 (kdamond k gets this + k).</summary>
    public int KdamondPid { get; set; } = 4242;

    public FakeSysfsTree(SysfsKernelLevel level)
    {
        Level = level;
        NrDir("kdamonds", "nr_kdamonds");
    }

    public IEnumerable<string> Writes => Log.Where(a => a.Op == SysfsOp.Write).Select(a => a.ToString());

    // ---- what the kernel would report -------------------------------------------------------------

    private static string SchemeDir(int k, int c, int s) => $"kdamonds/{k}/contexts/{c}/schemes/{s}";

    public void SetKernelStats(int k, int c, int s, SchemeStatsSpec stats) => _stats[SchemeDir(k, c, s)] = stats;

    public void SetKernelTriedRegions(int k, int c, int s, IReadOnlyList<TriedRegionSpec> regions) => _tried[SchemeDir(k, c, s)] = regions;

    public void SetKernelEffectiveBytes(int k, int c, int s, ulong bytes) => _effectiveBytes[SchemeDir(k, c, s)] = bytes;

    public void SetKernelTunedIntervals(int k, int c, ulong sampleUs, ulong aggrUs) => _tuned[$"kdamonds/{k}/contexts/{c}"] = (sampleUs, aggrUs);

    // ---- ISysfsTree -------------------------------------------------------------------------------

    public string Read(string path)
    {
        if (!_files.TryGetValue(path, out var v))
            throw SysfsException.ReadFailed(path, path, _dirs.Contains(path) ? SysfsException.EISDIR : SysfsException.ENOENT);
        Log.Add(new SysfsAccess(SysfsOp.Read, path, v));
        return v;
    }

    public bool FileExists(string path) => _files.ContainsKey(path);

    public bool DirExists(string path) => _dirs.Contains(path);

    public IReadOnlyList<string> ChildDirs(string path)
    {
        var prefix = path + "/";
        var names = _dirs.Where(d => d.StartsWith(prefix, StringComparison.Ordinal) && d.IndexOf('/', prefix.Length) < 0)
            .Select(d => d[prefix.Length..]).ToList();
        names.Sort((a, b) => int.TryParse(a, out var x) && int.TryParse(b, out var y) ? x.CompareTo(y) : string.CompareOrdinal(a, b));
        return names;
    }

    public void Write(string path, string value)
    {
        Log.Add(new SysfsAccess(SysfsOp.Write, path, value));
        if (_dirs.Contains(path)) throw Fail(path, value, SysfsException.EISDIR);
        if (!_files.ContainsKey(path)) throw Fail(path, value, SysfsException.ENOENT);
        if (_readOnly.Contains(path)) throw Fail(path, value, SysfsException.EACCES);
        var name = path[(path.LastIndexOf('/') + 1)..];
        var dir = path[..Math.Max(path.LastIndexOf('/'), 0)];
        var word = value.Trim();
        switch (name)
        {
            case "state":
                Command(dir, word);
                return;
            case "nr_kdamonds" or "nr_contexts" or "nr_targets" or "nr_regions" or "nr_schemes" or "nr_goals" or "nr_dests" or "nr_probes" or "nr_filters":
                Resize(path, dir, name, value);
                return;
        }
        if (!Valid(path, name, word))
            throw Fail(path, value, SysfsException.EINVAL);
        // A sample filter's cpumask reads back as the kernel prints it (%*pbl: "0-3,8").
        _files[path] = name == "cpumask" && DamonCpumask.TryParseList(word, out var mask, out _) ? mask.ToString() : word;
    }

    private static SysfsException Fail(string path, string value, int errno) => SysfsException.WriteFailed(path, path, value, errno);

    private bool Valid(string path, string name, string word) => name switch
    {
        "operations" => _files[SysfsText.Join(Parent(path), "avail_operations")].Split('\n').Contains(word),
        "action" => Level.Actions().Contains(word),
        "type" when path.Contains("/probes/", StringComparison.Ordinal) => word is "anon" or "memcg",
        "type" when path.Contains("/sample/", StringComparison.Ordinal) => word is "cpumask" or "threads" or "write",
        // damos_sysfs_scheme_filter_valid_type: core_filters/ takes only the types DAMON core handles, ops_filters/
        // only the operations set's; filters/ (DAMOS_SYSFS_FILTER_HANDLE_LAYER_BOTH) takes every type.
        "type" when path.Contains("/core_filters/", StringComparison.Ordinal) => Level.FilterTypes().Contains(word) && SysfsKernelLevel.IsCoreFilterType(word),
        "type" when path.Contains("/ops_filters/", StringComparison.Ordinal) => Level.FilterTypes().Contains(word) && !SysfsKernelLevel.IsCoreFilterType(word),
        "type" => Level.FilterTypes().Contains(word),
        "target_metric" => Level.GoalMetrics().Contains(word),
        "metric" => word is "none" or "free_mem_rate",
        "goal_tuner" => word is "consist" or "temporal",
        "matching" or "allow" or "pause" or "page_table" or "page_fault" or "use_reports" or "write_only" or "obsolete_target" =>
            word is "Y" or "N" or "y" or "n" or "1" or "0",
        "cpumask" when path.Contains("/sample/", StringComparison.Ordinal) => DamonCpumask.TryParseList(word, out _, out _),
        "tid_arr" => ValidTidArr(word),
        "memcg_path" or "path" or "cpus" or "tids" => true,
        "pid_target" or "target_nid" => long.TryParse(word, out _),
        _ => ulong.TryParse(word, out _),
    };

    private static string Parent(string path) => path[..Math.Max(path.LastIndexOf('/'), 0)];

    private bool Running(string kdamondDir) => _files.TryGetValue(kdamondDir + "/state", out var s) && s == "on";

    private static string KdamondOf(string path)
    {
        var parts = path.Split('/');
        return parts.Length >= 2 && parts[0] == "kdamonds" ? $"kdamonds/{parts[1]}" : "";
    }

    private void Resize(string path, string dir, string name, string value)
    {
        if (!int.TryParse(value.Trim(), out var nr) || nr < 0)
            throw Fail(path, value, SysfsException.EINVAL);
        // The kernel refuses only nr_kdamonds while a kdamond runs; lower counts change under a
        // running kdamond and take effect at the next commit (damo's tune and live snapshot rely on it).
        if (name == "nr_kdamonds" && Enumerable.Range(0, Count(path)).Any(i => Running($"kdamonds/{i}")))
            throw Fail(path, value, SysfsException.EBUSY);
        if (name == "nr_contexts" && nr > 1)
            throw Fail(path, value, SysfsException.EINVAL);
        int old = Count(path);
        for (int i = nr; i < old; i++) RemoveTree(SysfsText.Join(dir, i));
        for (int i = old; i < nr; i++) MakeChild(path, name, SysfsText.Join(dir, i));
        _files[path] = SysfsText.Num((ulong)nr);
    }

    private int Count(string nrPath) => int.Parse(_files[nrPath]);

    private void Command(string kdDir, string cmd)
    {
        var path = kdDir + "/state";
        bool on = Running(kdDir);
        switch (cmd)
        {
            case "on":
                if (on) throw Fail(path, cmd, SysfsException.EBUSY);
                RefuseBadSampleControl(kdDir, path, cmd);
                RefuseSeveralPaddrTargets(kdDir, path, cmd);
                _files[path] = "on";
                _files[kdDir + "/pid"] = SysfsText.Num((long)(KdamondPid + int.Parse(kdDir["kdamonds/".Length..])));
                break;
            case "off":
                if (!on) throw Fail(path, cmd, SysfsException.EINVAL);
                _files[path] = "off";
                _files[kdDir + "/pid"] = "-1";
                break;
            case "commit" or "commit_schemes_quota_goals" or "update_schemes_stats" or "update_schemes_tried_regions"
                or "update_schemes_tried_bytes" or "clear_schemes_tried_regions" or "update_schemes_effective_quotas"
                or "update_tuned_intervals":
                if (!on) throw Fail(path, cmd, SysfsException.EINVAL);
                if (cmd == "commit")
                {
                    RefuseBadSampleControl(kdDir, path, cmd);
                    RefuseSeveralPaddrTargets(kdDir, path, cmd);
                }
                Update(kdDir, cmd);
                break;
            default:
                throw Fail(path, cmd, SysfsException.EINVAL);
        }
        Commands.Add((kdDir, cmd));
    }

    private IEnumerable<string> SchemeDirs(string kdDir)
    {
        foreach (var c in ChildDirs(kdDir + "/contexts"))
            foreach (var s in ChildDirs($"{kdDir}/contexts/{c}/schemes"))
                yield return $"{kdDir}/contexts/{c}/schemes/{s}";
    }

    private void Update(string kdDir, string cmd)
    {
        switch (cmd)
        {
            case "update_schemes_stats":
                foreach (var s in SchemeDirs(kdDir))
                    if (_stats.TryGetValue(s, out var st))
                        FillStats(s + "/stats", st);
                break;
            case "update_schemes_tried_regions" or "update_schemes_tried_bytes" or "clear_schemes_tried_regions":
                foreach (var s in SchemeDirs(kdDir))
                {
                    var dir = s + "/tried_regions";
                    foreach (var child in ChildDirs(dir)) RemoveTree(SysfsText.Join(dir, child));
                    var regions = cmd == "clear_schemes_tried_regions" ? [] : _tried.GetValueOrDefault(s) ?? [];
                    ulong total = 0;
                    for (int i = 0; i < regions.Count; i++)
                    {
                        var r = regions[i];
                        total += r.End - r.Start;
                        if (cmd != "update_schemes_tried_regions") continue;
                        var rd = SysfsText.Join(dir, i);
                        Files(rd, [("start", SysfsText.Num(r.Start)), ("end", SysfsText.Num(r.End)),
                            ("nr_accesses", SysfsText.Num(r.NrAccesses)), ("age", SysfsText.Num(r.Age))], readOnly: true);
                        if (Level.SzOpsFilterPassed)
                            Files(rd, [("sz_filter_passed", SysfsText.Num(r.SzFilterPassed))], readOnly: true);
                    }
                    _files[dir + "/total_bytes"] = SysfsText.Num(total);
                }
                break;
            case "update_schemes_effective_quotas":
                foreach (var s in SchemeDirs(kdDir))
                    if (_effectiveBytes.TryGetValue(s, out var b))
                        _files[s + "/quotas/effective_bytes"] = SysfsText.Num(b);
                break;
            case "update_tuned_intervals":
                foreach (var c in ChildDirs(kdDir + "/contexts"))
                    if (_tuned.TryGetValue($"{kdDir}/contexts/{c}", out var t))
                    {
                        _files[$"{kdDir}/contexts/{c}/monitoring_attrs/intervals/sample_us"] = SysfsText.Num(t.SampleUs);
                        _files[$"{kdDir}/contexts/{c}/monitoring_attrs/intervals/aggr_us"] = SysfsText.Num(t.AggrUs);
                    }
                break;
        }
    }

    private void FillStats(string dir, SchemeStatsSpec st)
    {
        _files[dir + "/nr_tried"] = SysfsText.Num(st.NrTried);
        _files[dir + "/sz_tried"] = SysfsText.Num(st.SzTried);
        _files[dir + "/nr_applied"] = SysfsText.Num(st.NrApplied);
        _files[dir + "/sz_applied"] = SysfsText.Num(st.SzApplied);
        _files[dir + "/qt_exceeds"] = SysfsText.Num(st.QtExceeds);
        if (Level.SzOpsFilterPassed) _files[dir + "/sz_ops_filter_passed"] = SysfsText.Num(st.SzOpsFilterPassed);
        if (Level.Snapshots) _files[dir + "/nr_snapshots"] = SysfsText.Num(st.NrSnapshots);
    }

    // ---- the tree's shape -------------------------------------------------------------------------

    private void Dir(string dir)
    {
        for (var d = dir; d.Length > 0 && _dirs.Add(d); d = Parent(d)) { }
    }

    private void Files(string dir, (string Name, string Value)[] files, bool readOnly = false)
    {
        Dir(dir);
        foreach (var (name, value) in files)
        {
            var p = SysfsText.Join(dir, name);
            _files[p] = value;
            if (readOnly) _readOnly.Add(p);
        }
    }

    private void NrDir(string dir, string nrName) => Files(dir, [(nrName, "0")]);

    private void RemoveTree(string dir)
    {
        var prefix = dir + "/";
        _dirs.RemoveWhere(d => d == dir || d.StartsWith(prefix, StringComparison.Ordinal));
        foreach (var f in _files.Keys.Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _files.Remove(f);
            _readOnly.Remove(f);
        }
    }

    private void MakeChild(string nrPath, string nrName, string d)
    {
        switch (nrName)
        {
            case "nr_kdamonds": MakeKdamond(d); break;
            case "nr_contexts": MakeContext(d); break;
            case "nr_targets": MakeTarget(d); break;
            case "nr_regions": Files(d, [("start", "0"), ("end", "0")]); break;
            case "nr_schemes": MakeScheme(d); break;
            case "nr_goals": MakeGoal(d); break;
            case "nr_dests": Files(d, [("id", "0"), ("weight", "0")]); break;
            case "nr_probes": Dir(d); NrDir(d + "/filters", "nr_filters"); break;
            case "nr_filters" when nrPath.Contains("/probes/", StringComparison.Ordinal):
                Files(d, [("type", "anon"), ("matching", "N"), ("allow", "N"), ("path", "")]); break;
            case "nr_filters" when nrPath.Contains("/sample/", StringComparison.Ordinal):
                Files(d, [("type", "write"), ("matching", "N"), ("allow", "N"), ("cpumask", ""), ("tid_arr", "")]); break;
            case "nr_filters": MakeFilter(d); break;
        }
    }

    /// <summary>parse_int_array (get_options): comma-separated integers; an empty line is no thread.</summary>
    private static bool ValidTidArr(string word) =>
        word.Length == 0 || word.Split(',').All(t => int.TryParse(t, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _));

    /// <summary>damon_commit_ctx's sample-control check: exactly one primitive enabled, else -EINVAL.</summary>
    private void RefuseBadSampleControl(string kdDir, string path, string cmd)
    {
        foreach (var c in ChildDirs(kdDir + "/contexts"))
        {
            var p = $"{kdDir}/contexts/{c}/monitoring_attrs/sample/primitives";
            if (_files.TryGetValue(p + "/page_table", out var pt) && SysfsText.ParseBool(pt) == SysfsText.ParseBool(_files[p + "/page_fault"]))
                throw Fail(path, cmd, SysfsException.EINVAL);
        }
    }

    /// <summary>
    /// damon_sysfs_add_targets: "Multiple physical address space monitoring targets makes no sense", -EINVAL for a
    /// paddr context with more than one target (the test-bed guest's 6.12 refused user mode's shared context so).
    /// </summary>
    private void RefuseSeveralPaddrTargets(string kdDir, string path, string cmd)
    {
        foreach (var c in ChildDirs(kdDir + "/contexts"))
        {
            var ctx = $"{kdDir}/contexts/{c}";
            if (_files.TryGetValue(ctx + "/operations", out var ops) && ops == "paddr" && Count(ctx + "/targets/nr_targets") > 1)
                throw Fail(path, cmd, SysfsException.EINVAL);
        }
    }

    private void MakeKdamond(string d)
    {
        Files(d, [("state", "off")]);
        Files(d, [("pid", "-1")], readOnly: true);
        if (Level.RefreshMs) Files(d, [("refresh_ms", "0")]);
        NrDir(d + "/contexts", "nr_contexts");
    }

    private void MakeContext(string d)
    {
        Files(d, [("avail_operations", "vaddr\nfvaddr\npaddr")], readOnly: true);
        Files(d, [("operations", "vaddr")]);
        if (Level.AddrUnit) Files(d, [("addr_unit", "1")]);
        if (Level.Pause) Files(d, [("pause", "N")]);
        if (Level.OpsAttrs) Files(d + "/operations_attrs", [("use_reports", "N"), ("write_only", "N"), ("cpus", "all"), ("tids", "")]);
        var m = d + "/monitoring_attrs";
        Files(m + "/intervals", [("sample_us", "5000"), ("aggr_us", "100000"), ("update_us", "60000000")]);
        if (Level.IntervalsGoal)
            Files(m + "/intervals/intervals_goal", [("access_bp", "0"), ("aggrs", "0"), ("min_sample_us", "0"), ("max_sample_us", "0")]);
        Files(m + "/nr_regions", [("min", "10"), ("max", "1000")]);
        if (Level.Probes) NrDir(m + "/probes", "nr_probes");
        if (Level.Sample)
        {
            // sysfs-sample.c's damon_sysfs_sample_add_dirs: primitives (page_table on), filters, perf_events.
            Files(m + "/sample/primitives", [("page_table", "Y"), ("page_fault", "N")]);
            NrDir(m + "/sample/filters", "nr_filters");
            NrDir(m + "/sample/perf_events", "nr_perf_events");
        }
        NrDir(d + "/targets", "nr_targets");
        NrDir(d + "/schemes", "nr_schemes");
    }

    private void MakeTarget(string d)
    {
        Files(d, [("pid_target", "0")]);
        if (Level.ObsoleteTarget) Files(d, [("obsolete_target", "N")]);
        NrDir(d + "/regions", "nr_regions");
    }

    private void MakeScheme(string d)
    {
        Files(d, [("action", "stat"), ("target_nid", "-1"), ("apply_interval_us", "0")]);
        foreach (var x in (string[])["sz", "nr_accesses", "age"])
            Files($"{d}/access_pattern/{x}", [("min", "0"), ("max", "0")]);
        var q = d + "/quotas";
        Files(q, [("ms", "0"), ("bytes", "0"), ("reset_interval_ms", "0")]);
        Files(q, [("effective_bytes", "0")], readOnly: true);
        if (Level.GoalTuner) Files(q, [("goal_tuner", "consist")]);
        if (Level.FailCharge) Files(q, [("fail_charge_num", "0"), ("fail_charge_denom", "0")]);
        Files(q + "/weights", [("sz_permil", "0"), ("nr_accesses_permil", "0"), ("age_permil", "0")]);
        NrDir(q + "/goals", "nr_goals");
        Files(d + "/watermarks", [("metric", "none"), ("interval_us", "0"), ("high", "0"), ("mid", "0"), ("low", "0")]);
        if (Level.CoreOpsFilters)
        {
            NrDir(d + "/core_filters", "nr_filters");
            NrDir(d + "/ops_filters", "nr_filters");
        }
        NrDir(d + "/filters", "nr_filters");
        if (Level.Dests) NrDir(d + "/dests", "nr_dests");
        Files(d + "/stats", [("nr_tried", "0"), ("sz_tried", "0"), ("nr_applied", "0"), ("sz_applied", "0"), ("qt_exceeds", "0")], readOnly: true);
        if (Level.SzOpsFilterPassed) Files(d + "/stats", [("sz_ops_filter_passed", "0")], readOnly: true);
        if (Level.Snapshots)
        {
            Files(d + "/stats", [("nr_snapshots", "0")], readOnly: true);
            Files(d + "/stats", [("max_nr_snapshots", "0")]);
        }
        Files(d + "/tried_regions", [("total_bytes", "0")], readOnly: true);
    }

    private void MakeGoal(string d)
    {
        Files(d, [("target_metric", "user_input"), ("target_value", "0"), ("current_value", "0")]);
        if (Level.GoalNid) Files(d, [("nid", "0")]);
        if (Level.GoalPath) Files(d, [("path", "")]);
    }

    private void MakeFilter(string d)
    {
        Files(d, [("type", "anon"), ("matching", "N"), ("memcg_path", ""), ("addr_start", "0"), ("addr_end", "0"), ("damon_target_idx", "0")]);
        if (Level.FilterAllow) Files(d, [("allow", "N")]);
        if (Level.FilterHugepageSize) Files(d, [("min", "0"), ("max", "0")]);
    }
}
