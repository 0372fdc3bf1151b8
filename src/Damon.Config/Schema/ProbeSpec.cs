using System.Text.Json.Nodes;
using Damon.Config.Numbers;
using Damon.Core.Sampling;

namespace Damon.Config.Schema;

/// <summary>
/// A data-attribute probe (damon_probe). damo has no weight key; Damon writes <c>weight</c> only
/// when it is not zero, and damo ignores it.
/// </summary>
public sealed class ProbeSpec
{
    public uint Weight { get; set; }
    public List<ProbeFilterSpec> Filters { get; set; } = [];

    public static ProbeSpec Read(Kv kv) => new()
    {
        Weight = (uint)Math.Min(kv.Nr("weight"), uint.MaxValue),
        Filters = kv.List("filters", ProbeFilterSpec.Read),
    };

    public JsonObject Write(bool raw)
    {
        var o = new JsonObject { ["filters"] = KvWrite.Array(Filters, f => f.Write()) };
        if (Weight != 0) o["weight"] = Weight;
        return o;
    }
}

/// <summary>damon_filter of a probe: anon, or memcg with a cgroup path.</summary>
public sealed class ProbeFilterSpec
{
    public string FilterType { get; set; } = "anon";
    public bool Matching { get; set; } = true;
    public bool Allow { get; set; }
    public string? Path { get; set; }

    public static ProbeFilterSpec Read(Kv kv)
    {
        var f = new ProbeFilterSpec
        {
            FilterType = kv.Choice("filter_type", "anon", DamoNames.ProbeFilterTypes),
            Matching = kv.Bool("matching", true),
            Allow = kv.Bool("allow", false),
            Path = kv.OptionalString("path"),
        };
        if (f.FilterType == "memcg" && f.Path is null)
            throw kv.Error("path", "a memcg probe filter needs a cgroup path");
        return f;
    }

    public JsonObject Write() => new()
    {
        ["filter_type"] = FilterType,
        ["matching"] = Matching,
        ["allow"] = Allow,
        ["path"] = KvWrite.Str(Path),
    };
}

/// <summary>damon_sample_control: access sampling primitives and sample filters (damon/next).</summary>
public sealed class SampleControlSpec
{
    public bool PageTable { get; set; } = true;
    public bool PageFault { get; set; }
    public List<SampleFilterSpec> SampleFilters { get; set; } = [];

    public bool IsDefault => PageTable && !PageFault && SampleFilters.Count == 0;

    public static SampleControlSpec Read(Kv kv)
    {
        var p = kv.OptionalObject("primitives_enabled");
        return new SampleControlSpec
        {
            PageTable = p?.Bool("page_table", true) ?? true,
            PageFault = p?.Bool("page_fault", false) ?? false,
            SampleFilters = kv.List("sample_filters", SampleFilterSpec.Read),
        };
    }

    public JsonObject Write() => new()
    {
        ["primitives_enabled"] = new JsonObject { ["page_table"] = PageTable, ["page_fault"] = PageFault },
        ["sample_filters"] = KvWrite.Array(SampleFilters, f => f.Write()),
    };
}

public sealed class SampleFilterSpec
{
    public string FilterType { get; set; } = "write";
    public bool Matching { get; set; } = true;
    public bool Allow { get; set; } = true;
    public string? Cpumask { get; set; }
    public string? TidArr { get; set; }

    /// <summary>
    /// A cpumask filter needs a cpulist and a threads filter a tid list (the kernel refuses the
    /// filter otherwise); the other type's key is kept as read, as damo keeps it.
    /// </summary>
    public static SampleFilterSpec Read(Kv kv)
    {
        var f = new SampleFilterSpec
        {
            FilterType = kv.Choice("filter_type", "write", DamoNames.SampleFilterTypes),
            Matching = kv.Bool("matching", true),
            Allow = kv.Bool("allow", true),
            Cpumask = kv.OptionalString("cpumask"),
            TidArr = kv.OptionalString("tid_arr"),
        };
        string why = "";
        if (f.FilterType == "cpumask" && !(f.Cpumask is { } mask && DamonCpumask.TryParseList(mask, out _, out why)))
            throw kv.Error("cpumask", f.Cpumask is null ? "a cpumask filter needs a cpumask (a CPU list, e.g. 0-3,8)" : why);
        if (f.FilterType == "threads" && !(f.TidArr is { } tids && TidList.TryParse(tids, out _, out why)))
            throw kv.Error("tid_arr", f.TidArr is null ? "a threads filter needs tid_arr (thread ids, e.g. 1234,1235)" : why);
        return f;
    }

    public JsonObject Write() => new()
    {
        ["filter_type"] = FilterType,
        ["matching"] = Matching,
        ["allow"] = Allow,
        ["cpumask"] = KvWrite.Str(Cpumask),
        ["tid_arr"] = KvWrite.Str(TidArr),
    };
}
