using System.Text.Json.Nodes;
using Damon.Config.Numbers;

namespace Damon.Config.Schema;

/// <summary>A DAMOS scheme (damos) in damo's schema.</summary>
public sealed class SchemeSpec
{
    public string Action { get; set; } = "stat";
    /// <summary>Weighted destination nodes for multi-node migration.</summary>
    public List<DestSpec> Dests { get; set; } = [];
    /// <summary>Destination node of migrate_hot/migrate_cold.</summary>
    public int? TargetNid { get; set; }
    public AccessPatternSpec AccessPattern { get; set; } = new();
    /// <summary>0 means every aggregation interval.</summary>
    public ulong ApplyIntervalUs { get; set; }
    public QuotasSpec Quotas { get; set; } = new();
    public WatermarksSpec Watermarks { get; set; } = new();
    public List<FilterSpec> Filters { get; set; } = [];
    /// <summary>
    /// Deactivate after this many snapshots (0: never). damo keeps it in the status-only stats
    /// block, which `args damon` drops; Damon writes it as a scheme key when set and reads either.
    /// </summary>
    public ulong MaxNrSnapshots { get; set; }
    /// <summary>Status only: damos_stat at the time of the dump; null in parameter documents.</summary>
    public SchemeStatsSpec? Stats { get; set; }
    /// <summary>Status only: the regions the scheme tried in one apply round (sysfs tried_regions); null when not collected.</summary>
    public List<TriedRegionSpec>? TriedRegions { get; set; }

    /// <summary>
    /// Status only: tried_regions/total_bytes as the walk counted it (update_schemes_tried_bytes
    /// counts it without the regions); null: the regions' sum.
    /// </summary>
    public ulong? TotalBytes { get; set; }

    /// <summary>tried_regions/total_bytes.</summary>
    public ulong TriedBytes => TotalBytes ?? (TriedRegions is null ? 0 : TriedRegions.Aggregate(0UL, (sum, r) => sum + (r.End - r.Start)));

    public static SchemeSpec Read(Kv kv)
    {
        var s = new SchemeSpec
        {
            Action = kv.Choice("action", "stat", DamoNames.Actions),
            Dests = kv.List("dests", DestSpec.Read),
            TargetNid = kv.OptionalInt("target_nid"),
            AccessPattern = kv.OptionalObject("access_pattern") is { } ap ? AccessPatternSpec.Read(ap) : new(),
            ApplyIntervalUs = kv.TimeUs("apply_interval_us"),
            Quotas = kv.OptionalObject("quotas") is { } q ? QuotasSpec.Read(q) : new(),
            Watermarks = kv.OptionalObject("watermarks") is { } w ? WatermarksSpec.Read(w) : new(),
            Filters = kv.List("filters", FilterSpec.Read),
        };
        if (kv.Has("max_nr_snapshots"))
            s.MaxNrSnapshots = kv.Nr("max_nr_snapshots");
        else if (kv.OptionalObject("stats") is { } stats)
            s.MaxNrSnapshots = stats.Nr("max_nr_snapshots");
        if (kv.OptionalObject("stats") is { } statsKv)
            s.Stats = SchemeStatsSpec.Read(statsKv);
        if (kv.Has("tried_regions"))
            s.TriedRegions = kv.List("tried_regions", TriedRegionSpec.Read);
        if (kv.Has("tried_bytes"))
            s.TotalBytes = kv.Size("tried_bytes");
        return s;
    }

    /// <summary><paramref name="paramsOnly"/> false adds the status-only stats and tried regions when known.</summary>
    public JsonObject Write(bool raw, bool omitDefaults = false, bool paramsOnly = true)
    {
        var o = new JsonObject
        {
            ["action"] = Action,
            ["dests"] = KvWrite.Array(Dests, d => d.Write()),
        };
        // damo writes it for the migrate actions only; a node set on another action is kept too.
        if (DamoNames.IsMigrateAction(Action) || TargetNid is not null)
            o["target_nid"] = TargetNid;
        if (!omitDefaults || !AccessPattern.IsDefault) o["access_pattern"] = AccessPattern.Write(raw);
        o["apply_interval_us"] = KvWrite.Num(ApplyIntervalUs, raw, DamoPrint.TimeUs);
        if (!omitDefaults || !Quotas.IsDefault) o["quotas"] = Quotas.Write(raw);
        if (!omitDefaults || !Watermarks.IsDefault) o["watermarks"] = Watermarks.Write(raw);
        if (!omitDefaults || Filters.Count > 0) o["filters"] = KvWrite.Array(Filters, f => f.Write(raw));
        if (MaxNrSnapshots != 0)
            o["max_nr_snapshots"] = KvWrite.Num(MaxNrSnapshots, raw, DamoPrint.Nr);
        if (!paramsOnly && Stats is not null) o["stats"] = Stats.Write(raw);
        if (!paramsOnly && TriedRegions is not null)
        {
            o["tried_regions"] = KvWrite.Array(TriedRegions, r => r.Write(raw));
            o["tried_bytes"] = KvWrite.Num(TriedBytes, raw, DamoPrint.Sz);
        }
        return o;
    }
}

public sealed record DestSpec(ulong Id, ulong Weight)
{
    public static DestSpec Read(Kv kv) => new(kv.Nr("id"), kv.Nr("weight"));

    public JsonObject Write() => new() { ["id"] = Id, ["weight"] = Weight };
}

public enum NrAccessesUnit { Percent, Samples }

public enum AgeUnit { Usec, AggrIntervals }

/// <summary>
/// damos_access_pattern as damo holds it: access rate in percent of the maximum nr_accesses or in
/// samples, age as a time or in aggregation intervals. Both bounds share one unit.
/// </summary>
public sealed class AccessPatternSpec
{
    public ulong SzMin { get; set; }
    public ulong SzMax { get; set; } = ulong.MaxValue;
    public NrAccessesUnit NrAccessesUnit { get; set; } = NrAccessesUnit.Percent;
    /// <summary>Percent (a float, as damo keeps it) or a sample count, per <see cref="NrAccessesUnit"/>.</summary>
    public double NrAccessesMin { get; set; }
    public double NrAccessesMax { get; set; } = 18446744073709551615.0;
    public AgeUnit AgeUnit { get; set; } = AgeUnit.Usec;
    /// <summary>Microseconds or aggregation intervals, per <see cref="AgeUnit"/>.</summary>
    public ulong AgeMin { get; set; }
    public ulong AgeMax { get; set; } = ulong.MaxValue;

    /// <summary>Every region, in damo's default units.</summary>
    public bool IsDefault => SzMin == 0 && SzMax == ulong.MaxValue
        && NrAccessesUnit == NrAccessesUnit.Percent && NrAccessesMin == 0 && NrAccessesMax >= 18446744073709551615.0
        && AgeUnit == AgeUnit.Usec && AgeMin == 0 && AgeMax == ulong.MaxValue;

    public static AccessPatternSpec Read(Kv kv)
    {
        var ap = new AccessPatternSpec();
        if (kv.OptionalObject("sz_bytes") is { } sz)
        {
            ap.SzMin = sz.Size("min");
            ap.SzMax = sz.Size("max", ulong.MaxValue);
        }
        if (kv.OptionalObject("nr_accesses") is { } nr)
        {
            if (TryBoth<double>(nr, DamoParse.TryPercent, out var pMin, out var pMax))
                (ap.NrAccessesUnit, ap.NrAccessesMin, ap.NrAccessesMax) = (NrAccessesUnit.Percent, pMin, pMax);
            else
            {
                ap.NrAccessesUnit = NrAccessesUnit.Samples;
                ap.NrAccessesMin = WithUnit(nr, "min", "samples", "a percentage or \"<n> samples\"");
                ap.NrAccessesMax = WithUnit(nr, "max", "samples", "a percentage or \"<n> samples\"");
            }
        }
        if (kv.OptionalObject("age") is { } age)
        {
            if (TryBoth<ulong>(age, DamoParse.TryTimeUs, out var uMin, out var uMax))
                (ap.AgeUnit, ap.AgeMin, ap.AgeMax) = (AgeUnit.Usec, uMin, uMax);
            else
            {
                ap.AgeUnit = AgeUnit.AggrIntervals;
                ap.AgeMin = WithUnit(age, "min", "aggr_intervals", "a time or \"<n> aggr_intervals\"");
                ap.AgeMax = WithUnit(age, "max", "aggr_intervals", "a time or \"<n> aggr_intervals\"");
            }
        }
        return ap;
    }

    private static string? TextOf(Kv kv, string key) => kv.Get(key) switch
    {
        null => null,
        System.Text.Json.Nodes.JsonValue v when v.TryGetValue<string>(out var s) => s,
        var n => n.ToJsonString(),
    };

    private static bool TryBoth<T>(Kv kv, Kv.TryParser<T> parse, out T min, out T max)
    {
        min = default!;
        max = default!;
        var a = TextOf(kv, "min");
        var b = TextOf(kv, "max");
        return a is not null && b is not null && parse(a, out min) && parse(b, out max);
    }

    /// <summary>text_to_nr_unit: "&lt;number&gt; &lt;unit&gt;".</summary>
    private static ulong WithUnit(Kv kv, string key, string unit, string what)
    {
        var text = TextOf(kv, key) ?? throw kv.Error(key, $"missing; expected {what}");
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 2 && fields[1] == unit && DamoParse.TryNr(fields[0], out var n))
            return n;
        throw kv.Error(key, $"{Kv.Show(kv.Get(key))} is not {what}");
    }

    private string NrAccessesText(double v, bool raw) => NrAccessesUnit == NrAccessesUnit.Percent
        ? DamoPrint.Percent(v, raw)
        : DamoPrint.Nr((ulong)Math.Min(v, ulong.MaxValue), raw) + " samples";

    private JsonNode AgeNode(ulong v, bool raw) => AgeUnit == AgeUnit.Usec
        ? KvWrite.Num(v, raw, DamoPrint.TimeUsExact)
        : JsonValue.Create(DamoPrint.Nr(v, raw) + " aggr_intervals");

    public JsonObject Write(bool raw) => new()
    {
        ["sz_bytes"] = new JsonObject
        {
            ["min"] = KvWrite.Num(SzMin, raw, DamoPrint.Sz),
            ["max"] = KvWrite.Num(SzMax, raw, DamoPrint.Sz),
        },
        ["nr_accesses"] = new JsonObject { ["min"] = NrAccessesText(NrAccessesMin, raw), ["max"] = NrAccessesText(NrAccessesMax, raw) },
        ["age"] = new JsonObject { ["min"] = AgeNode(AgeMin, raw), ["max"] = AgeNode(AgeMax, raw) },
    };

    /// <summary>The text of one nr_accesses bound, as the report prints it.</summary>
    public string NrAccessesString(double v, bool raw) => NrAccessesText(v, raw);

    public string AgeString(ulong v, bool raw) => AgeUnit == AgeUnit.Usec
        ? DamoPrint.TimeUsExact(v, raw)
        : DamoPrint.Nr(v, raw) + " aggr_intervals";
}
