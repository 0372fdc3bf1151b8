using Damon.Config.Numbers;
using Damon.Config.Schema;

namespace Damon.Config.Args;

/// <summary>
/// `--damos_filter` words. Current form: &lt;allow|reject&gt; [none] &lt;type&gt; [type args], several
/// filters may share one option. The older &lt;type&gt; &lt;matching|nomatching&gt; [args]
/// [allow|reject] form is accepted when the current one does not parse, as damo does.
/// </summary>
public static class FilterWords
{
    public static List<FilterSpec> Parse(IReadOnlyList<string[]> options)
    {
        if (options.Count == 0) return [];
        var v2 = TryV2(options.SelectMany(o => o).ToList(), out var filters);
        if (v2 is null) return filters;

        var converted = new List<string>();
        foreach (var words in options)
        {
            if (words.Length < 2)
                throw new ConfigException($"--damos_filter {string.Join(' ', words)}: {v2}");
            converted.AddRange(V1ToV2(words));
        }
        var err = TryV2(converted, out filters);
        return err is null ? filters : throw new ConfigException($"--damos_filter: {v2}");
    }

    /// <summary>convert_damos_filter_v1_to_v2.</summary>
    private static IEnumerable<string> V1ToV2(string[] words)
    {
        var type = words[0];
        bool matching = words[1] == "matching";
        var rest = words.Skip(2).ToList();
        var allowReject = "reject";
        if (rest.Count > 0 && rest[^1] is "allow" or "pass" or "reject" or "deny" or "block")
        {
            allowReject = rest[^1] is "allow" or "pass" ? "allow" : "reject";
            rest.RemoveAt(rest.Count - 1);
        }
        var v2 = new List<string> { allowReject };
        if (!matching) v2.Add("none");
        v2.Add(type);
        v2.AddRange(rest);
        return v2;
    }

    /// <summary>Returns null on success, else why the words are not current-form filters.</summary>
    private static string? TryV2(List<string> words, out List<FilterSpec> filters)
    {
        filters = [];
        int i = 0;
        while (i < words.Count)
        {
            if (words.Count - i < 2)
                return $"wrong number of words: {string.Join(' ', words.Skip(i))}";
            if (words[i] is not ("allow" or "reject" or "deny" or "block"))
                return $"unsupported allow-reject identifier: {words[i]}";
            var f = new FilterSpec { Allow = words[i] == "allow" };
            i++;
            if (words[i] == "none")
            {
                f.Matching = false;
                i++;
            }
            if (i >= words.Count)
                return "filter type is not given";
            f.FilterType = words[i++];
            string? Arg() => i < words.Count ? words[i++] : null;
            switch (f.FilterType)
            {
                case "anon" or "active" or "young" or "unmapped":
                    break;
                case "memcg":
                    f.MemcgPath = Arg();
                    if (f.MemcgPath is null) return "no memcg path is given";
                    break;
                case "addr":
                    if (words.Count - i < 2) return "no address range is given";
                    var (s, e) = (words[i++], words[i++]);
                    if (!DamoParse.TrySize(s, out var start) || !DamoParse.TrySize(e, out var end))
                        return $"wrong addr range ({s}, {e})";
                    if (start >= end) return $"wrong addr range ({s}, {e}: start >= end)";
                    f.AddressRange = new AddrRangeSpec(start, end);
                    break;
                case "target":
                    var idx = Arg();
                    if (idx is null) return "no target argument";
                    if (!DamoParse.TryNr(idx, out var t)) return $"target filter creation failed ({idx} is not a number)";
                    f.DamonTargetIdx = t;
                    break;
                case "hugepage_size":
                    if (words.Count - i < 2) return "no range for hugepage sizes is given";
                    var (mn, mx) = (words[i++], words[i++]);
                    if (!DamoParse.TrySize(mn, out var min) || !DamoParse.TrySize(mx, out var max))
                        return $"wrong hugepage sizes ({mn}, {mx})";
                    f.HugepageSize = (min, max);
                    break;
                default:
                    return $"unsupported filter type: {f.FilterType}";
            }
            filters.Add(f);
        }
        return null;
    }
}
