using System.Globalization;

namespace Damon.Records.Reports;

/// <summary>
/// Axis ticks of the heatmap images, in human units: time in seconds on a 1-2-5 step, addresses
/// on a power-of-two step labelled as hex (absolute) or as "+256 MiB" offsets. Every axis gets at
/// least <see cref="MinTicks"/> ticks, the coarsest step that still gives that many.
/// </summary>
public static class HeatmapAxes
{
    public const int MinTicks = 4;

    /// <summary>A tick at <paramref name="Fraction"/> of the axis length from its start (0-1).</summary>
    public sealed record Tick(double Fraction, string Label);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="startNs">the axis start as shown: 0 for relative time, the record's ns for absolute</param>
    public static List<Tick> TimeTicks(double startNs, double lengthNs)
    {
        if (!(lengthNs > 0)) return [new Tick(0, Seconds(startNs, 0))];
        // 1-2-5 steps from 1 ps to 1e19 ns: the first (coarsest) with enough ticks wins.
        for (int exp = 19; exp >= -3; exp--)
            foreach (int mantissa in new[] { 5, 2, 1 })
            {
                double step = mantissa * Math.Pow(10, exp);
                var ticks = Multiples(startNs, lengthNs, step);
                if (ticks.Count < MinTicks) continue;
                int decimals = Math.Max(0, 9 - exp);
                return ticks.ConvertAll(v => new Tick((v - startNs) / lengthNs, Seconds(v, decimals)));
            }
        return Quarters(startNs, lengthNs, v => Seconds(v, 12));
    }

    /// <param name="start">the axis start address; <paramref name="absolute"/> labels addresses in hex, otherwise offsets from it</param>
    public static List<Tick> AddrTicks(long start, long length, bool absolute)
    {
        string Label(double v) => absolute ? "0x" + ((long)v).ToString("x", Inv) : "+" + BinarySize(v - start);
        if (length <= 0) return [new Tick(0, Label(start))];
        for (int exp = 62; exp >= 0; exp--)
        {
            double step = Math.Pow(2, exp);
            // Offsets start at 0; absolute addresses sit on multiples of the step.
            var ticks = absolute ? Multiples(start, length, step) : Multiples(0, length, step).ConvertAll(v => v + start);
            if (ticks.Count >= MinTicks) return ticks.ConvertAll(v => new Tick((v - start) / length, Label(v)));
        }
        return Quarters(start, length, Label);
    }

    /// <summary>Ticks evenly spaced over an axis of values that need no unit (the colour bar).</summary>
    public static List<Tick> LinearTicks(double lowest, double highest, int count, Func<double, string> label)
    {
        var ticks = new List<Tick>(count);
        for (int i = 0; i < count; i++)
        {
            double f = (double)i / (count - 1);
            ticks.Add(new Tick(f, label(lowest + (highest - lowest) * f)));
        }
        return ticks;
    }

    private static List<double> Multiples(double start, double length, double step)
    {
        var values = new List<double>();
        double first = Math.Ceiling(start / step) * step;
        // Far more than MinTicks means a finer step is not needed; stop counting early.
        for (int i = 0; i <= 64; i++)
        {
            double v = first + i * step;
            if (v > start + length) break;
            values.Add(v);
        }
        return values;
    }

    private static List<Tick> Quarters(double start, double length, Func<double, string> label) =>
        LinearTicks(start, start + length, MinTicks, label);

    private static string Seconds(double ns, int decimals) => (ns / 1e9).ToString("F" + decimals.ToString(Inv), Inv) + " s";

    /// <summary>"0 B", "768 MiB", "1.5 GiB": the largest binary unit not above the value, up to 3 decimals.</summary>
    public static string BinarySize(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        int u = 0;
        while (u + 1 < units.Length && Math.Abs(bytes) >= Math.Pow(1024, u + 1)) u++;
        double value = bytes / Math.Pow(1024, u);
        return value.ToString("0.###", Inv) + " " + units[u];
    }
}
