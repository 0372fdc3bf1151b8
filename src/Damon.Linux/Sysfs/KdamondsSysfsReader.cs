using Damon.Config.Schema;

namespace Damon.Linux.Sysfs;

/// <summary>
/// Reads the admin tree back into a status <see cref="KdamondsSpec"/> (damo's current_kdamonds):
/// state, pid, every parameter, scheme stats, effective quotas, tried regions and total bytes, so
/// the `report damon` renderers print it. The access pattern comes back in samples and aggregation
/// intervals, the units the files hold. Files an older kernel lacks read as their defaults.
/// </summary>
public sealed class KdamondsSysfsReader(ISysfsTree tree)
{
    public KdamondsSpec Read()
    {
        var spec = new KdamondsSpec();
        int n = Nr("kdamonds/nr_kdamonds");
        for (int k = 0; k < n; k++)
            spec.Kdamonds.Add(ReadKdamond($"kdamonds/{k}"));
        return spec;
    }

    private int Nr(string path) => (int)tree.ReadUInt64(path);

    private ulong U(string path, ulong dflt = 0) => tree.FileExists(path) ? tree.ReadUInt64(path) : dflt;

    private string S(string path, string dflt = "") => tree.FileExists(path) ? tree.Read(path).Trim() : dflt;

    private bool B(string path) => tree.FileExists(path) && SysfsText.ParseBool(tree.Read(path));

    public KdamondSpec ReadKdamond(string d)
    {
        var pid = SysfsText.ParseInt64(d + "/pid", tree.Read(d + "/pid"));
        var k = new KdamondSpec
        {
            State = tree.Read(d + "/state").Trim(),
            Pid = pid < 0 ? null : (int)pid,
            RefreshMs = U(d + "/refresh_ms"),
        };
        int n = Nr(d + "/contexts/nr_contexts");
        for (int c = 0; c < n; c++)
            k.Contexts.Add(ReadContext($"{d}/contexts/{c}"));
        return k;
    }

    private ContextSpec ReadContext(string d)
    {
        var m = d + "/monitoring_attrs";
        var g = m + "/intervals/intervals_goal";
        var ctx = new ContextSpec
        {
            Ops = tree.Read(d + "/operations").Trim(),
            AddrUnit = U(d + "/addr_unit", 1),
            Pause = B(d + "/pause"),
            Intervals = new IntervalsSpec
            {
                SampleUs = tree.ReadUInt64(m + "/intervals/sample_us"),
                AggrUs = tree.ReadUInt64(m + "/intervals/aggr_us"),
                OpsUpdateUs = tree.ReadUInt64(m + "/intervals/update_us"),
                IntervalsGoal = tree.DirExists(g)
                    ? new IntervalsGoalSpec
                    {
                        AccessBp = tree.ReadUInt64(g + "/access_bp"),
                        Aggrs = tree.ReadUInt64(g + "/aggrs"),
                        MinSampleUs = tree.ReadUInt64(g + "/min_sample_us"),
                        MaxSampleUs = tree.ReadUInt64(g + "/max_sample_us"),
                    }
                    : new(),
            },
            NrRegions = new NrRegionsSpec { Min = tree.ReadUInt64(m + "/nr_regions/min"), Max = tree.ReadUInt64(m + "/nr_regions/max") },
        };
        if (tree.DirExists(m + "/probes"))
            for (int p = 0, np = Nr(m + "/probes/nr_probes"); p < np; p++)
            {
                var probe = new ProbeSpec();
                var fd = $"{m}/probes/{p}/filters";
                for (int f = 0, nf = Nr(fd + "/nr_filters"); f < nf; f++)
                    probe.Filters.Add(new ProbeFilterSpec
                    {
                        FilterType = S($"{fd}/{f}/type"),
                        Matching = B($"{fd}/{f}/matching"),
                        Allow = B($"{fd}/{f}/allow"),
                        Path = S($"{fd}/{f}/type") == "memcg" ? S($"{fd}/{f}/path") : null,
                    });
                ctx.Probes.Add(probe);
            }
        if (tree.DirExists(m + "/sample"))
        {
            ctx.SampleControl.PageTable = B(m + "/sample/primitives/page_table");
            ctx.SampleControl.PageFault = B(m + "/sample/primitives/page_fault");
            var fd = m + "/sample/filters";
            for (int f = 0, nf = Nr(fd + "/nr_filters"); f < nf; f++)
            {
                var type = S($"{fd}/{f}/type");
                ctx.SampleControl.SampleFilters.Add(new SampleFilterSpec
                {
                    FilterType = type,
                    Matching = B($"{fd}/{f}/matching"),
                    Allow = B($"{fd}/{f}/allow"),
                    Cpumask = type == "cpumask" ? S($"{fd}/{f}/cpumask") : null,
                    TidArr = type == "threads" ? S($"{fd}/{f}/tid_arr") : null,
                });
            }
        }
        for (int t = 0, nt = Nr(d + "/targets/nr_targets"); t < nt; t++)
            ctx.Targets.Add(ReadTarget($"{d}/targets/{t}", ctx.Ops));
        for (int s = 0, ns = Nr(d + "/schemes/nr_schemes"); s < ns; s++)
            ctx.Schemes.Add(ReadScheme($"{d}/schemes/{s}"));
        return ctx;
    }

    private TargetSpec ReadTarget(string d, string ops)
    {
        var t = new TargetSpec
        {
            // paddr targets have no process; the file still reads 0.
            Pid = ops == "paddr" ? null : (int)SysfsText.ParseInt64(d + "/pid_target", tree.Read(d + "/pid_target")),
            Obsolete = B(d + "/obsolete_target"),
        };
        for (int r = 0, nr = Nr(d + "/regions/nr_regions"); r < nr; r++)
            t.Regions.Add(new AddrRangeSpec(tree.ReadUInt64($"{d}/regions/{r}/start"), tree.ReadUInt64($"{d}/regions/{r}/end")));
        return t;
    }

    private SchemeSpec ReadScheme(string d)
    {
        var ap = d + "/access_pattern";
        var action = tree.Read(d + "/action").Trim();
        var nid = SysfsText.ParseInt64(d + "/target_nid", S(d + "/target_nid", "-1"));
        var s = new SchemeSpec
        {
            Action = action,
            TargetNid = DamoNames.IsMigrateAction(action) ? (int)nid : null,
            AccessPattern = SysfsAccessPattern.FromKernelUnits(
                tree.ReadUInt64(ap + "/sz/min"), tree.ReadUInt64(ap + "/sz/max"),
                tree.ReadUInt64(ap + "/nr_accesses/min"), tree.ReadUInt64(ap + "/nr_accesses/max"),
                tree.ReadUInt64(ap + "/age/min"), tree.ReadUInt64(ap + "/age/max")),
            ApplyIntervalUs = U(d + "/apply_interval_us"),
            Quotas = ReadQuotas(d + "/quotas"),
            Watermarks = new WatermarksSpec
            {
                Metric = S(d + "/watermarks/metric", "none"),
                IntervalUs = tree.ReadUInt64(d + "/watermarks/interval_us"),
                HighPermil = tree.ReadUInt64(d + "/watermarks/high"),
                MidPermil = tree.ReadUInt64(d + "/watermarks/mid"),
                LowPermil = tree.ReadUInt64(d + "/watermarks/low"),
            },
            MaxNrSnapshots = U(d + "/stats/max_nr_snapshots"),
            Stats = new SchemeStatsSpec
            {
                NrTried = tree.ReadUInt64(d + "/stats/nr_tried"),
                SzTried = tree.ReadUInt64(d + "/stats/sz_tried"),
                NrApplied = tree.ReadUInt64(d + "/stats/nr_applied"),
                SzApplied = tree.ReadUInt64(d + "/stats/sz_applied"),
                SzOpsFilterPassed = U(d + "/stats/sz_ops_filter_passed"),
                QtExceeds = tree.ReadUInt64(d + "/stats/qt_exceeds"),
                NrSnapshots = U(d + "/stats/nr_snapshots"),
                MaxNrSnapshots = U(d + "/stats/max_nr_snapshots"),
            },
        };
        if (tree.DirExists(d + "/dests"))
            for (int i = 0, n = Nr(d + "/dests/nr_dests"); i < n; i++)
                s.Dests.Add(new DestSpec(tree.ReadUInt64($"{d}/dests/{i}/id"), tree.ReadUInt64($"{d}/dests/{i}/weight")));
        // damo's order: core_filters, ops_filters, then the deprecated filters/.
        foreach (var dir in (string[])["core_filters", "ops_filters", "filters"])
            if (tree.DirExists($"{d}/{dir}"))
                for (int i = 0, n = Nr($"{d}/{dir}/nr_filters"); i < n; i++)
                    s.Filters.Add(ReadFilter($"{d}/{dir}/{i}"));
        var tr = d + "/tried_regions";
        if (tree.DirExists(tr))
        {
            s.TriedRegions = ReadTriedRegions(tr);
            s.TotalBytes = U(tr + "/total_bytes");
        }
        return s;
    }

    private QuotasSpec ReadQuotas(string d)
    {
        var q = new QuotasSpec
        {
            TimeMs = tree.ReadUInt64(d + "/ms"),
            SzBytes = tree.ReadUInt64(d + "/bytes"),
            ResetIntervalMs = tree.ReadUInt64(d + "/reset_interval_ms"),
            EffectiveSzBytes = U(d + "/effective_bytes"),
            GoalTuner = S(d + "/goal_tuner", "consist"),
            FailChargeNum = U(d + "/fail_charge_num"),
            FailChargeDenom = U(d + "/fail_charge_denom"),
            WeightSzPermil = tree.ReadUInt64(d + "/weights/sz_permil"),
            WeightNrAccessesPermil = tree.ReadUInt64(d + "/weights/nr_accesses_permil"),
            WeightAgePermil = tree.ReadUInt64(d + "/weights/age_permil"),
        };
        if (tree.DirExists(d + "/goals"))
            for (int i = 0, n = Nr(d + "/goals/nr_goals"); i < n; i++)
            {
                var g = $"{d}/goals/{i}";
                var metric = S(g + "/target_metric", "user_input");
                q.Goals.Add(new QuotaGoalSpec
                {
                    Metric = metric,
                    Nid = DamoNames.GoalNeedsNid(metric) && tree.FileExists(g + "/nid") ? tree.ReadUInt64(g + "/nid") : null,
                    MemcgPath = DamoNames.GoalNeedsMemcg(metric) ? S(g + "/path") : null,
                    TargetValue = tree.ReadUInt64(g + "/target_value"),
                    CurrentValue = tree.ReadUInt64(g + "/current_value"),
                });
            }
        return q;
    }

    private FilterSpec ReadFilter(string d)
    {
        var type = S(d + "/type");
        return new FilterSpec
        {
            FilterType = type,
            Matching = B(d + "/matching"),
            Allow = B(d + "/allow") || B(d + "/pass"),
            MemcgPath = type == "memcg" ? S(d + "/memcg_path") : null,
            AddressRange = type == "addr" ? new AddrRangeSpec(tree.ReadUInt64(d + "/addr_start"), tree.ReadUInt64(d + "/addr_end")) : null,
            DamonTargetIdx = type == "target" ? tree.ReadUInt64(d + "/damon_target_idx") : null,
            HugepageSize = type == "hugepage_size" ? (tree.ReadUInt64(d + "/min"), tree.ReadUInt64(d + "/max")) : null,
        };
    }

    private List<TriedRegionSpec> ReadTriedRegions(string dir)
    {
        var values = new List<TriedRegionValues>();
        ReadTriedRegions(dir, values, withFilterPassed: true);
        return [.. values.Select(v => new TriedRegionSpec
        {
            Start = v.Start, End = v.End, NrAccesses = v.NrAccesses, Age = v.Age, SzFilterPassed = v.SzFilterPassed,
        })];
    }

    private readonly List<int> _indices = [];

    /// <summary>
    /// The fast path for the backend reading every aggregation: one scheme's tried regions into <paramref name="into"/>
    /// (cleared first; no allocation per region), in index order, with <c>sz_filter_passed</c> only when
    /// <paramref name="withFilterPassed"/> (the backend's snapshots do not use it: one file fewer per region).
    /// </summary>
    public void ReadTriedRegions(string triedRegionsDir, List<TriedRegionValues> into, bool withFilterPassed)
    {
        into.Clear();
        using var dir = tree.OpenNumberedDir(triedRegionsDir);
        // Every numbered child directory of tried_regions/ is a region (one listing, not a stat per region). Up to
        // 6.13 the kernel numbers them with one counter shared by all schemes of the update
        // (damon_sysfs_schemes_region_idx), so a scheme's regions need not start at 0 nor be contiguous:
        // take the names as they are, in numeric order.
        dir.Indices(_indices);
        bool withPassed = withFilterPassed && _indices.Count > 0 && dir.FileExists(_indices[0], "sz_filter_passed");
        foreach (int idx in _indices)
            into.Add(new TriedRegionValues(dir.ReadUInt64(idx, "start"), dir.ReadUInt64(idx, "end"),
                dir.ReadUInt64(idx, "nr_accesses"), dir.ReadUInt64(idx, "age"),
                withPassed ? dir.ReadUInt64(idx, "sz_filter_passed") : 0));
    }

    /// <summary>The tried-regions directory of scheme <paramref name="s"/> of context <paramref name="c"/> of kdamond <paramref name="k"/>.</summary>
    public static string TriedRegionsDir(int k, int c, int s) => $"kdamonds/{k}/contexts/{c}/schemes/{s}/tried_regions";
}

/// <summary>One tried region's files as numbers (the reader's fast path; <see cref="TriedRegionSpec"/> for status).</summary>
public readonly record struct TriedRegionValues(ulong Start, ulong End, ulong NrAccesses, ulong Age, ulong SzFilterPassed);
