using System.Globalization;
using Damon.Linux.Procfs;

namespace Damon.Linux.Metrics;

/// <summary>"name value" lines (/proc/vmstat, memory.stat) as name → value.</summary>
public static class NameValueLines
{
    public static IReadOnlyDictionary<string, ulong> Parse(string text, string path)
    {
        var items = new Dictionary<string, ulong>(StringComparer.Ordinal);
        int lineNo = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNo++;
            if (line.Length == 0) continue;
            int sp = line.IndexOf(' ');
            if (sp <= 0 || !ulong.TryParse(line.AsSpan(sp + 1), NumberStyles.None, CultureInfo.InvariantCulture, out ulong v))
                throw new LinuxSourceException(path, $"line {lineNo}: expected 'name value', found '{line}'");
            items[line[..sp]] = v;
        }
        return items;
    }
}

/// <summary>
/// /proc/vmstat ("name value" lines) at one moment, or the difference of two moments
/// (<see cref="Delta"/>). Counters a kernel lacks (pgpromote_success before 6.0) read as 0 and
/// are listed by <see cref="Has"/> as absent.
/// </summary>
public sealed class VmstatSnapshot(IReadOnlyDictionary<string, ulong> counters)
{
    public const string DefaultPath = "/proc/vmstat";

    public IReadOnlyDictionary<string, ulong> Counters { get; } = counters;

    public bool Has(string name) => Counters.ContainsKey(name);
    public ulong this[string name] => Counters.GetValueOrDefault(name);

    public ulong PgpromoteSuccess => this["pgpromote_success"];
    public ulong PgdemoteKswapd => this["pgdemote_kswapd"];
    public ulong PgdemoteDirect => this["pgdemote_direct"];
    public ulong PgdemoteKhugepaged => this["pgdemote_khugepaged"];
    public ulong PgmigrateSuccess => this["pgmigrate_success"];
    public ulong PgmigrateFail => this["pgmigrate_fail"];
    public ulong NumaHintFaults => this["numa_hint_faults"];
    public ulong NumaPagesMigrated => this["numa_pages_migrated"];

    /// <summary>Pages demoted by any path (kswapd, direct reclaim, khugepaged).</summary>
    public ulong PgdemoteTotal => PgdemoteKswapd + PgdemoteDirect + PgdemoteKhugepaged;

    public static VmstatSnapshot Read(string path = DefaultPath) => Parse(LinuxFiles.ReadText(path), path);

    public static VmstatSnapshot Parse(string text, string path) => new(NameValueLines.Parse(text, path));

    /// <summary>
    /// This snapshot minus an earlier one, counter by counter. Gauges (nr_free_pages) can go down:
    /// their delta is clamped at 0, so read gauges from a snapshot, not from a delta.
    /// </summary>
    public VmstatSnapshot Delta(VmstatSnapshot earlier)
    {
        var d = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var (k, v) in Counters)
        {
            ulong before = earlier.Counters.GetValueOrDefault(k);
            d[k] = v >= before ? v - before : 0;
        }
        return new VmstatSnapshot(d);
    }
}
