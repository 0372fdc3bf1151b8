using System.Globalization;
using System.Text;

namespace Damon.Core.Sampling;

/// <summary>
/// A set of CPU numbers (the kernel's struct cpumask), immutable and compared by value. Text form
/// is the kernel's cpulist ("0-3,8"), what cpulist_parse accepts and the sysfs `cpumask` file takes.
/// </summary>
public sealed class DamonCpumask : IEquatable<DamonCpumask>
{
    /// <summary>NR_CPUS bound for parsing: a larger number is an input error, not an allocation.</summary>
    public const int MaxCpus = 8192;

    private readonly ulong[] _bits;

    private DamonCpumask(ulong[] bits) => _bits = bits;

    public static DamonCpumask Empty { get; } = new([]);

    public static DamonCpumask Of(params int[] cpus)
    {
        int max = -1;
        foreach (int c in cpus)
        {
            if (c < 0 || c >= MaxCpus)
                throw new ArgumentOutOfRangeException(nameof(cpus), $"cpu {c}: must be in [0, {MaxCpus})");
            max = Math.Max(max, c);
        }
        var bits = new ulong[max / 64 + 1];
        foreach (int c in cpus)
            bits[c / 64] |= 1UL << (c % 64);
        return new DamonCpumask(Trim(bits));
    }

    private static ulong[] Trim(ulong[] bits)
    {
        int n = bits.Length;
        while (n > 0 && bits[n - 1] == 0) n--;
        return n == bits.Length ? bits : bits[..n];
    }

    /// <summary>cpumask_test_cpu.</summary>
    public bool Test(int cpu) => cpu >= 0 && cpu / 64 < _bits.Length && (_bits[cpu / 64] & (1UL << (cpu % 64))) != 0;

    public bool IsEmpty => _bits.Length == 0;

    public IEnumerable<int> Cpus()
    {
        for (int w = 0; w < _bits.Length; w++)
            for (int b = 0; b < 64; b++)
                if ((_bits[w] & (1UL << b)) != 0)
                    yield return w * 64 + b;
    }

    /// <summary>
    /// cpulist_parse: comma-separated CPU numbers and inclusive ranges ("0-3,8"); an empty string
    /// is the empty mask. Returns false with a reason naming the bad part.
    /// </summary>
    public static bool TryParseList(string text, out DamonCpumask mask, out string error)
    {
        mask = Empty;
        error = "";
        var cpus = new List<int>();
        if (text.Trim().Length == 0)
            return true;
        foreach (string raw in text.Split(','))
        {
            string part = raw.Trim();
            int dash = part.IndexOf('-');
            string lo = dash < 0 ? part : part[..dash], hi = dash < 0 ? part : part[(dash + 1)..];
            if (!int.TryParse(lo, NumberStyles.None, CultureInfo.InvariantCulture, out int a)
                || !int.TryParse(hi, NumberStyles.None, CultureInfo.InvariantCulture, out int b))
            {
                error = $"'{part}' is not a CPU number or a range like 0-3";
                return false;
            }
            if (a > b || b >= MaxCpus)
            {
                error = a > b ? $"'{part}': range start exceeds its end" : $"'{part}': CPU numbers must be below {MaxCpus}";
                return false;
            }
            for (int c = a; c <= b; c++) cpus.Add(c);
        }
        mask = Of([.. cpus]);
        return true;
    }

    /// <summary>The cpulist form, ranges collapsed ("0-3,8"), as the kernel's %*pbl prints.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        int start = -1, prev = -2;
        foreach (int c in Cpus())
        {
            if (c != prev + 1)
            {
                Flush(sb, start, prev);
                start = c;
            }
            prev = c;
        }
        Flush(sb, start, prev);
        return sb.ToString();
    }

    private static void Flush(StringBuilder sb, int start, int end)
    {
        if (start < 0) return;
        if (sb.Length > 0) sb.Append(',');
        sb.Append(start.ToString(CultureInfo.InvariantCulture));
        if (end > start) sb.Append('-').Append(end.ToString(CultureInfo.InvariantCulture));
    }

    public bool Equals(DamonCpumask? other) => other is not null && _bits.AsSpan().SequenceEqual(other._bits);

    public override bool Equals(object? obj) => Equals(obj as DamonCpumask);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (ulong w in _bits) h.Add(w);
        return h.ToHashCode();
    }
}
