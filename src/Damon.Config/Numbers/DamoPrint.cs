using System.Globalization;
using System.Numerics;
using System.Text;
using Damon.Records.Text;

namespace Damon.Config.Numbers;

/// <summary>
/// damo's human-number printers as `args damon` uses them ("5 ms", "200.000 MiB", "max", "0 %",
/// permil shown as percent). The shared damo printers of Damon.Records do the work where they fit;
/// the exact-duration form and the config's raw form (plain integers in the field's own unit) are
/// here. <c>raw</c> is damo's <c>--raw</c>.
/// </summary>
public static class DamoPrint
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static string Digits(ulong v) => v.ToString(Inv);

    /// <summary>format_nr: thousands commas.</summary>
    public static string Nr(ulong v, bool raw) => raw ? Digits(v) : DamoFormat.Nr((decimal)v, false);

    /// <summary>format_sz: "0 B", "4.000 KiB", "200.000 MiB", "max".</summary>
    public static string Sz(ulong bytes, bool raw) => raw ? Digits(bytes) : DamoFormat.Sz(bytes, false);

    /// <summary>format_sz_accurate (six decimals), used for addr_unit.</summary>
    public static string SzAccurate(ulong bytes, bool raw) => raw ? Digits(bytes) : DamoFormat.SzAccurate(bytes, false);

    /// <summary>format_addr_range: "[4,096, 8,192) (4.000 KiB)".</summary>
    public static string AddrRange(ulong start, ulong end, bool raw) =>
        $"[{Nr(start, raw)}, {Nr(end, raw)}) ({Sz(end - start, raw)})";

    /// <summary>format_time_us: "5 ms", "1 m 11.500 s", "max".</summary>
    public static string TimeUs(ulong us, bool raw) => raw ? Digits(us) : DamoFormat.TimeNs(us * 1000.0, false);

    /// <summary>format_time_ms.</summary>
    public static string TimeMs(ulong ms, bool raw) => raw ? Digits(ms) : DamoFormat.TimeNs(ms * 1_000_000.0, false);

    /// <summary>format_time_us_exact: every unit spelled out, "1 m 11 s 500 ms".</summary>
    public static string TimeUsExact(ulong us, bool raw) => raw ? Digits(us) : TimeNsExact(new BigInteger(us) * 1000);

    /// <summary>format_time_ms_exact.</summary>
    public static string TimeMsExact(ulong ms, bool raw) => raw ? Digits(ms) : TimeNsExact(new BigInteger(ms) * 1_000_000);

    private static readonly (long Ns, string Unit)[] ExactUnits =
    [
        (86_400_000_000_000, "d"), (3_600_000_000_000, "h"), (60_000_000_000, "m"),
        (1_000_000_000, "s"), (1_000_000, "ms"), (1_000, "us"), (1, "ns"),
    ];

    /// <summary>format_time_ns_min_unit with ns as the smallest unit.</summary>
    private static string TimeNsExact(BigInteger ns)
    {
        if (ns >= ulong.MaxValue) return "max";
        var sb = new StringBuilder();
        foreach (var (unitNs, unit) in ExactUnits)
        {
            if (ns < unitNs) continue;
            var nr = BigInteger.DivRem(ns, unitNs, out var rest);
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(DamoFormat.Nr((decimal)nr, false)).Append(' ').Append(unit);
            ns = rest;
            if (ns.IsZero) break;
        }
        return sb.Length == 0 ? "0 ns" : sb.ToString();
    }

    /// <summary>
    /// An access-rate bound as damo prints it: '%d' of the percent (so fractions are dropped), then
    /// " %". "max" parses to 2^64 - 1 and prints as that number.
    /// </summary>
    public static string Percent(double percent, bool raw)
    {
        string n = percent >= 18446744073709551615.0
            ? (raw ? Digits(ulong.MaxValue) : DamoFormat.Nr((decimal)ulong.MaxValue, false))
            : DamoFormat.Nr(percent, raw);
        return n + " %";
    }

    /// <summary>format_bp: basis points shown as percent, "0.5 %".</summary>
    public static string Bp(ulong bp, bool raw) => raw ? Digits(bp) : RatioPercent(bp / 100m);

    /// <summary>format_permil: permil shown as percent, "0.1 %".</summary>
    public static string Permil(ulong permil, bool raw) => raw ? Digits(permil) : RatioPercent(permil / 10m);

    /// <summary>
    /// format_ratio's layout (comma-grouped whole percent, then the fraction without trailing
    /// zeros) computed in decimal: damo's float version prints 2030 permil as "202 %".
    /// </summary>
    private static string RatioPercent(decimal percent)
    {
        var whole = decimal.Truncate(percent);
        var text = DamoFormat.Nr(whole, false);
        var fraction = (percent - whole).ToString("0.#######", Inv);
        return fraction == "0" ? text + " %" : text + fraction[1..] + " %";
    }
}
