using System.Text;
using Damon.Config.Numbers;
using Damon.Config.Schema;
using Damon.Records.Text;

namespace Damon.Config.Report;

/// <summary>
/// `args damon --format report`: damo's indented outline of kdamonds, contexts, targets and
/// schemes (the to_str of damo's data model, four spaces per level).
/// </summary>
public static class KdamondsReport
{
    /// <summary><paramref name="status"/> adds each scheme's statistics and tried regions (damo's params_only=False).</summary>
    public static string Render(KdamondsSpec spec, bool raw, bool status = false)
    {
        var lines = new List<string>();
        for (int i = 0; i < spec.Kdamonds.Count; i++)
        {
            lines.Add($"kdamond {i}");
            lines.AddRange(Indent(Kdamond(spec.Kdamonds[i], raw, status)));
        }
        var sb = new StringBuilder();
        foreach (var l in lines) sb.Append(l).Append('\n');
        return sb.ToString();
    }

    /// <summary>indent_lines: every line, even an empty one, gets the indent.</summary>
    private static IEnumerable<string> Indent(List<string> lines) =>
        lines.Count == 0 ? ["    "] : lines.Select(l => "    " + l);

    private static List<string> Kdamond(KdamondSpec k, bool raw, bool status)
    {
        var lines = new List<string>();
        var words = new List<string>();
        if (k.State is not null) words.Add($"state: {k.State}");
        if (k.Pid is not null) words.Add($"pid: {k.Pid}");
        if (k.RefreshMs != 0) words.Add($"stats refresh per: {DamoPrint.TimeMs(k.RefreshMs, raw)}");
        if (words.Count > 0) lines.Add(string.Join(", ", words));
        for (int i = 0; i < k.Contexts.Count; i++)
        {
            lines.Add($"context {i}");
            lines.AddRange(Indent(Context(k.Contexts[i], raw, status)));
        }
        return lines;
    }

    private static List<string> Context(ContextSpec c, bool raw, bool status)
    {
        var ops = $"ops: {c.Ops}";
        if (c.AddrUnit != 1) ops += $" addr_unit {DamoPrint.SzAccurate(c.AddrUnit, raw)}";
        var lines = new List<string> { ops };
        if (c.Probes.Count == 1)
            lines.Add($"probe {Probe(c.Probes[0])}");
        else if (c.Probes.Count > 1)
        {
            lines.Add("probes");
            lines.AddRange(c.Probes.Select(p => $"- {Probe(p)}"));
        }
        if (c.Pause) lines.Add("pause: True");
        for (int i = 0; i < c.Targets.Count; i++)
        {
            lines.Add($"target {i}");
            lines.AddRange(Indent(Target(c.Targets[i], raw)));
        }
        var iv = c.Intervals;
        var intervals = new List<string>
        {
            $"sample {DamoPrint.TimeUs(iv.SampleUs, raw)}, aggr {DamoPrint.TimeUs(iv.AggrUs, raw)}, update {DamoPrint.TimeUs(iv.OpsUpdateUs, raw)}",
        };
        var g = iv.IntervalsGoal;
        if (g.Enabled)
            intervals.Add($"target {DamoPrint.Bp(g.AccessBp, raw)} accesses per {DamoPrint.Nr(g.Aggrs, raw)} aggrs, " +
                          $"[{DamoPrint.TimeUs(g.MinSampleUs, raw)}, {DamoPrint.TimeUs(g.MaxSampleUs, raw)}] sampling interval");
        if (intervals.Count == 1)
            lines.Add($"intervals: {intervals[0]}");
        else
        {
            lines.Add("intervals");
            lines.AddRange(Indent(intervals));
        }
        lines.Add($"nr_regions: [{DamoPrint.Nr(c.NrRegions.Min, raw)}, {DamoPrint.Nr(c.NrRegions.Max, raw)}]");
        for (int i = 0; i < c.Schemes.Count; i++)
        {
            lines.Add($"scheme {i}");
            lines.AddRange(Indent(Scheme(c.Schemes[i], raw, status)));
        }
        lines.Add("access sample control");
        var primitives = new List<string>();
        if (c.SampleControl.PageTable) primitives.Add("page_table");
        if (c.SampleControl.PageFault) primitives.Add("page_fault");
        lines.Add($"enabled primitives: {string.Join(", ", primitives)}");
        if (c.SampleControl.SampleFilters.Count > 0)
        {
            lines.Add("Filters");
            foreach (var f in c.SampleControl.SampleFilters)
            {
                var words = new List<string> { f.Allow ? "allow" : "reject" };
                if (!f.Matching) words.Add("none");
                words.Add(f.FilterType);
                if (f.FilterType == "cpumask") words.Add(f.Cpumask ?? "None");
                else if (f.FilterType == "threads") words.Add(f.TidArr ?? "None");
                lines.Add($"- {string.Join(' ', words)}");
            }
        }
        return lines;
    }

    private static string Probe(ProbeSpec p) => string.Join(", ", p.Filters.Select(f =>
    {
        var words = new List<string> { f.Allow ? "allow" : "reject" };
        if (!f.Matching) words.Add("non");
        words.Add(f.FilterType);
        if (f.FilterType == "memcg") words.Add(f.Path ?? "None");
        return string.Join(' ', words);
    }));

    private static List<string> Target(TargetSpec t, bool raw)
    {
        var lines = new List<string>();
        if (t.Pid is not null) lines.Add($"pid: {t.Pid}");
        if (t.Obsolete) lines.Add("(obsolete)");
        lines.AddRange(t.Regions.Select(r => $"region {DamoPrint.AddrRange(r.Start, r.End, raw)}"));
        return lines;
    }

    private static List<string> Scheme(SchemeSpec s, bool raw, bool status)
    {
        var action = $"action: {s.Action}";
        if (DamoNames.IsMigrateAction(s.Action))
            action += $" to node {(s.TargetNid is { } nid ? nid.ToString(System.Globalization.CultureInfo.InvariantCulture) : "None")}";
        action += s.ApplyIntervalUs != 0 ? $" per {DamoPrint.TimeUs(s.ApplyIntervalUs, raw)}" : " per aggr interval";
        var ap = s.AccessPattern;
        var lines = new List<string> { action, "target access pattern" };
        lines.AddRange(Indent(
        [
            $"sz: [{DamoPrint.Sz(ap.SzMin, raw)}, {DamoPrint.Sz(ap.SzMax, raw)}]",
            $"nr_accesses: [{ap.NrAccessesString(ap.NrAccessesMin, raw)}, {ap.NrAccessesString(ap.NrAccessesMax, raw)}]",
            $"age: [{ap.AgeString(ap.AgeMin, raw)}, {ap.AgeString(ap.AgeMax, raw)}]",
        ]));
        lines.AddRange(s.Dests.Select(d => $"dest {d.Id} weight {d.Weight}"));
        lines.Add("quotas");
        lines.AddRange(Indent(Quotas(s.Quotas, raw)));
        var w = s.Watermarks;
        lines.Add("watermarks");
        lines.AddRange(Indent(
        [
            $"metric {w.Metric}, interval {DamoPrint.TimeUs(w.IntervalUs, raw)}",
            $"{DamoPrint.Permil(w.HighPermil, raw)}, {DamoPrint.Permil(w.MidPermil, raw)}, {DamoPrint.Permil(w.LowPermil, raw)}",
        ]));
        for (int i = 0; i < s.Filters.Count; i++)
        {
            lines.Add($"filter {i}");
            lines.AddRange(Indent([s.Filters[i].Describe(raw)]));
        }
        if (status && s.Stats is not null)
        {
            lines.Add("statistics");
            lines.AddRange(Indent(s.Stats.ToLines(raw)));
        }
        if (status && s.TriedRegions is not null)
        {
            lines.Add($"tried regions ({DamoPrint.Sz(s.TriedBytes, raw)})");
            lines.AddRange(s.TriedRegions.Select(r => "    " + r.ToLine(raw)));
        }
        return lines;
    }

    private static List<string> Quotas(QuotasSpec q, bool raw)
    {
        string time = raw ? DamoPrint.TimeMs(q.TimeMs, true) : DamoFormat.TimeNs(q.TimeMs * 1_000_000.0, false);
        var lines = new List<string>
        {
            $"{time} / {DamoPrint.Sz(q.SzBytes, raw)} / {DamoPrint.Sz(q.EffectiveSzBytes, raw)} per {DamoPrint.TimeMs(q.ResetIntervalMs, raw)}",
        };
        if (q.FailChargeDenom != 0)
            lines.Add($"fail charge ratio: {q.FailChargeNum}/{q.FailChargeDenom}/");
        for (int i = 0; i < q.Goals.Count; i++)
        {
            var g = q.Goals[i];
            var extra = new List<string>();
            if (DamoNames.GoalNeedsNid(g.Metric)) extra.Add($"nid {(g.Nid is { } n ? DamoPrint.Nr(n, raw) : "None")}");
            if (DamoNames.GoalNeedsMemcg(g.Metric)) extra.Add($"memcg {g.MemcgPath ?? "None"}");
            var metric = extra.Count > 0 ? $"{g.Metric} ({string.Join(", ", extra)})" : g.Metric;
            lines.Add($"goal {i}: metric {metric} target {DamoPrint.Nr(g.TargetValue, raw)} current {DamoPrint.Nr(g.CurrentValue, raw)}");
        }
        if (q.Goals.Count > 0)
            lines.Add($"goal tuner: {q.GoalTuner}");
        lines.Add($"priority: sz {DamoPrint.Permil(q.WeightSzPermil, raw)}, nr_accesses {DamoPrint.Permil(q.WeightNrAccessesPermil, raw)}, age {DamoPrint.Permil(q.WeightAgePermil, raw)}");
        return lines;
    }
}
