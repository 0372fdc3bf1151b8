using Damon.Config.Numbers;
using Damon.Config.Schema;
using Damon.Core.Sampling;

namespace Damon.Config.Args;

/// <summary>
/// damo 3.3's access-sampling options of one context (_damon_args.build_sample_control_ops_attrs,
/// on a kernel with damo's <c>sysfs/damon_sample_control</c> feature): <c>--sample_primitives</c>
/// or <c>--exp_ops_use_reports</c> choose the primitive, <c>--exp_ops_write_only</c>,
/// <c>--exp_ops_cpus</c> and <c>--exp_ops_tids</c> add one allow filter each, in that order. The
/// i-th occurrence of each option belongs to the i-th context.
/// </summary>
/// <remarks>
/// damo hands the Y/N words to Python's truth test, so its <c>--exp_ops_use_reports N</c>,
/// <c>--exp_ops_write_only N</c> and <c>--sample_primitives page_table</c> all turn the feature on;
/// Damon reads them as damo's text_to_bool does elsewhere (docs/cli.md, "Access sampling").
/// </remarks>
internal static class SampleControlArgs
{
    public static readonly string[] Options = ["sample_primitives", "exp_ops_use_reports", "exp_ops_write_only", "exp_ops_cpus", "exp_ops_tids"];

    private static readonly string[] Primitives = ["page_table", "page_fault"];

    /// <summary>More occurrences than contexts would be dropped silently by damo's fillup; Damon refuses them.</summary>
    public static void CheckCounts(DamoArgs a, int nrCtxs)
    {
        foreach (var name in Options)
            if (a.All(name).Count > nrCtxs)
                throw new ConfigException($"--{name}: given {a.All(name).Count} times for {nrCtxs} context(s) (one per context, in context order)");
    }

    public static SampleControlSpec Build(DamoArgs a, int idx)
    {
        var primitives = At(a, "sample_primitives", idx);
        var useReportsWord = At(a, "exp_ops_use_reports", idx)?[0];
        bool? useReports = useReportsWord is null ? null : YesNo("--exp_ops_use_reports", useReportsWord);
        if (primitives is not null)
        {
            foreach (var p in primitives)
                if (!Primitives.Contains(p))
                    throw new ConfigException($"--sample_primitives: invalid choice: '{p}' (choose from {string.Join(", ", Primitives)})");
            if (useReports is not null)
                throw new ConfigException("--sample_primitives and --exp_ops_use_reports used together");
            if (primitives.Length != 1)
                throw new ConfigException($"--sample_primitives {string.Join(' ', primitives)}: exactly one primitive can be enabled (page_table or page_fault)");
            useReports = primitives[0] == "page_fault";
        }
        var sc = new SampleControlSpec { PageTable = useReports != true, PageFault = useReports == true };
        if (At(a, "exp_ops_write_only", idx)?[0] is { } w && YesNo("--exp_ops_write_only", w))
            sc.SampleFilters.Add(new SampleFilterSpec { FilterType = "write", Matching = true, Allow = true });
        if (At(a, "exp_ops_cpus", idx)?[0] is { } cpus && cpus != "all")
        {
            if (!DamonCpumask.TryParseList(cpus, out _, out var why))
                throw new ConfigException($"--exp_ops_cpus {cpus}: {why}");
            sc.SampleFilters.Add(new SampleFilterSpec { FilterType = "cpumask", Matching = true, Allow = true, Cpumask = cpus });
        }
        if (At(a, "exp_ops_tids", idx)?[0] is { Length: > 0 } tids)
        {
            if (!TidList.TryParse(tids, out _, out var why))
                throw new ConfigException($"--exp_ops_tids {tids}: {why}");
            sc.SampleFilters.Add(new SampleFilterSpec { FilterType = "threads", Matching = true, Allow = true, TidArr = tids });
        }
        return sc;
    }

    private static string[]? At(DamoArgs a, string name, int idx) => idx < a.All(name).Count ? a.All(name)[idx] : null;

    private static bool YesNo(string option, string word) =>
        DamoParse.TryBool(word, out var b) ? b : throw new ConfigException($"{option} {word}: expected Y or N (y/yes/true, n/no/false, any case)");
}
