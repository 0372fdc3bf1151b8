using Damon.Config.Schema;
using Damon.Core.Monitoring;
using Damon.Core.Schemes;

namespace Damon.Config.Engine;

/// <summary>A damo scheme ↔ an engine <see cref="Damos"/>.</summary>
public static class SchemeMapping
{
    /// <summary>
    /// Access-rate percent → samples per aggregation window, as damo's add_unset_unit:
    /// int(percent × (aggr / sample) / 100), saturated at the kernel's 32-bit field.
    /// </summary>
    public static uint PercentToSamples(double percent, ulong sampleUs, ulong aggrUs)
    {
        double maxNr = (double)aggrUs / Math.Max(sampleUs, 1);
        return Saturate(Math.Truncate(percent * maxNr / 100));
    }

    /// <summary>Age in microseconds → aggregation intervals: int(usec / aggr), saturated.</summary>
    public static uint UsToAggrIntervals(ulong us, ulong aggrUs) => Saturate(Math.Truncate((double)us / Math.Max(aggrUs, 1)));

    private static uint Saturate(double v) => v >= uint.MaxValue ? uint.MaxValue : v <= 0 ? 0 : (uint)v;

    private static uint Saturate(ulong v) => v >= uint.MaxValue ? uint.MaxValue : (uint)v;

    public static DamosAccessPattern Pattern(AccessPatternSpec ap, IntervalsSpec iv)
    {
        uint nrMin, nrMax, ageMin, ageMax;
        if (ap.NrAccessesUnit == NrAccessesUnit.Percent)
        {
            nrMin = PercentToSamples(ap.NrAccessesMin, iv.SampleUs, iv.AggrUs);
            nrMax = PercentToSamples(ap.NrAccessesMax, iv.SampleUs, iv.AggrUs);
        }
        else
        {
            nrMin = Saturate(Math.Truncate(ap.NrAccessesMin));
            nrMax = Saturate(Math.Truncate(ap.NrAccessesMax));
        }
        if (ap.AgeUnit == AgeUnit.Usec)
        {
            ageMin = UsToAggrIntervals(ap.AgeMin, iv.AggrUs);
            ageMax = UsToAggrIntervals(ap.AgeMax, iv.AggrUs);
        }
        else
        {
            ageMin = Saturate(ap.AgeMin);
            ageMax = Saturate(ap.AgeMax);
        }
        return new DamosAccessPattern(ap.SzMin, ap.SzMax, nrMin, nrMax, ageMin, ageMax);
    }

    public static Damos ToEngine(SchemeSpec s, IntervalsSpec iv, IMemcgResolver memcgs, string path)
    {
        string P(string key) => path.Length == 0 ? key : path + "." + key;
        if (!DamosActions.TryParse(s.Action, out var action))
            throw new ConfigException($"\"{s.Action}\" is not a DAMOS action", P("action"));

        var q = s.Quotas;
        var quota = new DamosQuota
        {
            Ms = q.TimeMs,
            Sz = q.SzBytes,
            ResetIntervalMs = q.ResetIntervalMs,
            GoalTuner = q.GoalTuner == "temporal" ? DamosQuotaGoalTuner.Temporal : DamosQuotaGoalTuner.Consist,
            FailChargeNum = q.FailChargeNum,
            FailChargeDenom = q.FailChargeDenom,
            WeightSz = ContextMapping.ToUint(q.WeightSzPermil, P("quotas.weights.sz_permil")),
            WeightNrAccesses = ContextMapping.ToUint(q.WeightNrAccessesPermil, P("quotas.weights.nr_accesses_permil")),
            WeightAge = ContextMapping.ToUint(q.WeightAgePermil, P("quotas.weights.age_permil")),
        };
        var wmarks = new DamosWatermarks
        {
            Metric = s.Watermarks.Metric == "free_mem_rate" ? DamosWmarkMetric.FreeMemRate : DamosWmarkMetric.None,
            IntervalUs = s.Watermarks.IntervalUs,
            High = s.Watermarks.HighPermil,
            Mid = s.Watermarks.MidPermil,
            Low = s.Watermarks.LowPermil,
        };
        int targetNid = Damos.NumaNoNode;
        // -1 is how the kernel's sysfs shows NUMA_NO_NODE, so status dumps may hold it.
        if (s.TargetNid is { } nid)
            targetNid = nid >= Damos.NumaNoNode ? nid : throw new ConfigException($"{nid} is not a node id", P("target_nid"));
        var damos = new Damos(Pattern(s.AccessPattern, iv), action, s.ApplyIntervalUs, quota, wmarks, targetNid)
        {
            MaxNrSnapshots = s.MaxNrSnapshots,
        };

        for (int i = 0; i < q.Goals.Count; i++)
        {
            var g = q.Goals[i];
            var gp = P($"quotas.goals[{i}]");
            if (!DamosQuotaGoalMetrics.TryParse(g.Metric, out var metric))
                throw new ConfigException($"\"{g.Metric}\" is not a quota goal metric", gp + ".metric");
            var goal = new DamosQuotaGoal(metric, g.TargetValue) { CurrentValue = g.CurrentValue };
            if (DamoNames.GoalNeedsNid(g.Metric))
            {
                if (g.Nid is not { } gnid)
                    throw new ConfigException($"{g.Metric} needs a node id", gp + ".nid");
                goal.Nid = gnid <= int.MaxValue ? (int)gnid : throw new ConfigException($"{gnid} is not a node id", gp + ".nid");
            }
            if (DamoNames.GoalNeedsMemcg(g.Metric))
                goal.MemcgId = ContextMapping.MemcgId(memcgs, g.MemcgPath, gp + ".memcg_path");
            damos.Quota.Goals.Add(goal);
        }

        damos.MigrateDests.NodeIdArr = s.Dests.Select((d, i) =>
            d.Id <= int.MaxValue ? (int)d.Id : throw new ConfigException($"{d.Id} is not a node id", P($"dests[{i}].id"))).ToArray();
        damos.MigrateDests.WeightArr = s.Dests.Select((d, i) => ContextMapping.ToUint(d.Weight, P($"dests[{i}].weight"))).ToArray();

        for (int i = 0; i < s.Filters.Count; i++)
        {
            var fs = s.Filters[i];
            var fp = P($"filters[{i}]");
            if (!DamosFilterTypes.TryParse(fs.FilterType, out var type))
                throw new ConfigException($"\"{fs.FilterType}\" is not a filter type", fp + ".filter_type");
            var f = new DamosFilter(type, fs.Matching, fs.Allow);
            switch (type)
            {
                case DamosFilterType.Memcg:
                    f.MemcgId = ContextMapping.MemcgId(memcgs, fs.MemcgPath, fp + ".memcg_path");
                    break;
                case DamosFilterType.Addr:
                    var r = fs.AddressRange ?? throw new ConfigException("an addr filter needs an address range", fp + ".address_range");
                    f.AddrRange = new AddrRange(r.Start, r.End);
                    break;
                case DamosFilterType.Target:
                    var idx = fs.DamonTargetIdx ?? throw new ConfigException("a target filter needs a target index", fp + ".damon_target_idx");
                    f.TargetIdx = idx <= int.MaxValue ? (int)idx : throw new ConfigException($"{idx} is not a target index", fp + ".damon_target_idx");
                    break;
                case DamosFilterType.HugepageSize:
                    var h = fs.HugepageSize ?? throw new ConfigException("a hugepage_size filter needs [min, max]", fp + ".hugepage_size");
                    f.SzRange = new SizeRange(h.Min, h.Max);
                    break;
            }
            damos.AddFilter(f);
        }
        DamosCore.SetFiltersDefaultReject(damos);
        return damos;
    }

    public static SchemeSpec FromEngine(Damos s, IMemcgResolver memcgs)
    {
        var q = s.Quota;
        var p = s.Pattern;
        return new SchemeSpec
        {
            Action = s.Action.SysfsName(),
            TargetNid = s.TargetNid == Damos.NumaNoNode ? null : s.TargetNid,
            Dests = s.MigrateDests.NodeIdArr.Zip(s.MigrateDests.WeightArr, (id, w) => new DestSpec((ulong)id, w)).ToList(),
            AccessPattern = new AccessPatternSpec
            {
                SzMin = p.MinSzRegion,
                SzMax = p.MaxSzRegion,
                NrAccessesUnit = NrAccessesUnit.Samples,
                NrAccessesMin = p.MinNrAccesses,
                NrAccessesMax = p.MaxNrAccesses,
                AgeUnit = AgeUnit.AggrIntervals,
                AgeMin = p.MinAgeRegion,
                AgeMax = p.MaxAgeRegion,
            },
            ApplyIntervalUs = s.ApplyIntervalUs,
            Quotas = new QuotasSpec
            {
                TimeMs = q.Ms,
                SzBytes = q.Sz,
                ResetIntervalMs = q.ResetIntervalMs,
                FailChargeNum = q.FailChargeNum,
                FailChargeDenom = q.FailChargeDenom,
                GoalTuner = q.GoalTuner == DamosQuotaGoalTuner.Temporal ? "temporal" : "consist",
                EffectiveSzBytes = q.Esz,
                WeightSzPermil = q.WeightSz,
                WeightNrAccessesPermil = q.WeightNrAccesses,
                WeightAgePermil = q.WeightAge,
                Goals = q.Goals.Select(g => new QuotaGoalSpec
                {
                    Metric = g.Metric.SysfsName(),
                    Nid = DamoNames.GoalNeedsNid(g.Metric.SysfsName()) ? (ulong)Math.Max(g.Nid, 0) : null,
                    MemcgPath = DamoNames.GoalNeedsMemcg(g.Metric.SysfsName()) ? ContextMapping.MemcgPath(memcgs, g.MemcgId) : null,
                    TargetValue = g.TargetValue,
                    CurrentValue = g.CurrentValue,
                }).ToList(),
            },
            Watermarks = new WatermarksSpec
            {
                Metric = s.Wmarks.Metric == DamosWmarkMetric.FreeMemRate ? "free_mem_rate" : "none",
                IntervalUs = s.Wmarks.IntervalUs,
                HighPermil = s.Wmarks.High,
                MidPermil = s.Wmarks.Mid,
                LowPermil = s.Wmarks.Low,
            },
            Filters = s.Filters.Select(f => new FilterSpec
            {
                FilterType = f.Type.SysfsName(),
                Matching = f.Matching,
                Allow = f.Allow,
                MemcgPath = f.Type == DamosFilterType.Memcg ? ContextMapping.MemcgPath(memcgs, f.MemcgId) : null,
                AddressRange = f.Type == DamosFilterType.Addr ? new AddrRangeSpec(f.AddrRange.Start, f.AddrRange.End) : null,
                DamonTargetIdx = f.Type == DamosFilterType.Target ? (ulong)f.TargetIdx : null,
                HugepageSize = f.Type == DamosFilterType.HugepageSize ? (f.SzRange.Min, f.SzRange.Max) : null,
            }).ToList(),
            MaxNrSnapshots = s.MaxNrSnapshots,
        };
    }
}
