using System.Text.Json.Nodes;
using Damon.Config.Numbers;

namespace Damon.Config.Schema;

/// <summary>One monitoring context (damon_ctx): operations set, targets, intervals, schemes.</summary>
public sealed class ContextSpec
{
    public string Ops { get; set; } = "paddr";
    /// <summary>Bytes per core address unit (paddr only); default 1.</summary>
    public ulong AddrUnit { get; set; } = 1;
    public List<TargetSpec> Targets { get; set; } = [];
    public IntervalsSpec Intervals { get; set; } = new();
    public NrRegionsSpec NrRegions { get; set; } = new();
    public List<ProbeSpec> Probes { get; set; } = [];
    public SampleControlSpec SampleControl { get; set; } = new();
    public bool Pause { get; set; }
    public List<SchemeSpec> Schemes { get; set; } = [];

    public static ContextSpec Read(Kv kv)
    {
        var ctx = new ContextSpec
        {
            Ops = kv.Choice("ops", "paddr", DamoNames.Ops),
            AddrUnit = kv.Size("addr_unit", 1),
            Targets = kv.List("targets", TargetSpec.Read),
            Intervals = kv.OptionalObject("intervals") is { } i ? IntervalsSpec.Read(i) : new(),
            NrRegions = kv.OptionalObject("nr_regions") is { } n ? NrRegionsSpec.Read(n) : new(),
            Probes = kv.List("probes", ProbeSpec.Read),
            SampleControl = kv.OptionalObject("sample_control") is { } s ? SampleControlSpec.Read(s) : new(),
            Pause = kv.Bool("pause", false),
            Schemes = kv.List("schemes", SchemeSpec.Read),
        };
        if (ctx.AddrUnit == 0)
            throw kv.Error("addr_unit", "must not be 0");
        return ctx;
    }

    public JsonObject Write(bool raw, bool omitDefaults = false, bool paramsOnly = true)
    {
        var o = new JsonObject
        {
            ["ops"] = Ops,
            ["addr_unit"] = KvWrite.Num(AddrUnit, raw, DamoPrint.SzAccurate),
            ["targets"] = KvWrite.Array(Targets, t => t.Write(raw)),
        };
        if (!omitDefaults || !Intervals.IsDefault) o["intervals"] = Intervals.Write(raw);
        if (!omitDefaults || !NrRegions.IsDefault) o["nr_regions"] = NrRegions.Write(raw);
        o["probes"] = KvWrite.Array(Probes, p => p.Write(raw));
        o["sample_control"] = SampleControl.Write();
        o["pause"] = Pause;
        o["schemes"] = KvWrite.Array(Schemes, s => s.Write(raw, omitDefaults, paramsOnly));
        return o;
    }
}

/// <summary>A monitoring target: a process (vaddr/fvaddr) or physical memory (paddr, no pid).</summary>
public sealed class TargetSpec
{
    public int? Pid { get; set; }
    /// <summary>Commit-time removal mark (damon_target.obsolete).</summary>
    public bool Obsolete { get; set; }
    /// <summary>Initial regions in core address units; empty lets the operations set choose.</summary>
    public List<AddrRangeSpec> Regions { get; set; } = [];

    public static TargetSpec Read(Kv kv) => new()
    {
        Pid = kv.OptionalInt("pid", min: 0),
        Obsolete = kv.Bool("obsolete", false),
        Regions = kv.List("regions", AddrRangeSpec.Read),
    };

    public JsonObject Write(bool raw) => new()
    {
        ["pid"] = Pid,
        ["obsolete"] = Obsolete,
        ["regions"] = KvWrite.Array(Regions, r => r.Write(raw)),
    };
}

/// <summary>[start, end) in core address units.</summary>
public sealed record AddrRangeSpec(ulong Start, ulong End)
{
    public static AddrRangeSpec Read(Kv kv)
    {
        var r = new AddrRangeSpec(kv.Size("start"), kv.Size("end"));
        if (r.Start >= r.End)
            throw new ConfigException($"start ({r.Start}) must be below end ({r.End})", kv.Path);
        return r;
    }

    public JsonObject Write(bool raw) => new()
    {
        ["start"] = KvWrite.Num(Start, raw, DamoPrint.Nr),
        ["end"] = KvWrite.Num(End, raw, DamoPrint.Nr),
    };
}

/// <summary>damon_attrs' intervals.</summary>
public sealed class IntervalsSpec
{
    public ulong SampleUs { get; set; } = 5_000;
    public ulong AggrUs { get; set; } = 100_000;
    public ulong OpsUpdateUs { get; set; } = 1_000_000;
    public IntervalsGoalSpec IntervalsGoal { get; set; } = new();

    public bool IsDefault => SampleUs == 5_000 && AggrUs == 100_000 && OpsUpdateUs == 1_000_000 && IntervalsGoal.IsDefault;

    public static IntervalsSpec Read(Kv kv) => new()
    {
        SampleUs = kv.TimeUs("sample_us", 5_000),
        AggrUs = kv.TimeUs("aggr_us", 100_000),
        OpsUpdateUs = kv.TimeUs("ops_update_us", 1_000_000),
        IntervalsGoal = kv.OptionalObject("intervals_goal") is { } g ? IntervalsGoalSpec.Read(g) : new(),
    };

    public JsonObject Write(bool raw) => new()
    {
        ["sample_us"] = KvWrite.Num(SampleUs, raw, DamoPrint.TimeUs),
        ["aggr_us"] = KvWrite.Num(AggrUs, raw, DamoPrint.TimeUs),
        ["ops_update_us"] = KvWrite.Num(OpsUpdateUs, raw, DamoPrint.TimeUs),
        ["intervals_goal"] = IntervalsGoal.Write(raw),
    };
}

/// <summary>damon_intervals_goal: sampling-interval auto-tuning; aggrs 0 disables it.</summary>
public sealed class IntervalsGoalSpec
{
    public ulong AccessBp { get; set; }
    public ulong Aggrs { get; set; }
    public ulong MinSampleUs { get; set; }
    public ulong MaxSampleUs { get; set; }

    public bool Enabled => Aggrs != 0;

    public bool IsDefault => AccessBp == 0 && Aggrs == 0 && MinSampleUs == 0 && MaxSampleUs == 0;

    public static IntervalsGoalSpec Read(Kv kv) => new()
    {
        AccessBp = kv.Bp("access_bp"),
        Aggrs = kv.Nr("aggrs"),
        MinSampleUs = kv.TimeUs("min_sample_us"),
        MaxSampleUs = kv.TimeUs("max_sample_us"),
    };

    public JsonObject Write(bool raw) => new()
    {
        ["access_bp"] = KvWrite.Num(AccessBp, raw, DamoPrint.Bp),
        ["aggrs"] = KvWrite.Num(Aggrs, raw, DamoPrint.Nr),
        ["min_sample_us"] = KvWrite.Num(MinSampleUs, raw, DamoPrint.TimeUs),
        ["max_sample_us"] = KvWrite.Num(MaxSampleUs, raw, DamoPrint.TimeUs),
    };
}

public sealed class NrRegionsSpec
{
    public ulong Min { get; set; } = 10;
    public ulong Max { get; set; } = 1000;

    public bool IsDefault => Min == 10 && Max == 1000;

    public static NrRegionsSpec Read(Kv kv) => new() { Min = kv.Nr("min", 10), Max = kv.Nr("max", 1000) };

    public JsonObject Write(bool raw) => new()
    {
        ["min"] = KvWrite.Num(Min, raw, DamoPrint.Nr),
        ["max"] = KvWrite.Num(Max, raw, DamoPrint.Nr),
    };
}
