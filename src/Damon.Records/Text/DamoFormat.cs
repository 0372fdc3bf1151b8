using System.Globalization;
using System.Text;

namespace Damon.Records.Text;

/// <summary>
/// damo's human-friendly number printers (binary size units, multi-unit durations, thousands
/// commas). <c>raw</c> switches to damo's machine-friendly plain integers.
/// </summary>
public static class DamoFormat
{
    /// <summary>2^64 - 1, the value damo prints as "max".</summary>
    public const double UlongMax = 18446744073709551615.0;

    private const double UsNs = 1000;
    private const double MsNs = 1000 * UsNs;
    private const double SecNs = 1000 * MsNs;
    private const double MinuteNs = 60 * SecNs;
    private const double HourNs = 60 * MinuteNs;

    public static string Nr(long nr, bool raw) => Nr((decimal)nr, raw);

    public static string Nr(double nr, bool raw)
    {
        if (nr < 0) return "-" + NrPositive(PyFormat.D(-nr), raw);
        return NrPositive(PyFormat.D(nr), raw);
    }

    public static string Nr(decimal nr, bool raw)
    {
        if (nr < 0) return "-" + NrPositive(decimal.Truncate(-nr).ToString(CultureInfo.InvariantCulture), raw);
        return NrPositive(decimal.Truncate(nr).ToString(CultureInfo.InvariantCulture), raw);
    }

    private static string NrPositive(string digits, bool raw)
    {
        if (raw || digits.Length <= 3) return digits;
        var sb = new StringBuilder();
        int head = digits.Length % 3;
        if (head > 0) sb.Append(digits, 0, head);
        for (int i = head; i < digits.Length; i += 3)
        {
            if (sb.Length > 0) sb.Append(',');
            sb.Append(digits, i, 3);
        }
        return sb.ToString();
    }

    public static string Sz(long szBytes, bool raw) => raw ? szBytes.ToString(CultureInfo.InvariantCulture) : Sz((double)szBytes, false);

    public static string Sz(ulong szBytes, bool raw) => raw ? szBytes.ToString(CultureInfo.InvariantCulture) : Sz((double)szBytes, false);

    public static string Sz(double szBytes, bool raw)
    {
        if (raw) return PyFormat.D(szBytes);
        if (szBytes == UlongMax) return "max";
        if (szBytes > Math.Pow(2, 60)) return PyFormat.F(szBytes / Math.Pow(2, 60), 3) + " EiB";
        if (szBytes > Math.Pow(2, 50)) return PyFormat.F(szBytes / Math.Pow(2, 50), 3) + " PiB";
        if (szBytes > Math.Pow(2, 40)) return PyFormat.F(szBytes / Math.Pow(2, 40), 3) + " TiB";
        if (szBytes > Math.Pow(2, 30)) return PyFormat.F(szBytes / Math.Pow(2, 30), 3) + " GiB";
        if (szBytes > Math.Pow(2, 20)) return PyFormat.F(szBytes / Math.Pow(2, 20), 3) + " MiB";
        if (szBytes > Math.Pow(2, 10)) return PyFormat.F(szBytes / Math.Pow(2, 10), 3) + " KiB";
        return PyFormat.D(szBytes) + " B";
    }

    /// <summary>Like <see cref="Sz"/> with six decimals; damo uses it for heatmap axes and guides.</summary>
    public static string SzAccurate(double szBytes, bool raw)
    {
        if (raw) return PyFormat.D(szBytes);
        if (szBytes == UlongMax) return "max";
        if (szBytes > Math.Pow(2, 60)) return PyFormat.F(szBytes / Math.Pow(2, 60), 6) + " EiB";
        if (szBytes > Math.Pow(2, 50)) return PyFormat.F(szBytes / Math.Pow(2, 50), 6) + " PiB";
        if (szBytes > Math.Pow(2, 40)) return PyFormat.F(szBytes / Math.Pow(2, 40), 6) + " TiB";
        if (szBytes > Math.Pow(2, 30)) return PyFormat.F(szBytes / Math.Pow(2, 30), 6) + " GiB";
        if (szBytes > Math.Pow(2, 20)) return PyFormat.F(szBytes / Math.Pow(2, 20), 6) + " MiB";
        if (szBytes > Math.Pow(2, 10)) return PyFormat.F(szBytes / Math.Pow(2, 10), 6) + " KiB";
        return PyFormat.D(szBytes) + " B";
    }

    /// <summary>Exact for raw output of 64-bit nanosecond timestamps (Python prints ints exactly).</summary>
    public static string TimeNs(long timeNs, bool raw) => raw ? timeNs.ToString(CultureInfo.InvariantCulture) : TimeNs((double)timeNs, false);

    public static string TimeNs(PyNum timeNs, bool raw) =>
        timeNs.IsFloat ? TimeNs(timeNs.AsDouble, raw) : TimeNs(timeNs.Truncate(), raw);

    public static string TimeNs(double timeNs, bool raw)
    {
        if (raw) return PyFormat.D(timeNs);
        string sign = "";
        if (timeNs < 0)
        {
            sign = "-";
            timeNs = -timeNs;
        }
        if (timeNs >= UlongMax) return sign + "max";

        if (timeNs >= HourNs)
        {
            double hour = Math.Truncate(timeNs / HourNs);
            string hourText = PyFormat.D(hour) + " h";
            double lessHourNs = timeNs - hour * HourNs;
            if (lessHourNs == 0) return sign + hourText;
            return sign + hourText + " " + TimeNs(lessHourNs, false);
        }
        if (timeNs >= MinuteNs)
        {
            if (timeNs % MinuteNs == 0) return sign + PyFormat.D(timeNs / MinuteNs) + " m";
            if (timeNs % SecNs == 0)
                return sign + PyFormat.D(timeNs / MinuteNs) + " m " + PyFormat.D(timeNs % MinuteNs / SecNs) + " s";
            return sign + PyFormat.D(timeNs / MinuteNs) + " m " + PyFormat.F(timeNs % MinuteNs / SecNs, 3) + " s";
        }
        if (timeNs >= SecNs) return sign + Unit(timeNs, SecNs, "s");
        if (timeNs >= MsNs) return sign + Unit(timeNs, MsNs, "ms");
        if (timeNs >= UsNs) return sign + Unit(timeNs, UsNs, "us");
        return sign + PyFormat.D(timeNs) + " ns";
    }

    private static readonly (long Ns, string Name)[] ExactUnits =
    [
        (86_400_000_000_000, "d"), (3_600_000_000_000, "h"), (60_000_000_000, "m"), (1_000_000_000, "s"),
        (1_000_000, "ms"), (1_000, "us"), (1, "ns"),
    ];

    /// <summary>damo's exact duration printer ("20,233 d 16 h 46 m 49 s 649 ms 802 us 240 ns").</summary>
    public static string TimeNsExact(PyNum timeNs, bool raw)
    {
        if (raw) return timeNs.IsFloat ? PyFormat.D(timeNs.AsDouble) : timeNs.ToString();
        string sign = "";
        if (timeNs < PyNum.Int(0))
        {
            sign = "-";
            timeNs = PyNum.Int(0) - timeNs;
        }
        if (timeNs.AsDouble >= UlongMax) return sign + "max";
        foreach (var (unitNs, name) in ExactUnits)
        {
            if (timeNs < PyNum.Int(unitNs)) continue;
            if (unitNs == 1)
            {
                if (timeNs.IsFloat && timeNs.AsDouble % 1 != 0) return sign + PyFormat.F(timeNs.AsDouble, 3) + " ns";
                return sign + PyFormat.D(timeNs.AsDouble) + " ns";
            }
            // Python divides the integers with correct rounding before truncating; decimal keeps that.
            long unitNr = timeNs.IsFloat
                ? (long)Math.Truncate(timeNs.AsDouble / unitNs)
                : (long)Math.Truncate((double)((decimal)timeNs.Truncate() / unitNs));
            string unitText = Nr(unitNr, false) + " " + name;
            var less = timeNs - PyNum.Int(unitNr) * PyNum.Int(unitNs);
            if (less.AsDouble == 0) return sign + unitText;
            return sign + unitText + " " + TimeNsExact(less, false);
        }
        return "0 ns";
    }

    public static string TimeUsExact(double timeUs, bool raw) =>
        raw ? PyFormat.D(timeUs) : TimeNsExact(timeUs == Math.Truncate(timeUs) && Math.Abs(timeUs) < 9e12 ? PyNum.Int((long)timeUs * 1000) : PyNum.Float(timeUs * 1000), false);

    private static string Unit(double timeNs, double unitNs, string unit) =>
        timeNs % unitNs == 0 ? PyFormat.D(timeNs / unitNs) + " " + unit : PyFormat.F(timeNs / unitNs, 3) + " " + unit;

    public static string TimeUs(double timeUs, bool raw) => raw ? PyFormat.D(timeUs) : TimeNs(timeUs * 1000, false);

    public static string Hz(double hz, bool raw, bool noSuffix = false)
    {
        if (raw) return PyFormat.F(hz, 6);
        string suffix = noSuffix ? "" : " hz";
        if (hz < 10 && hz != 0) return PyFormat.F(hz, 3) + suffix;
        return Nr(hz, false) + suffix;
    }

    public static string Percent(double percent, bool raw) => raw ? PyFormat.F(percent, 6) : Ratio(percent / 100);

    /// <summary>Basis points (1/10,000), shown as a percentage.</summary>
    public static string Bp(double bp, bool raw) => raw ? PyFormat.F(bp, 6) : Ratio(bp / 10000);

    /// <summary>damo's ratio printer: percent integer part with commas, then up to seven decimals without trailing zeros.</summary>
    private static string Ratio(double ratio)
    {
        double overPercent = Math.Truncate(ratio * 100);
        string overText = Nr(overPercent, false);
        double under = ratio * 100 % 1;
        if (under < 0) under += 1;
        string underText = PyFormat.F(under, 7).TrimEnd('0');
        underText = underText.Length > 2 ? underText[2..] : "";
        return underText.Length == 0 ? overText + " %" : overText + "." + underText + " %";
    }

    public static string AddrRange(long start, long end, bool raw) =>
        "[" + Nr(start, raw) + ", " + Nr(end, raw) + ") (" + Sz(end - start, raw) + ")";
}
