using Damon.Config.Schema;

namespace Damon.Linux.Sysfs;

/// <summary>
/// What the running kernel's DAMON sysfs offers, found from the files that exist, the way damo's
/// mk_feature_supports_map does: with no kdamond running it stages one kdamond / context / target /
/// scheme / quota goal / filter, looks, probes the words the kernel accepts (filter types, goal
/// metrics: the kernel validates them on write), then puts the original tree back. With a kdamond
/// running it only looks at kdamond 0's files (nothing may be staged under a running kdamond), and
/// the word probes are inferred from the files present.
/// </summary>
public sealed record DamonSysfsFeatures
{
    public IReadOnlyList<string> AvailOperations { get; init; } = [];
    /// <summary>The deprecated filters/ directory.</summary>
    public bool Filters { get; init; }
    /// <summary>core_filters/ and ops_filters/ (7.2's split; 6.15+).</summary>
    public bool CoreOpsFilters { get; init; }
    public bool FilterAllow { get; init; }
    public IReadOnlyList<string> FilterTypes { get; init; } = [];
    public bool Dests { get; init; }
    public bool QuotaGoals { get; init; }
    public bool GoalMetricFile { get; init; }
    public bool GoalNid { get; init; }
    public bool GoalPath { get; init; }
    public IReadOnlyList<string> GoalMetrics { get; init; } = [];
    public bool GoalTuner { get; init; }
    public bool FailCharge { get; init; }
    public bool EffectiveBytes { get; init; }
    public bool IntervalsGoal { get; init; }
    public bool AddrUnit { get; init; }
    public bool Pause { get; init; }
    public bool RefreshMs { get; init; }
    public bool ObsoleteTarget { get; init; }
    public bool Probes { get; init; }
    public bool Sample { get; init; }
    public bool OperationsAttrs { get; init; }
    public bool ApplyInterval { get; init; }
    public bool TargetNid { get; init; }
    public bool TriedRegions { get; init; }
    public bool MaxNrSnapshots { get; init; }

    private const string K = "kdamonds/0", C = K + "/contexts/0", S = C + "/schemes/0";

    public static DamonSysfsFeatures Detect(ISysfsTree tree)
    {
        if (!tree.DirExists("kdamonds"))
            throw new SysfsException("damon: kdamonds: this kernel has no DAMON sysfs interface (CONFIG_DAMON_SYSFS)", "kdamonds", SysfsException.ENOENT);
        var reader = new KdamondsSysfsReader(tree);
        var original = reader.Read();
        if (original.Kdamonds.Any(k => k.State == "on"))
            return Look(tree, probeWords: false);
        var writer = new KdamondsSysfsWriter(tree);
        try
        {
            writer.Write(ProbeSpec());
            var f = Look(tree, probeWords: true);
            return f;
        }
        finally
        {
            // The original parameters, or an empty tree when there were none (the probe's counts go).
            writer.Write(original);
        }
    }

    private static KdamondsSpec ProbeSpec() => new()
    {
        Kdamonds = [new KdamondSpec { Contexts = [new ContextSpec
        {
            Ops = "vaddr",
            Targets = [new TargetSpec()],
            Schemes = [new SchemeSpec { Quotas = new QuotasSpec { Goals = [new QuotaGoalSpec()] } }],
        }] }],
    };

    private static DamonSysfsFeatures Look(ISysfsTree t, bool probeWords)
    {
        bool coreOps = t.DirExists(S + "/core_filters");
        var opsDir = coreOps ? S + "/ops_filters" : S + "/filters";
        bool goals = t.DirExists(S + "/quotas/goals");
        bool goal0 = t.DirExists(S + "/quotas/goals/0");
        var level = new
        {
            nid = goal0 && t.FileExists(S + "/quotas/goals/0/nid"),
            path = goal0 && t.FileExists(S + "/quotas/goals/0/path"),
        };
        bool failCharge = t.FileExists(S + "/quotas/fail_charge_denom");
        bool maxSnap = t.FileExists(S + "/stats/max_nr_snapshots");
        var filterTypes = new List<string>();
        var metrics = new List<string>();
        bool allow = false;
        if (t.DirExists(opsDir))
        {
            if (probeWords)
            {
                // With core_filters/ the kernel takes a type only in its own layer's directory
                // (damos_sysfs_scheme_filter_valid_type), so core types are probed there: asking ops_filters/
                // for 'target' gets EINVAL on a kernel that has it.
                var dirs = coreOps ? (string[])[S + "/core_filters", opsDir] : [opsDir];
                foreach (var d in dirs)
                    t.Write(d + "/nr_filters", "1");
                allow = t.FileExists(opsDir + "/0/allow") || t.FileExists(opsDir + "/0/pass");
                foreach (var type in DamoNames.FilterTypes)
                    if (dirs.Any(d => Accepts(t, d + "/0/type", type))) filterTypes.Add(type);
                foreach (var d in dirs)
                    t.Write(d + "/nr_filters", "0");
            }
            else
            {
                allow = t.DirExists(opsDir + "/0") && (t.FileExists(opsDir + "/0/allow") || t.FileExists(opsDir + "/0/pass"));
                filterTypes.AddRange(["anon", "memcg", "young", "addr", "target"]);
                if (coreOps) filterTypes.AddRange(["active", "unmapped", "hugepage_size"]);
            }
        }
        if (goal0 && t.FileExists(S + "/quotas/goals/0/target_metric"))
        {
            if (probeWords)
            {
                foreach (var m in DamoNames.QuotaGoalMetrics)
                    if (Accepts(t, S + "/quotas/goals/0/target_metric", m)) metrics.Add(m);
            }
            else
            {
                metrics.AddRange(["user_input", "some_mem_psi_us"]);
                if (level.nid) metrics.AddRange(["node_mem_used_bp", "node_mem_free_bp"]);
                if (level.path) metrics.AddRange(["node_memcg_used_bp", "node_memcg_free_bp"]);
                if (maxSnap) metrics.AddRange(["active_mem_bp", "inactive_mem_bp"]);
                if (failCharge) metrics.Add("node_eligible_mem_bp");
            }
        }
        else if (goals)
            metrics.Add("user_input");
        return new DamonSysfsFeatures
        {
            AvailOperations = t.FileExists(C + "/avail_operations")
                ? t.Read(C + "/avail_operations").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                : [],
            Filters = t.DirExists(S + "/filters"),
            CoreOpsFilters = coreOps,
            FilterAllow = allow,
            FilterTypes = filterTypes,
            Dests = t.DirExists(S + "/dests"),
            QuotaGoals = goals,
            GoalMetricFile = goal0 && t.FileExists(S + "/quotas/goals/0/target_metric"),
            GoalNid = level.nid,
            GoalPath = level.path,
            GoalMetrics = metrics,
            GoalTuner = t.FileExists(S + "/quotas/goal_tuner"),
            FailCharge = failCharge,
            EffectiveBytes = t.FileExists(S + "/quotas/effective_bytes"),
            IntervalsGoal = t.DirExists(C + "/monitoring_attrs/intervals/intervals_goal"),
            AddrUnit = t.FileExists(C + "/addr_unit"),
            Pause = t.FileExists(C + "/pause"),
            RefreshMs = t.FileExists(K + "/refresh_ms"),
            ObsoleteTarget = t.FileExists(C + "/targets/0/obsolete_target"),
            Probes = t.DirExists(C + "/monitoring_attrs/probes"),
            Sample = t.DirExists(C + "/monitoring_attrs/sample"),
            OperationsAttrs = t.DirExists(C + "/operations_attrs"),
            ApplyInterval = t.FileExists(S + "/apply_interval_us"),
            TargetNid = t.FileExists(S + "/target_nid"),
            TriedRegions = t.DirExists(S + "/tried_regions"),
            MaxNrSnapshots = maxSnap,
        };
    }

    private static bool Accepts(ISysfsTree t, string path, string word)
    {
        try
        {
            t.Write(path, word);
            return true;
        }
        catch (SysfsException e) when (e.Errno == SysfsException.EINVAL)
        {
            return false;
        }
    }

    /// <summary>
    /// What a context's sample control needs: monitoring_attrs/sample/ (the access-reporting hack
    /// tree) takes any; an older revision's operations_attrs/ takes what damo's OpsAttrs can say (a
    /// primitive, and one allowing, matching filter of each type); a kernel with neither takes only
    /// the default (page_table, no filter). Lines name the file the kernel lacks.
    /// </summary>
    private IEnumerable<string> MissingForSampleControl(SampleControlSpec sc, string ctxDir, string at)
    {
        if (sc.IsDefault || Sample)
            yield break;
        const string need = "needs the access-reporting kernel (damonitor/linux, monitoring_attrs/sample/)";
        if (OperationsAttrs)
        {
            if (sc.SampleFilters.Any(f => !f.Allow || !f.Matching) || sc.SampleFilters.GroupBy(f => f.FilterType).Any(g => g.Count() > 1))
                yield return $"this kernel has no {ctxDir}/monitoring_attrs/sample/filters: sample filters that reject, match the opposite or repeat a type ({at}) cannot be said in operations_attrs/; it {need}";
            yield break;
        }
        if (!sc.PageTable || sc.PageFault)
            yield return $"this kernel has no {ctxDir}/monitoring_attrs/sample/primitives/page_fault: page_fault sampling ({at}) {need}";
        if (sc.SampleFilters.Count > 0)
            yield return $"this kernel has no {ctxDir}/monitoring_attrs/sample/filters: sample filters ({at}) need the access-reporting kernel (damonitor/linux, monitoring_attrs/sample/)";
    }

    /// <summary>
    /// One line per thing <paramref name="spec"/> uses that this kernel lacks; empty when the kernel
    /// can run it. The caller refuses with these lines (exit 4).
    /// </summary>
    public List<string> Missing(KdamondsSpec spec)
    {
        var lines = new List<string>();
        void Need(bool have, string what) { if (!have && !lines.Contains(what)) lines.Add(what); }
        foreach (var (kd, k) in spec.Kdamonds.Select((x, i) => (x, i)))
        {
            Need(kd.RefreshMs == 0 || RefreshMs, $"this kernel has no refresh_ms: kdamond {k}'s refresh_ms {kd.RefreshMs} needs 6.17+");
            foreach (var (ctx, c) in kd.Contexts.Select((x, i) => (x, i)))
            {
                var at = $"kdamond {k} context {c}";
                Need(AvailOperations.Count == 0 || AvailOperations.Contains(ctx.Ops), $"this kernel has no '{ctx.Ops}' operations set ({at}; it offers {string.Join(", ", AvailOperations)})");
                Need(ctx.Intervals.IntervalsGoal.IsDefault || IntervalsGoal, $"this kernel has no intervals_goal: interval auto-tuning ({at}) needs 6.15+");
                Need(ctx.AddrUnit == 1 || AddrUnit, $"this kernel has no addr_unit: addr_unit {ctx.AddrUnit} ({at}) needs 6.18+");
                Need(!ctx.Pause || Pause, $"this kernel has no pause file: pausing {at} needs 7.1+");
                Need(ctx.Probes.Count == 0 || Probes, $"this kernel has no monitoring_attrs/probes: data-attribute probes ({at}) need 7.2+");
                foreach (var line in MissingForSampleControl(ctx.SampleControl, $"kdamonds/{k}/contexts/{c}", at))
                    Need(false, line);
                Need(!ctx.Targets.Any(t => t.Obsolete) || ObsoleteTarget, $"this kernel has no obsolete_target: obsolete targets ({at}) need 6.19+");
                foreach (var (s, si) in ctx.Schemes.Select((x, i) => (x, i)))
                {
                    var sat = $"{at} scheme {si}";
                    Need(s.Dests.Count == 0 || Dests, $"this kernel has no dests/: migration to several destinations ({sat}) needs 6.17+");
                    Need(s.TargetNid is null || TargetNid, $"this kernel has no target_nid: {s.Action} ({sat}) needs 6.11+");
                    Need(s.ApplyIntervalUs == 0 || ApplyInterval, $"this kernel has no apply_interval_us ({sat}) (6.7+)");
                    Need(s.MaxNrSnapshots == 0 || MaxNrSnapshots, $"this kernel has no stats/max_nr_snapshots ({sat})");
                    Need(s.Quotas.Goals.Count == 0 || QuotaGoals, $"this kernel has no quota goals ({sat}) (6.8+)");
                    Need(s.Quotas.GoalTuner == "consist" || GoalTuner, $"this kernel has no goal_tuner: '{s.Quotas.GoalTuner}' ({sat})");
                    Need(s.Quotas.FailChargeDenom == 0 || FailCharge, $"this kernel has no fail_charge_num/denom ({sat})");
                    foreach (var g in s.Quotas.Goals)
                        Need(!QuotaGoals || GoalMetrics.Contains(g.Metric),
                            $"this kernel does not accept the quota goal metric '{g.Metric}' ({sat}; it accepts {string.Join(", ", GoalMetrics)})"
                            + (g.Metric is "node_mem_used_bp" or "node_mem_free_bp" ? "; node_mem_used_bp/node_mem_free_bp need 6.16+" : ""));
                    foreach (var f in s.Filters)
                    {
                        Need(Filters || CoreOpsFilters, $"this kernel has no DAMOS filters ({sat})");
                        Need(!(Filters || CoreOpsFilters) || FilterTypes.Contains(f.FilterType),
                            CoreOpsFilters
                                ? $"this kernel does not accept the filter type '{f.FilterType}' ({sat})"
                                : $"this kernel has no core_filters/ops_filters: filter '{f.FilterType}' ({sat}) needs 6.15+");
                        Need(!f.Allow || FilterAllow, $"this kernel has no filters' allow file: an 'allow {f.FilterType}' filter ({sat}) needs 6.14+");
                    }
                }
            }
        }
        return lines;
    }
}
