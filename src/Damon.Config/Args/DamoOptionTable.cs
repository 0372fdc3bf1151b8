namespace Damon.Config.Args;

/// <summary>How many values an option takes and whether repeats accumulate (argparse nargs/action).</summary>
public enum OptionArity
{
    /// <summary>store_true.</summary>
    Flag,
    /// <summary>One value per occurrence; occurrences accumulate (action='append').</summary>
    One,
    /// <summary>Exactly <see cref="DamoOption.Count"/> values per occurrence, accumulated.</summary>
    Exactly,
    /// <summary>One or more values per occurrence, accumulated (nargs='+', action='append').</summary>
    OneOrMore,
    /// <summary>One or more values; the last occurrence wins (nargs='+').</summary>
    OneOrMoreLast,
    /// <summary>One value; the last occurrence wins.</summary>
    OneLast,
}

public sealed record DamoOption(string Name, OptionArity Arity, int Count = 1, string? Short = null);

/// <summary>
/// damo's DAMON-parameter options (damo help damon_param_options), by the names argparse stores
/// them under. Per-scheme and per-context options repeat, one occurrence per scheme or context.
/// </summary>
public static class DamoOptionTable
{
    public static readonly DamoOption[] Options =
    [
        // monitoring
        new("ops", OptionArity.One),
        new("target_pid", OptionArity.One),
        new("regions", OptionArity.One, Short: "r"),
        new("numa_node", OptionArity.OneOrMore),
        new("monitoring_intervals_autotune", OptionArity.Flag),
        new("monitoring_intervals", OptionArity.Exactly, 3),
        new("monitoring_intervals_goal", OptionArity.Exactly, 4),
        new("monitoring_nr_regions_range", OptionArity.Exactly, 2),
        new("sample", OptionArity.One, Short: "s"),
        new("aggr", OptionArity.One, Short: "a"),
        new("updr", OptionArity.One, Short: "u"),
        new("minr", OptionArity.One, Short: "n"),
        new("maxr", OptionArity.One, Short: "m"),
        new("probe_filter", OptionArity.OneOrMore),
        new("nr_probe_filters", OptionArity.OneOrMoreLast),
        new("nr_probes", OptionArity.OneOrMoreLast),
        new("pause_ctx", OptionArity.OneOrMoreLast),
        new("refresh_stat", OptionArity.One),
        new("damon_addr_unit", OptionArity.One),
        new("nr_targets", OptionArity.OneOrMoreLast),
        new("obsolete_targets", OptionArity.OneOrMoreLast),
        new("nr_ctxs", OptionArity.OneOrMoreLast),
        // access sampling (damon/next's sample control; damo's exp_ops_* "experimental" options)
        new("sample_primitives", OptionArity.OneOrMore),
        new("exp_ops_use_reports", OptionArity.One),
        new("exp_ops_write_only", OptionArity.One),
        new("exp_ops_cpus", OptionArity.One),
        new("exp_ops_tids", OptionArity.One),
        // DAMOS
        new("damos_action", OptionArity.OneOrMore),
        new("damos_sz_region", OptionArity.Exactly, 2),
        new("damos_access_rate", OptionArity.Exactly, 2),
        new("damos_age", OptionArity.Exactly, 2),
        new("damos_apply_interval", OptionArity.One),
        new("damos_quotas", OptionArity.OneOrMore),
        new("damos_quota_interval", OptionArity.One),
        new("damos_quota_time", OptionArity.One),
        new("damos_quota_space", OptionArity.One),
        new("damos_quota_weights", OptionArity.Exactly, 3),
        new("damos_quota_fail_charge_ratio", OptionArity.Exactly, 2),
        new("damos_quota_goal", OptionArity.OneOrMore),
        new("damos_quota_goal_tuner", OptionArity.One),
        new("damos_nr_quota_goals", OptionArity.OneOrMoreLast),
        new("damos_filter", OptionArity.OneOrMore),
        new("damos_nr_filters", OptionArity.OneOrMoreLast),
        new("damos_wmarks", OptionArity.Exactly, 5),
        new("damos_max_nr_snapshots", OptionArity.One),
        new("nr_schemes", OptionArity.OneOrMoreLast),
        // whole specifications
        new("schemes", OptionArity.OneLast, Short: "c"),
        new("kdamonds", OptionArity.OneLast),
    ];

    private static readonly Dictionary<string, DamoOption> ByToken = Build();

    private static Dictionary<string, DamoOption> Build()
    {
        var d = new Dictionary<string, DamoOption>(StringComparer.Ordinal);
        foreach (var o in Options)
        {
            d["--" + o.Name] = o;
            if (o.Short is not null) d["-" + o.Short] = o;
        }
        return d;
    }

    public static DamoOption? Find(string token) => ByToken.GetValueOrDefault(token);
}
