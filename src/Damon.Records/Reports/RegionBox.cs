using Damon.Records.Model;

namespace Damon.Records.Reports;

/// <summary>
/// The <c>&lt;box&gt;</c> of damo's simple-boxes, hot and cold styles: a right-aligned bar whose
/// length is the region's age on a log scale (1-40 columns, relative to every region shown) and
/// whose digit and colour are its access rate on a linear 0-9 scale.
/// </summary>
public sealed class RegionBox
{
    private const int MinLength = 1;
    private const int MaxLength = 40;
    private const string Colorset = "emotion";

    private readonly double _minAgeUs, _maxAgeUs, _minPercent, _maxPercent;

    public RegionBox(IReadOnlyList<DamonRecord> records)
    {
        var ages = new List<double>();
        var percents = new List<double>();
        foreach (var record in records)
            foreach (var snapshot in record.Snapshots)
                foreach (var region in snapshot.Regions)
                {
                    ages.Add(region.AgeUsec ?? 0);
                    percents.Add(region.NrAccessesPercent ?? 0);
                }
        if (ages.Count == 0) return;
        _minAgeUs = ages.Min();
        _maxAgeUs = ages.Max();
        _minPercent = percents.Min();
        _maxPercent = percents.Max();
    }

    public string Render(DamonRegion region)
    {
        int length = (int)Rescale(region.AgeUsec ?? 0, _minAgeUs, _maxAgeUs, MinLength, MaxLength, logscale: true);
        int level = (int)Rescale(region.NrAccessesPercent ?? 0, _minPercent, _maxPercent, 0, AsciiColor.MaxLevel, logscale: false);
        var digits = new string((char)('0' + Math.Clamp(level, 0, 9)), Math.Max(length, 0));
        return new string(' ', Math.Max(MaxLength - length, 0)) + "|" + AsciiColor.Colored(digits, Colorset, level) + "|";
    }

    /// <summary>damo's rescale: log2 (as log(x)/log(2), like Python's math.log(x, 2)) with 0 for non-positive values.</summary>
    internal static double Rescale(double value, double min, double max, double newMin, double newMax, bool logscale)
    {
        if (logscale)
        {
            static double Log2(double v) => v > 0 ? Math.Log(v) / Math.Log(2) : 0;
            value = Log2(value);
            min = Log2(min);
            max = Log2(max);
        }
        double origLength = max - min;
        double ratio = origLength > 0 ? (newMax - newMin) / origLength : 1;
        return (value - min) * ratio + newMin;
    }
}
