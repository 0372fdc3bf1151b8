using System.Globalization;
using System.Text.Json.Nodes;
using Damon.Config.Io;
using Damon.Config.Numbers;
using Damon.Config.Schema;

namespace Damon.Config.Args;

/// <summary>
/// The DAMOS part of damo's options (damos_options_to_schemes): every --damos_* option repeats once
/// per scheme in the order of --damos_action; goals and filters are split among schemes by
/// --damos_nr_quota_goals and --damos_nr_filters.
/// </summary>
public static class SchemesBuilder
{
    public static List<SchemeSpec> Build(DamoArgs a)
    {
        if (a.Given("damos_action"))
            return FromOptions(a);
        if (a.Last("schemes") is { } schemesArg)
            return FromJson(schemesArg[0]);
        return [];
    }

    /// <summary>-c/--schemes: a JSON list of scheme objects, inline or in a file.</summary>
    private static List<SchemeSpec> FromJson(string arg)
    {
        string? file = File.Exists(arg) ? arg : null;
        var text = file is null ? arg : KdamondsFile.ReadText(file);
        var root = KdamondsJson.Parse(text, file ?? "--schemes");
        if (root is not JsonArray)
            throw new ConfigException("expected a JSON list of schemes", null, file ?? "--schemes");
        try
        {
            return Kv.Root(new JsonObject { ["schemes"] = root.DeepClone() }).List("schemes", SchemeSpec.Read);
        }
        catch (ConfigException e)
        {
            throw e.InFile(file ?? "--schemes");
        }
    }

    private static List<SchemeSpec> FromOptions(DamoArgs a)
    {
        var actions = a.All("damos_action");
        int nrSchemes = actions.Count;
        var quotas = a.All("damos_quotas").ToList();
        AddComponentQuotas(a, quotas);

        void NotMore(string name, int count)
        {
            if (count > nrSchemes) throw new ConfigException($"too much --{name}");
        }
        foreach (var name in (string[])["damos_sz_region", "damos_access_rate", "damos_age", "damos_apply_interval"])
            NotMore(name, a.All(name).Count);
        NotMore("damos_quotas", quotas.Count);
        NotMore("damos_wmarks", a.All("damos_wmarks").Count);
        NotMore("damos_max_nr_snapshots", a.All("damos_max_nr_snapshots").Count);

        var goals = a.All("damos_quota_goal");
        var goalsPerScheme = PerScheme(a, "damos_nr_quota_goals", goals.Count, nrSchemes);
        var filterOptions = a.All("damos_filter");
        var filtersPerScheme = PerScheme(a, "damos_nr_filters", filterOptions.Count, nrSchemes);

        var schemes = new List<SchemeSpec>();
        int goalIdx = 0, filterIdx = 0;
        for (int i = 0; i < nrSchemes; i++)
        {
            var scheme = new SchemeSpec();
            SetAction(scheme, actions[i]);
            var sz = At(a.All("damos_sz_region"), i) ?? ["min", "max"];
            var rate = At(a.All("damos_access_rate"), i) ?? ["min", "max"];
            var age = At(a.All("damos_age"), i) ?? ["min", "max"];
            scheme.AccessPattern = new AccessPatternSpec
            {
                SzMin = KdamondsBuilder.Parse(sz[0], DamoParse.TrySize, "--damos_sz_region", "a size"),
                SzMax = KdamondsBuilder.Parse(sz[1], DamoParse.TrySize, "--damos_sz_region", "a size"),
                NrAccessesUnit = NrAccessesUnit.Percent,
                NrAccessesMin = KdamondsBuilder.ParseAs<double>(rate[0], DamoParse.TryPercent, "--damos_access_rate", "a percentage"),
                NrAccessesMax = KdamondsBuilder.ParseAs<double>(rate[1], DamoParse.TryPercent, "--damos_access_rate", "a percentage"),
                AgeUnit = AgeUnit.Usec,
                AgeMin = KdamondsBuilder.Parse(age[0], DamoParse.TryTimeUs, "--damos_age", "a time"),
                AgeMax = KdamondsBuilder.Parse(age[1], DamoParse.TryTimeUs, "--damos_age", "a time"),
            };
            scheme.ApplyIntervalUs = At(a.Singles("damos_apply_interval"), i) is { } ai
                ? KdamondsBuilder.Parse(ai, DamoParse.TryTimeUs, "--damos_apply_interval", "a time")
                : 0;

            var schemeGoals = goals.Skip(goalIdx).Take(goalsPerScheme[i]).ToList();
            goalIdx += goalsPerScheme[i];
            // damo builds quotas (and so goals, tuner and fail charge) only when the scheme has quotas.
            if (At(quotas, i) is { } q)
            {
                var charge = At(a.All("damos_quota_fail_charge_ratio"), i) ?? ["0", "0"];
                scheme.Quotas = Quotas(q, schemeGoals.Select(Goal).ToList(), At(a.Singles("damos_quota_goal_tuner"), i), charge);
            }
            if (At(a.All("damos_wmarks"), i) is { } w)
                scheme.Watermarks = Watermarks(w);
            scheme.Filters = FilterWords.Parse(filterOptions.Skip(filterIdx).Take(filtersPerScheme[i]).ToList());
            filterIdx += filtersPerScheme[i];
            if (At(a.Singles("damos_max_nr_snapshots"), i) is { } snapshots)
                scheme.MaxNrSnapshots = KdamondsBuilder.Parse(snapshots, DamoParse.TryNr, "--damos_max_nr_snapshots", "a number");
            schemes.Add(scheme);
        }
        return schemes;
    }

    private static T? At<T>(IReadOnlyList<T> list, int idx) where T : class => idx < list.Count ? list[idx] : null;

    /// <summary>
    /// set_args_damos_quotas: --damos_quota_interval/time/space/weights become --damos_quotas
    /// entries; missing weights default to 1 permil each, as damo does.
    /// </summary>
    private static void AddComponentQuotas(DamoArgs a, List<string[]> quotas)
    {
        var intervals = a.Singles("damos_quota_interval");
        var times = a.Singles("damos_quota_time");
        var spaces = a.Singles("damos_quota_space");
        var weights = a.All("damos_quota_weights");
        for (int i = 0; i < intervals.Count; i++)
        {
            var w = i < weights.Count ? weights[i] : ["1", "1", "1"];
            quotas.Add([i < times.Count ? times[i] : "0", i < spaces.Count ? spaces[i] : "0", intervals[i], w[0], w[1], w[2]]);
        }
    }

    /// <summary>--damos_nr_quota_goals / --damos_nr_filters: how many of the items each scheme takes.</summary>
    private static List<int> PerScheme(DamoArgs a, string countOption, int nrItems, int nrSchemes)
    {
        var counts = a.Ints(countOption);
        if (counts is null)
        {
            if (nrItems > 0 && nrSchemes > 1)
                throw new ConfigException($"--{countOption} required");
            counts = nrSchemes == 1 ? [nrItems] : [];
        }
        if (counts.Sum() != nrItems || counts.Any(c => c < 0))
            throw new ConfigException($"wrong --{countOption}");
        while (counts.Count < nrSchemes) counts.Add(0);
        return counts;
    }

    private static void SetAction(SchemeSpec scheme, string[] words)
    {
        var action = words[0];
        if (!DamoNames.Actions.Contains(action))
            throw new ConfigException($"--damos_action: wrong damos action: {action} (choose from {string.Join(", ", DamoNames.Actions)})");
        scheme.Action = action;
        if (!DamoNames.IsMigrateAction(action))
        {
            if (words.Length > 1)
                throw new ConfigException($"--damos_action {string.Join(' ', words)}: Wrong number of --damos_action arguments");
            return;
        }
        var numbers = words.Skip(1).Select(w => int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToList();
        if (numbers.Any(n => n < 0) || (numbers.Count > 1 && numbers.Count % 2 != 0))
            throw new ConfigException($"--damos_action: \"{action}\" action require a numeric target_nid or dests arguments.");
        if (numbers.Count == 1)
            scheme.TargetNid = numbers[0];
        for (int j = 0; j + 1 < numbers.Count && numbers.Count > 1; j += 2)
            scheme.Dests.Add(new DestSpec((ulong)numbers[j], (ulong)numbers[j + 1]));
    }

    /// <summary>damos_quotas_cons_arg: &lt;time&gt; [&lt;size&gt; [&lt;reset interval&gt; [&lt;3 weights&gt;]]].</summary>
    private static QuotasSpec Quotas(string[] q, List<QuotaGoalSpec> goals, string? tuner, string[] failCharge)
    {
        const string opt = "--damos_quotas";
        if (q.Length > 6)
            throw new ConfigException($"Wrong --damos_quotas ({string.Join(' ', q)}, >6 parameters)");
        string Get(int i, string fallback) => i < q.Length ? q[i] : fallback;
        if (tuner is not null && !DamoNames.GoalTuners.Contains(tuner))
            throw new ConfigException($"--damos_quota_goal_tuner: \"{tuner}\" is not one of {string.Join(", ", DamoNames.GoalTuners)}");
        return new QuotasSpec
        {
            TimeMs = KdamondsBuilder.Parse(Get(0, "0"), DamoParse.TryTimeMs, opt, "a time (milliseconds)"),
            SzBytes = KdamondsBuilder.Parse(Get(1, "0"), DamoParse.TrySize, opt, "a size"),
            ResetIntervalMs = KdamondsBuilder.Parse(Get(2, "max"), DamoParse.TryTimeMs, opt, "a time (milliseconds)"),
            WeightSzPermil = KdamondsBuilder.Parse(Get(3, "0 %"), DamoParse.TryPermil, opt, "a weight (permil)"),
            WeightNrAccessesPermil = KdamondsBuilder.Parse(Get(4, "0 %"), DamoParse.TryPermil, opt, "a weight (permil)"),
            WeightAgePermil = KdamondsBuilder.Parse(Get(5, "0 %"), DamoParse.TryPermil, opt, "a weight (permil)"),
            FailChargeNum = KdamondsBuilder.Parse(failCharge[0], DamoParse.TryNr, "--damos_quota_fail_charge_ratio", "a number"),
            FailChargeDenom = KdamondsBuilder.Parse(failCharge[1], DamoParse.TryNr, "--damos_quota_fail_charge_ratio", "a number"),
            Goals = goals,
            GoalTuner = tuner ?? "consist",
        };
    }

    /// <summary>
    /// damos_options_to_quota_goal: &lt;metric&gt; &lt;target&gt; then the nid for node_* metrics, the nid
    /// and memcg path for node_memcg_*, the current value for user_input.
    /// </summary>
    private static QuotaGoalSpec Goal(string[] g)
    {
        var shown = string.Join(' ', g);
        if (g.Length is < 2 or > 4)
            throw new ConfigException($"Wrong --damos_quota_goal ({shown})");
        var metric = g[0];
        if (!DamoNames.QuotaGoalMetrics.Contains(metric))
            throw new ConfigException($"--damos_quota_goal {shown}: unsupported DAMOS quota goal metric (choose from {string.Join(", ", DamoNames.QuotaGoalMetrics)})");
        var optionals = g.Skip(2).ToArray();
        var goal = new QuotaGoalSpec { Metric = metric };
        if (!QuotaGoalSpec.TryParseTarget(metric, g[1], out var target))
            throw new ConfigException($"--damos_quota_goal {shown}: \"{g[1]}\" is not a target value for {metric}");
        goal.TargetValue = target;
        ulong Nid(string s) => KdamondsBuilder.Parse(s, DamoParse.TryNr, "--damos_quota_goal", "a node id");
        switch (metric)
        {
            case "node_mem_used_bp" or "node_mem_free_bp":
                if (optionals.Length != 1)
                    throw new ConfigException($"--damos_quota_goal {shown}: nid is not given or something else is given");
                goal.Nid = Nid(optionals[0]);
                break;
            case "node_memcg_used_bp" or "node_memcg_free_bp":
                if (optionals.Length != 2)
                    throw new ConfigException($"--damos_quota_goal {shown}: nid and memcg_path required");
                goal.Nid = Nid(optionals[0]);
                goal.MemcgPath = optionals[1];
                break;
            case "node_eligible_mem_bp":
                if (optionals.Length != 1)
                    throw new ConfigException($"--damos_quota_goal {shown}: nid is not given or something else is given");
                goal.Nid = Nid(optionals[0]);
                break;
            case "user_input":
                if (optionals.Length != 1)
                    throw new ConfigException($"--damos_quota_goal {shown}: current value is not given or something else is given");
                goal.CurrentValue = KdamondsBuilder.Parse(optionals[0], DamoParse.TryNr, "--damos_quota_goal", "a current value");
                break;
        }
        return goal;
    }

    /// <summary>--damos_wmarks &lt;none|free_mem_rate&gt; &lt;interval&gt; &lt;high&gt; &lt;mid&gt; &lt;low&gt; (permil).</summary>
    private static WatermarksSpec Watermarks(string[] w)
    {
        const string opt = "--damos_wmarks";
        if (!DamoNames.WmarkMetrics.Contains(w[0]))
            throw new ConfigException($"Wrong --damos_wmarks ({string.Join(' ', w)}, wrong watermark metric ({w[0]}))");
        return new WatermarksSpec
        {
            Metric = w[0],
            IntervalUs = KdamondsBuilder.Parse(w[1], DamoParse.TryTimeUs, opt, "a time"),
            HighPermil = KdamondsBuilder.Parse(w[2], DamoParse.TryPermil, opt, "a ratio (permil)"),
            MidPermil = KdamondsBuilder.Parse(w[3], DamoParse.TryPermil, opt, "a ratio (permil)"),
            LowPermil = KdamondsBuilder.Parse(w[4], DamoParse.TryPermil, opt, "a ratio (permil)"),
        };
    }
}
