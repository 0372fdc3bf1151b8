using Damon.Config.Numbers;
using Damon.Config.Schema;
using Damon.Core.Sampling;

namespace Damon.Config.Engine;

/// <summary>
/// damo's sample_control keys and the engine's damon_sample_control. Which primitives may be
/// enabled together is the engine's rule (damon_commit_ctx's -EINVAL, checked by set_attrs), so a
/// spec with both or neither is rejected there, not here.
/// </summary>
public static class SampleControlMapping
{
    public static DamonSampleControl ToEngine(SampleControlSpec spec, Func<string, string> path)
    {
        var filters = new List<DamonSampleFilter>(spec.SampleFilters.Count);
        for (int i = 0; i < spec.SampleFilters.Count; i++)
        {
            var f = spec.SampleFilters[i];
            var at = path($"sample_control.sample_filters[{i}]");
            if (!DamonSampleFilterTypes.TryParse(f.FilterType, out var type))
                throw new ConfigException($"\"{f.FilterType}\" is not one of {string.Join(", ", DamonSampleFilterTypes.AllNames)}", at + ".filter_type");
            var filter = new DamonSampleFilter(type, f.Matching, f.Allow);
            if (type == DamonSampleFilterType.Cpumask)
            {
                if (!DamonCpumask.TryParseList(f.Cpumask ?? "", out var mask, out var why) || f.Cpumask is null)
                    throw new ConfigException(f.Cpumask is null ? "a cpumask filter needs a cpumask" : why, at + ".cpumask");
                filter = filter with { Cpumask = mask };
            }
            else if (type == DamonSampleFilterType.Threads)
            {
                if (!TidList.TryParse(f.TidArr ?? "", out var tids, out var why))
                    throw new ConfigException(why, at + ".tid_arr");
                filter = filter with { TidArr = tids };
            }
            filters.Add(filter);
        }
        return new DamonSampleControl
        {
            PrimitivesEnabled = new DamonSamplePrimitives(spec.PageTable, spec.PageFault),
            SampleFilters = filters,
        };
    }

    /// <summary>The engine's sample control as damo writes it; a cpumask in the kernel's %*pbl form.</summary>
    public static SampleControlSpec FromEngine(DamonSampleControl sc) => new()
    {
        PageTable = sc.PrimitivesEnabled.PageTable,
        PageFault = sc.PrimitivesEnabled.PageFault,
        SampleFilters = sc.SampleFilters.Select(f => new SampleFilterSpec
        {
            FilterType = f.Type.SysfsName(),
            Matching = f.Matching,
            Allow = f.Allow,
            Cpumask = f.Type == DamonSampleFilterType.Cpumask ? f.Cpumask.ToString() : null,
            TidArr = f.Type == DamonSampleFilterType.Threads ? string.Join(',', f.TidArr) : null,
        }).ToList(),
    };
}
