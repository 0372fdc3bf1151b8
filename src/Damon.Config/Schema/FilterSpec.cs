using System.Text.Json.Nodes;
using Damon.Config.Numbers;

namespace Damon.Config.Schema;

/// <summary>
/// damos_filter: <see cref="Allow"/> or reject memory that is (<see cref="Matching"/>) or is not
/// of <see cref="FilterType"/>, with the type's argument.
/// </summary>
public sealed class FilterSpec
{
    public string FilterType { get; set; } = "anon";
    public bool Matching { get; set; } = true;
    public bool Allow { get; set; }
    public string? MemcgPath { get; set; }
    public AddrRangeSpec? AddressRange { get; set; }
    public ulong? DamonTargetIdx { get; set; }
    /// <summary>[min, max] folio size in bytes, for hugepage_size.</summary>
    public (ulong Min, ulong Max)? HugepageSize { get; set; }

    public static FilterSpec Read(Kv kv)
    {
        var f = new FilterSpec
        {
            FilterType = kv.Choice("filter_type", "anon", DamoNames.FilterTypes),
            Matching = kv.Bool("matching", true),
            // "filter_pass" was the name of "allow" while the feature was in development.
            Allow = kv.Has("allow") ? kv.Bool("allow", false) : kv.Bool("filter_pass", false),
        };
        switch (f.FilterType)
        {
            case "memcg":
                f.MemcgPath = kv.OptionalString("memcg_path") ?? throw kv.Error("memcg_path", "a memcg filter needs a cgroup path");
                break;
            case "addr":
                f.AddressRange = AddrRangeSpec.Read(kv.Object("address_range"));
                break;
            case "target":
                f.DamonTargetIdx = kv.OptionalNr("damon_target_idx") ?? throw kv.Error("damon_target_idx", "a target filter needs a target index");
                break;
            case "hugepage_size":
                var sizes = kv.Array("hugepage_size");
                if (sizes.Count != 2)
                    throw kv.Error("hugepage_size", "a hugepage_size filter needs [min, max] sizes");
                var pair = Kv.Root(new JsonObject { ["min"] = sizes[0]?.DeepClone(), ["max"] = sizes[1]?.DeepClone() }, kv.PathOf("hugepage_size"));
                f.HugepageSize = (pair.Size("min"), pair.Size("max"));
                break;
        }
        return f;
    }

    public JsonObject Write(bool raw) => new()
    {
        ["filter_type"] = FilterType,
        ["matching"] = Matching,
        ["allow"] = Allow,
        ["memcg_path"] = KvWrite.Str(MemcgPath),
        ["address_range"] = AddressRange?.Write(raw),
        ["damon_target_idx"] = DamonTargetIdx is { } i ? KvWrite.Num(i, raw, DamoPrint.Nr) : null,
        ["hugepage_size"] = HugepageSize is { } h
            ? new JsonArray(KvWrite.Num(h.Min, raw, DamoPrint.Sz), KvWrite.Num(h.Max, raw, DamoPrint.Sz))
            : null,
    };

    /// <summary>DamosFilter.to_str: "reject none memcg /a", "allow addr [1, 2) (1 B)".</summary>
    public string Describe(bool raw)
    {
        var words = new List<string> { Allow ? "allow" : "reject" };
        if (!Matching) words.Add("none");
        words.Add(FilterType);
        switch (FilterType)
        {
            case "memcg": words.Add(MemcgPath ?? ""); break;
            case "addr" when AddressRange is { } r:
                words.Add(DamoPrint.AddrRange(r.Start, r.End, raw)); break;
            case "target" when DamonTargetIdx is { } t: words.Add(DamoPrint.Nr(t, raw)); break;
            case "hugepage_size" when HugepageSize is { } h:
                words.Add($"[{DamoPrint.Sz(h.Min, raw)}, {DamoPrint.Sz(h.Max, raw)}]"); break;
        }
        return string.Join(' ', words);
    }
}
