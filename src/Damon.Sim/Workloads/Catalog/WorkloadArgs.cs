using System.Globalization;

namespace Damon.Sim.Workloads.Catalog;

/// <summary>
/// The <c>key=value,key=value</c> part of a workload spec, with typed getters (sizes with K/M/G/T
/// suffixes, durations with units, percentages) and a check that every key given was understood.
/// </summary>
public sealed class WorkloadArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>The spec being parsed, for error messages.</summary>
    public string Spec { get; }

    /// <summary>A leading positional argument (a path for masim/lackey/trace), or null.</summary>
    public string? Positional { get; }

    private WorkloadArgs(string spec, string? positional)
    {
        Spec = spec;
        Positional = positional;
    }

    public static WorkloadArgs Parse(string spec, string argText, bool positionalFirst)
    {
        string? positional = null;
        var parts = argText.Length == 0 ? [] : argText.Split(',');
        int start = 0;
        if (positionalFirst && parts.Length > 0 && !parts[0].Contains('='))
        {
            positional = parts[0].Trim();
            start = 1;
        }
        var args = new WorkloadArgs(spec, positional);
        for (int i = start; i < parts.Length; i++)
        {
            string p = parts[i].Trim();
            if (p.Length == 0) continue;
            int eq = p.IndexOf('=');
            if (eq <= 0 || eq == p.Length - 1)
                throw args.Error($"'{p}' is not key=value");
            string key = p[..eq].Trim().ToLowerInvariant();
            if (!args._values.TryAdd(key, p[(eq + 1)..].Trim()))
                throw args.Error($"'{key}' is given twice");
        }
        return args;
    }

    public WorkloadFormatException Error(string reason) => new(Spec, 0, reason);

    public bool Has(string key) => _values.ContainsKey(key);

    private bool TryTake(string key, out string value)
    {
        if (_values.TryGetValue(key, out value!)) { _used.Add(key); return true; }
        return false;
    }

    /// <summary>Throws if a key was given that no getter asked for (a typo would otherwise be ignored).</summary>
    public void RejectUnknown(string workload, IEnumerable<string> known)
    {
        foreach (var key in _values.Keys)
            if (!_used.Contains(key))
                throw Error($"{workload}: unknown parameter '{key}' (known: {string.Join(", ", known)})");
    }

    public string GetString(string key, string dflt) => TryTake(key, out var v) ? v : dflt;

    public long GetInt(string key, long dflt, long min = long.MinValue, long max = long.MaxValue)
    {
        if (!TryTake(key, out var v)) return dflt;
        if (!long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long x))
            throw Error($"{key}='{v}' is not an integer");
        if (x < min || x > max) throw Error($"{key}={x} is outside [{min}, {max}]");
        return x;
    }

    public double GetDouble(string key, double dflt, double min, double max)
    {
        if (!TryTake(key, out var v)) return dflt;
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || double.IsNaN(x))
            throw Error($"{key}='{v}' is not a number");
        if (x < min || x > max) throw Error($"{key}={v} is outside [{min}, {max}]");
        return x;
    }

    public bool GetBool(string key, bool dflt)
    {
        if (!TryTake(key, out var v)) return dflt;
        return v.ToLowerInvariant() switch
        {
            "1" or "true" or "yes" or "on" => true,
            "0" or "false" or "no" or "off" => false,
            _ => throw Error($"{key}='{v}' is not a boolean (true/false)"),
        };
    }

    /// <summary>
    /// x86-64's 47-bit user address space (128 TiB), where a simulated process lives: no workload
    /// can map more (the masim reader enforces the same bound).
    /// </summary>
    public const ulong UserSpaceBytes = 1UL << 47;

    /// <summary>
    /// Largest element or value one operation touches: an operation's accesses are staged in
    /// memory together (16 bytes per 64-byte line), and the line count must stay an int.
    /// </summary>
    public const ulong MaxOperationBytes = 1UL << 30;

    /// <summary>A byte count: plain bytes, or a K/M/G/T suffix (powers of 1024), optionally with a B/iB.</summary>
    public ulong GetSize(string key, ulong dflt, ulong min = 1) => GetSize(key, dflt, min, ulong.MaxValue, "");

    /// <summary>A byte count at most <paramref name="max"/>; <paramref name="maxReason"/> says why there is one.</summary>
    public ulong GetSize(string key, ulong dflt, ulong min, ulong max, string maxReason)
    {
        if (!TryTake(key, out var v)) return dflt;
        ulong x = ParseSize(v) ?? throw Error($"{key}='{v}' is not a size (e.g. 4096, 64K, 1G)");
        if (x < min) throw Error($"{key}={v} is below the minimum of {min} bytes");
        if (x > max) throw Error($"{key}={v} is above the maximum of {max} bytes ({maxReason})");
        return x;
    }

    /// <summary>The size of one mapping: at most the 128 TiB user address space.</summary>
    public ulong GetMappedSize(string key, ulong dflt, ulong min) =>
        GetSize(key, dflt, min, UserSpaceBytes, "the 128 TiB user address space");

    /// <summary>The size of an element or value one operation touches: at most <see cref="MaxOperationBytes"/>.</summary>
    public ulong GetOperationSize(string key, ulong dflt) =>
        GetSize(key, dflt, 1, MaxOperationBytes, "one operation's accesses are staged in memory together");

    /// <summary>
    /// Refuses a footprint derived from several parameters (computed in 128 bits, so a product
    /// cannot wrap) that does not fit the user address space.
    /// </summary>
    public void CheckFits(string what, UInt128 bytes)
    {
        if (bytes > UserSpaceBytes)
            throw Error($"{what} needs {bytes} bytes, more than the 128 TiB ({UserSpaceBytes} bytes) user address space");
    }

    /// <summary>A size either absolute (<c>64M</c>) or a percentage of <paramref name="whole"/> (<c>10%</c>).</summary>
    public ulong GetSizeOrPercent(string key, ulong whole, double dfltFraction)
    {
        if (!TryTake(key, out var v)) return (ulong)(whole * dfltFraction);
        if (v.EndsWith('%'))
        {
            double pct = ParsePercent(key, v);
            return (ulong)(whole * pct);
        }
        return ParseSize(v) ?? throw Error($"{key}='{v}' is neither a size (64M) nor a percentage (10%)");
    }

    /// <summary>A fraction in [0, 1] given as <c>90%</c> or <c>0.9</c>.</summary>
    public double GetFraction(string key, double dflt)
    {
        if (!TryTake(key, out var v)) return dflt;
        double f = v.EndsWith('%') ? ParsePercent(key, v)
            : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d
            : throw Error($"{key}='{v}' is not a fraction (0.9 or 90%)");
        if (!(f >= 0 && f <= 1)) throw Error($"{key}={v} is outside [0, 1] (0%..100%)");
        return f;
    }

    /// <summary>A duration with a unit: ns, us, ms, s, m (minutes), h. Returns nanoseconds.</summary>
    public ulong GetDurationNs(string key, ulong dfltNs)
    {
        if (!TryTake(key, out var v)) return dfltNs;
        return ParseDurationNs(v) ?? throw Error($"{key}='{v}' is not a duration with a unit (e.g. 500ms, 10s, 2m)");
    }

    /// <summary>CPU list as <c>0-3</c> or <c>0;2;4</c> (';' because ',' separates parameters).</summary>
    public int[] GetCpuList(string key, int[] dflt)
    {
        if (!TryTake(key, out var v)) return dflt;
        var cpus = new List<int>();
        foreach (var item in v.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int dash = item.IndexOf('-');
            if (dash > 0
                && int.TryParse(item[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int lo)
                && int.TryParse(item[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int hi)
                && lo <= hi && hi - lo < 65536)
            {
                for (int c = lo; c <= hi; c++) cpus.Add(c);
            }
            else if (int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int one))
                cpus.Add(one);
            else
                throw Error($"{key}='{v}' is not a CPU list (e.g. 0-3 or 0;2)");
        }
        if (cpus.Count == 0) throw Error($"{key} is empty");
        return cpus.ToArray();
    }

    private double ParsePercent(string key, string v)
    {
        if (!double.TryParse(v.AsSpan(0, v.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double pct)
            || !(pct >= 0 && pct <= 100))
            throw Error($"{key}='{v}' is not a percentage in [0%, 100%]");
        return pct / 100.0;
    }

    public static ulong? ParseSize(string v)
    {
        string s = v.Trim();
        if (s.EndsWith("iB", StringComparison.OrdinalIgnoreCase)) s = s[..^2];
        else if (s.EndsWith('B') || s.EndsWith('b')) s = s[..^1];
        ulong mult = 1;
        if (s.Length > 0)
        {
            switch (char.ToUpperInvariant(s[^1]))
            {
                case 'K': mult = 1UL << 10; break;
                case 'M': mult = 1UL << 20; break;
                case 'G': mult = 1UL << 30; break;
                case 'T': mult = 1UL << 40; break;
            }
            if (mult != 1) s = s[..^1];
        }
        if (ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n))
            return n <= ulong.MaxValue / mult ? n * mult : null;
        if (mult != 1 && double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double d)
            && d * mult < ulong.MaxValue)
            return (ulong)(d * mult);
        return null;
    }

    public static ulong? ParseDurationNs(string v)
    {
        string s = v.Trim();
        (string suffix, double ns)[] units = [("ns", 1), ("us", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9)];
        foreach (var (suffix, ns) in units)
        {
            if (!s.EndsWith(suffix, StringComparison.Ordinal)) continue;
            string num = s[..^suffix.Length];
            // "ms" also ends with "s"; the number part must then parse, or the next unit is tried.
            if (double.TryParse(num, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double d)
                && d >= 0 && d * ns < 1.8e19)
                return (ulong)Math.Round(d * ns);
        }
        return null;
    }
}
