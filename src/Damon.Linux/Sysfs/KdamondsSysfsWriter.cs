using Damon.Config.Schema;

namespace Damon.Linux.Sysfs;

/// <summary>
/// Writes a <see cref="KdamondsSpec"/> into the admin tree with damo 3.3's protocol
/// (_damon_sysfs.stage_kdamonds): at every list level read the <c>nr_*</c> file and write it only
/// when the count differs (the kernel then makes or removes the numbered directories), then the
/// leaves depth-first in damo's order, values spelled as damo spells them. Optional files are
/// written only where the kernel has them; a spec that needs a missing one is refused with the
/// message damo gives. The state command is the caller's (<see cref="KernelDamon"/>).
/// </summary>
public sealed class KdamondsSysfsWriter(ISysfsTree tree)
{
    private const string Kdamonds = "kdamonds";

    public void Write(KdamondsSpec spec)
    {
        EnsureNr(Kdamonds + "/nr_kdamonds", spec.Kdamonds.Count);
        for (int k = 0; k < spec.Kdamonds.Count; k++)
            WriteKdamond(SysfsText.Join(Kdamonds, k), spec.Kdamonds[k]);
    }

    private void EnsureNr(string path, int desired)
    {
        if (tree.ReadUInt64(path) != (ulong)desired)
            tree.Write(path, SysfsText.Num((ulong)desired));
    }

    private void Optional(string path, string value)
    {
        if (tree.FileExists(path))
            tree.Write(path, value);
    }

    private static SysfsException Unsupported(string path, string what) => new($"damon: {path}: {what}", path);

    private void WriteKdamond(string d, KdamondSpec k)
    {
        Optional(d + "/refresh_ms", SysfsText.Num(k.RefreshMs));
        EnsureNr(d + "/contexts/nr_contexts", k.Contexts.Count);
        for (int c = 0; c < k.Contexts.Count; c++)
            WriteContext($"{d}/contexts/{c}", k.Contexts[c]);
    }

    private void WriteContext(string d, ContextSpec ctx)
    {
        tree.Write(d + "/operations", ctx.Ops);
        if (tree.DirExists(d + "/operations_attrs"))
        {
            // damo's OpsAttrs, as it derives them from the sample options on kernels without sample/.
            var sc = ctx.SampleControl;
            tree.Write(d + "/operations_attrs/use_reports", SysfsText.Bool(sc.PageFault));
            tree.Write(d + "/operations_attrs/write_only", SysfsText.Bool(sc.SampleFilters.Any(f => f.FilterType == "write")));
            tree.Write(d + "/operations_attrs/cpus", sc.SampleFilters.FirstOrDefault(f => f.FilterType == "cpumask")?.Cpumask ?? "all");
            tree.Write(d + "/operations_attrs/tids", sc.SampleFilters.FirstOrDefault(f => f.FilterType == "threads")?.TidArr ?? "");
        }
        WriteMonitoringAttrs(d + "/monitoring_attrs", ctx);
        Optional(d + "/pause", SysfsText.Bool(ctx.Pause));
        Optional(d + "/addr_unit", SysfsText.Num(ctx.AddrUnit));
        EnsureNr(d + "/targets/nr_targets", ctx.Targets.Count);
        for (int t = 0; t < ctx.Targets.Count; t++)
            WriteTarget($"{d}/targets/{t}", ctx.Targets[t]);
        EnsureNr(d + "/schemes/nr_schemes", ctx.Schemes.Count);
        for (int s = 0; s < ctx.Schemes.Count; s++)
            WriteScheme($"{d}/schemes/{s}", ctx.Schemes[s], ctx.Intervals);
    }

    private void WriteMonitoringAttrs(string d, ContextSpec ctx)
    {
        var iv = ctx.Intervals;
        tree.Write(d + "/intervals/sample_us", SysfsText.Num(iv.SampleUs));
        tree.Write(d + "/intervals/aggr_us", SysfsText.Num(iv.AggrUs));
        tree.Write(d + "/intervals/update_us", SysfsText.Num(iv.OpsUpdateUs));
        var g = d + "/intervals/intervals_goal";
        if (tree.DirExists(g))
        {
            tree.Write(g + "/access_bp", SysfsText.Num(iv.IntervalsGoal.AccessBp));
            tree.Write(g + "/aggrs", SysfsText.Num(iv.IntervalsGoal.Aggrs));
            tree.Write(g + "/min_sample_us", SysfsText.Num(iv.IntervalsGoal.MinSampleUs));
            tree.Write(g + "/max_sample_us", SysfsText.Num(iv.IntervalsGoal.MaxSampleUs));
        }
        tree.Write(d + "/nr_regions/min", SysfsText.Num(ctx.NrRegions.Min));
        tree.Write(d + "/nr_regions/max", SysfsText.Num(ctx.NrRegions.Max));
        if (tree.DirExists(d + "/probes"))
        {
            EnsureNr(d + "/probes/nr_probes", ctx.Probes.Count);
            for (int p = 0; p < ctx.Probes.Count; p++)
            {
                var fd = $"{d}/probes/{p}/filters";
                var filters = ctx.Probes[p].Filters;
                EnsureNr(fd + "/nr_filters", filters.Count);
                for (int f = 0; f < filters.Count; f++)
                {
                    var pf = filters[f];
                    tree.Write($"{fd}/{f}/type", pf.FilterType);
                    tree.Write($"{fd}/{f}/matching", SysfsText.Bool(pf.Matching));
                    tree.Write($"{fd}/{f}/allow", SysfsText.Bool(pf.Allow));
                    if (pf.FilterType == "memcg")
                        tree.Write($"{fd}/{f}/path", pf.Path ?? "");
                }
            }
        }
        else if (ctx.Probes.Count > 0)
            throw Unsupported(d + "/probes", "this kernel has no data-attribute probes");
        WriteSampleControl(d + "/sample", ctx.SampleControl);
    }

    /// <summary>
    /// _damon_sysfs.write_sample_control_dir: primitives/page_table, primitives/page_fault, then the
    /// filters as write_sample_filters_dir writes them (type, matching, allow, then cpumask or
    /// tid_arr by type). A kernel without sample/ gets nothing; one with sample/ but no filters/
    /// refuses filters with damo's message.
    /// </summary>
    private void WriteSampleControl(string d, SampleControlSpec sc)
    {
        if (!tree.DirExists(d))
            return;
        tree.Write(d + "/primitives/page_table", SysfsText.Bool(sc.PageTable));
        tree.Write(d + "/primitives/page_fault", SysfsText.Bool(sc.PageFault));
        if (!tree.DirExists(d + "/filters"))
        {
            if (sc.SampleFilters.Count > 0)
                throw Unsupported(d + "/filters", "the kernel is not supporting sample filters");
            return;
        }
        EnsureNr(d + "/filters/nr_filters", sc.SampleFilters.Count);
        for (int f = 0; f < sc.SampleFilters.Count; f++)
        {
            var sf = sc.SampleFilters[f];
            var fd = $"{d}/filters/{f}";
            tree.Write(fd + "/type", sf.FilterType);
            tree.Write(fd + "/matching", SysfsText.Bool(sf.Matching));
            tree.Write(fd + "/allow", SysfsText.Bool(sf.Allow));
            if (sf.FilterType == "cpumask") tree.Write(fd + "/cpumask", sf.Cpumask ?? "");
            else if (sf.FilterType == "threads") tree.Write(fd + "/tid_arr", sf.TidArr ?? "");
        }
    }

    private void WriteTarget(string d, TargetSpec t)
    {
        if (t.Pid is { } pid)
            tree.Write(d + "/pid_target", SysfsText.Num((long)pid));
        if (tree.FileExists(d + "/obsolete_target"))
            tree.Write(d + "/obsolete_target", t.Obsolete ? "1" : "0");
        else if (t.Obsolete)
            throw Unsupported(d + "/obsolete_target", "obsolete_target unsupported");
        EnsureNr(d + "/regions/nr_regions", t.Regions.Count);
        for (int r = 0; r < t.Regions.Count; r++)
        {
            tree.Write($"{d}/regions/{r}/start", SysfsText.Num(t.Regions[r].Start));
            tree.Write($"{d}/regions/{r}/end", SysfsText.Num(t.Regions[r].End));
        }
    }

    private void WriteScheme(string d, SchemeSpec s, IntervalsSpec iv)
    {
        var (nrMin, nrMax, ageMin, ageMax) = SysfsAccessPattern.ToKernelUnits(s.AccessPattern, iv);
        var ap = d + "/access_pattern";
        tree.Write(ap + "/sz/min", SysfsText.Num(s.AccessPattern.SzMin));
        tree.Write(ap + "/sz/max", SysfsText.Num(s.AccessPattern.SzMax));
        tree.Write(ap + "/nr_accesses/min", SysfsText.Num(nrMin));
        tree.Write(ap + "/nr_accesses/max", SysfsText.Num(nrMax));
        tree.Write(ap + "/age/min", SysfsText.Num(ageMin));
        tree.Write(ap + "/age/max", SysfsText.Num(ageMax));
        tree.Write(d + "/action", s.Action);
        if (s.Dests.Count > 0)
        {
            if (!tree.DirExists(d + "/dests"))
                throw Unsupported(d + "/dests", "this kernel has no dests/ (migration to several destinations)");
            EnsureNr(d + "/dests/nr_dests", s.Dests.Count);
            for (int i = 0; i < s.Dests.Count; i++)
            {
                tree.Write($"{d}/dests/{i}/id", SysfsText.Num(s.Dests[i].Id));
                tree.Write($"{d}/dests/{i}/weight", SysfsText.Num(s.Dests[i].Weight));
            }
        }
        WriteQuotas(d + "/quotas", s.Quotas);
        var w = d + "/watermarks";
        tree.Write(w + "/metric", s.Watermarks.Metric);
        tree.Write(w + "/interval_us", SysfsText.Num(s.Watermarks.IntervalUs));
        tree.Write(w + "/high", SysfsText.Num(s.Watermarks.HighPermil));
        tree.Write(w + "/mid", SysfsText.Num(s.Watermarks.MidPermil));
        tree.Write(w + "/low", SysfsText.Num(s.Watermarks.LowPermil));
        if (s.TargetNid is { } nid)
            tree.Write(d + "/target_nid", SysfsText.Num((long)nid));
        WriteFilters(d, s.Filters);
        if (tree.FileExists(d + "/apply_interval_us"))
            tree.Write(d + "/apply_interval_us", SysfsText.Num(s.ApplyIntervalUs));
        else if (s.ApplyIntervalUs != 0)
            throw Unsupported(d + "/apply_interval_us", "the kernel is not supporting schemes apply interval");
        if (tree.FileExists(d + "/stats/max_nr_snapshots"))
            tree.Write(d + "/stats/max_nr_snapshots", SysfsText.Num(s.MaxNrSnapshots));
        else if (s.MaxNrSnapshots != 0)
            throw Unsupported(d + "/stats/max_nr_snapshots", "the kernel is not supporting max_nr_snapshots");
    }

    private void WriteQuotas(string d, QuotasSpec q)
    {
        tree.Write(d + "/ms", SysfsText.Num(q.TimeMs));
        tree.Write(d + "/bytes", SysfsText.Num(q.SzBytes));
        tree.Write(d + "/reset_interval_ms", SysfsText.Num(q.ResetIntervalMs));
        tree.Write(d + "/weights/sz_permil", SysfsText.Num(q.WeightSzPermil));
        tree.Write(d + "/weights/nr_accesses_permil", SysfsText.Num(q.WeightNrAccessesPermil));
        tree.Write(d + "/weights/age_permil", SysfsText.Num(q.WeightAgePermil));
        if (tree.FileExists(d + "/fail_charge_num"))
        {
            tree.Write(d + "/fail_charge_num", SysfsText.Num(q.FailChargeNum));
            tree.Write(d + "/fail_charge_denom", SysfsText.Num(q.FailChargeDenom));
        }
        var gd = d + "/goals";
        if (!tree.DirExists(gd))
        {
            if (q.Goals.Count > 0)
                throw Unsupported(gd, "the kernel is not supporting schemes quota goals");
        }
        else
        {
            EnsureNr(gd + "/nr_goals", q.Goals.Count);
            for (int i = 0; i < q.Goals.Count; i++)
                WriteGoal($"{gd}/{i}", q.Goals[i]);
        }
        Optional(d + "/goal_tuner", q.GoalTuner);
    }

    private void WriteGoal(string d, QuotaGoalSpec g)
    {
        if (tree.FileExists(d + "/target_metric"))
            tree.Write(d + "/target_metric", g.Metric);
        else if (g.Metric != "user_input")
            throw Unsupported(d + "/target_metric", "the kernel is not supporting quota goal metric");
        if (DamoNames.GoalNeedsNid(g.Metric))
            tree.Write(d + "/nid", SysfsText.Num(g.Nid ?? 0));
        if (DamoNames.GoalNeedsMemcg(g.Metric))
            tree.Write(d + "/path", g.MemcgPath ?? "");
        tree.Write(d + "/target_value", SysfsText.Num(g.TargetValue));
        tree.Write(d + "/current_value", SysfsText.Num(g.CurrentValue));
    }

    /// <summary>damo's is_core_filter: the types DAMON core handles itself.</summary>
    public static bool IsCoreFilter(FilterSpec f) => SysfsKernelLevel.IsCoreFilterType(f.FilterType);

    private void WriteFilters(string schemeDir, List<FilterSpec> filters)
    {
        if (tree.DirExists(schemeDir + "/core_filters"))
        {
            WriteFilterDir(schemeDir + "/core_filters", filters.Where(IsCoreFilter).ToList());
            WriteFilterDir(schemeDir + "/ops_filters", filters.Where(f => !IsCoreFilter(f)).ToList());
        }
        else
            WriteFilterDir(schemeDir + "/filters", filters);
    }

    private void WriteFilterDir(string d, List<FilterSpec> filters)
    {
        if (!tree.DirExists(d))
        {
            if (filters.Count > 0)
                throw Unsupported(d, "the kernel is not supporting filters");
            return;
        }
        EnsureNr(d + "/nr_filters", filters.Count);
        for (int i = 0; i < filters.Count; i++)
            WriteFilter($"{d}/{i}", filters[i]);
    }

    private void WriteFilter(string d, FilterSpec f)
    {
        tree.Write(d + "/type", f.FilterType);
        if (f.Allow)
        {
            if (tree.FileExists(d + "/allow")) tree.Write(d + "/allow", "Y");
            else if (tree.FileExists(d + "/pass")) tree.Write(d + "/pass", "Y");
            else throw Unsupported(d + "/allow", "kernel is not supporting allow_filter");
        }
        else
        {
            // damo writes only "Y", so a directory reused from an allow filter would stay allowing
            // (docs/kernel-differences.md); Damon resets it, reading first so a fresh tree sees the
            // same writes as damo's.
            foreach (var name in (string[])["allow", "pass"])
                if (tree.FileExists($"{d}/{name}") && SysfsText.ParseBool(tree.Read($"{d}/{name}")))
                    tree.Write($"{d}/{name}", "N");
        }
        if (f.MemcgPath is { } memcg)
            tree.Write(d + "/memcg_path", memcg);
        if (f.HugepageSize is { } h)
        {
            tree.Write(d + "/min", SysfsText.Num(h.Min));
            tree.Write(d + "/max", SysfsText.Num(h.Max));
        }
        if (f.AddressRange is { } r)
        {
            tree.Write(d + "/addr_start", SysfsText.Num(r.Start));
            tree.Write(d + "/addr_end", SysfsText.Num(r.End));
        }
        if (f.DamonTargetIdx is { } t)
            tree.Write(d + "/damon_target_idx", SysfsText.Num(t));
        tree.Write(d + "/matching", SysfsText.Bool(f.Matching));
    }
}
