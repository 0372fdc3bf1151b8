using System.Text;
using Damon.Records.Model;
using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>
/// A time x address grid of access frequency built from a record. Each region of each snapshot
/// adds frequency x (overlapping time) x (overlapping bytes) to every pixel it overlaps, and a
/// pixel holds the average over its own time and space. Frequency is in hz when the record has
/// intervals, otherwise in samples.
///
/// Accounting rule (see docs/heatmap-accounting.md): a region's observation window starts
/// <c>age</c> aggregation intervals before its snapshot, but never before the previous snapshot
/// ended. damo v3.3.0 clipped only the range of rows it visited, not the time it credited inside a
/// pixel, so a region of age N was counted again for time earlier snapshots had already covered.
/// </summary>
public sealed class Heatmap
{
    /// <summary>Largest picture drawn (2048 x 2048): the grid alone is 8 bytes a pixel.</summary>
    public const long MaxPixels = 1L << 22;

    public PyNum TimeStartNs { get; }
    public PyNum TimeUnitNs { get; }
    public int TimeResolution { get; }
    public long AddrStart { get; }
    public long AddrUnit { get; }
    public int AddrResolution { get; }
    /// <summary>"hz" or "samples".</summary>
    public string HeatUnit { get; }
    /// <summary>[time row, address column]; NaN where nothing was observed.</summary>
    public double[,] Heats { get; }

    private Heatmap(PyNum timeStartNs, PyNum timeUnitNs, int timeResol, long addrStart, long addrUnit, int addrResol, string heatUnit)
    {
        TimeStartNs = timeStartNs;
        TimeUnitNs = timeUnitNs;
        TimeResolution = timeResol;
        AddrStart = addrStart;
        AddrUnit = addrUnit;
        AddrResolution = addrResol;
        HeatUnit = heatUnit;
        Heats = new double[timeResol, addrResol];
        for (int i = 0; i < timeResol; i++)
            for (int j = 0; j < addrResol; j++)
                Heats[i, j] = double.NaN;
    }

    /// <summary>Start time of a row, truncated to an integer as damo does.</summary>
    public long PixelTimeNs(int row) => (TimeStartNs + row * TimeUnitNs).Truncate();
    public long PixelAddr(int col) => AddrStart + col * AddrUnit;

    public static Heatmap Build(IReadOnlyList<DamonRecord> records, (PyNum Start, PyNum End) timeRange, (long Start, long End) addrRange,
        (int Time, int Addr) resolution, bool dfPassed)
    {
        string heatUnit = records.Any(r => r.Intervals is not null) ? "hz" : "samples";
        var map = Create(timeRange, addrRange, resolution, heatUnit);
        foreach (var record in records)
            foreach (var snapshot in record.Snapshots)
                map.Add(snapshot, record.Intervals, dfPassed);
        return map;
    }

    /// <summary>An empty map, checked and allocated up front; snapshots are then <see cref="Add"/>ed in time order.</summary>
    /// <param name="heatUnit">"hz" when the target's records have intervals, else "samples"</param>
    public static Heatmap Create((PyNum Start, PyNum End) timeRange, (long Start, long End) addrRange, (int Time, int Addr) resolution,
        string heatUnit)
    {
        if (resolution.Time <= 0 || resolution.Addr <= 0)
            throw new ReportException("heatmap resolution must be positive");
        if ((long)resolution.Time * resolution.Addr > MaxPixels)
            throw new ReportException($"heatmap resolution {resolution.Time}x{resolution.Addr} is over {MaxPixels} pixels");
        var timeUnit = (timeRange.End - timeRange.Start).FloorDiv(resolution.Time);
        long addrUnit = PyNum.Int(addrRange.End - addrRange.Start).FloorDiv(resolution.Addr).Truncate();
        if (timeUnit.AsDouble <= 0)
            throw new ReportException($"time range of {timeRange.End - timeRange.Start} ns is too short for {resolution.Time} rows");
        if (addrUnit <= 0)
            throw new ReportException($"address range of {addrRange.End - addrRange.Start} bytes is too small for {resolution.Addr} columns");
        return new Heatmap(timeRange.Start, timeUnit, resolution.Time, addrRange.Start, addrUnit, resolution.Addr, heatUnit);
    }

    /// <summary>End time of the snapshot added last: all the map keeps of it (the accounting rule below).</summary>
    private long? _lastEndTimeNs;

    /// <summary>Adds one snapshot of the target, the next in time order after those added before.</summary>
    public void Add(DamonSnapshot snapshot, DamonIntervals? intervals, bool dfPassed)
    {
        AddHeat(snapshot, _lastEndTimeNs, intervals, dfPassed);
        _lastEndTimeNs = snapshot.EndTimeNs;
    }

    /// <summary>A region's age in ns, saturated: a corrupt age must not wrap around into the future.</summary>
    internal static long AgeNs(long ageAggrIntervals, long aggrUs)
    {
        Int128 ns = (Int128)ageAggrIntervals * aggrUs * 1000;
        const long limit = long.MaxValue / 4;
        return (long)Int128.Clamp(ns, -limit, limit);
    }

    private int RowOf(PyNum timeNs) => (int)Math.Clamp(Math.Truncate((timeNs - TimeStartNs).AsDouble / TimeUnitNs.AsDouble), int.MinValue, int.MaxValue);
    private int ColOf(long addr) => (int)Math.Clamp(Math.Truncate((double)(addr - AddrStart) / AddrUnit), int.MinValue, int.MaxValue);

    private void AddHeat(DamonSnapshot snapshot, long? lastEndTimeNs, DamonIntervals? intervals, bool dfPassed)
    {
        long addrEnd = AddrStart + AddrUnit * AddrResolution;
        foreach (var region in snapshot.Regions)
        {
            if (region.End < AddrStart || addrEnd < region.Start) continue;
            PyNum observeStartNs = snapshot.StartTime;
            if (intervals is not null)
                observeStartNs -= AgeNs(region.AgeAggrIntervals ?? 0, intervals.EffectiveAggrUs);
            // The corrected rule: time before the previous snapshot's end was already accounted by it.
            if (lastEndTimeNs is long lastEnd)
                observeStartNs = PyNum.Max(observeStartNs, PyNum.Min(lastEnd, snapshot.StartTime));

            double heatVal;
            if (intervals is not null)
                heatVal = AccessMetrics.AccessHz(region, AccessMetrics.AggrUs(snapshot, intervals));
            else
                heatVal = region.NrAccessesSamples ?? 0;
            if (dfPassed)
                heatVal = region.Sz == 0 ? 0 : heatVal * (region.SzFilterPassed ?? 0) / region.Sz;
            bool integerHeat = intervals is null && !dfPassed;

            // Clamped to the picture, so the work is rows x columns at most however long the region
            // lived or however wide it is (a region 0..2^62 must not be walked column by column).
            int firstRow = Math.Max(RowOf(observeStartNs), 0), lastRow = Math.Min(RowOf(snapshot.EndTimeNs), TimeResolution - 1);
            int firstCol = Math.Max(ColOf(region.Start), 0), lastCol = Math.Min(ColOf(region.End), AddrResolution - 1);
            for (int row = firstRow; row <= lastRow; row++)
                for (int col = firstCol; col <= lastCol; col++)
                    AddPixelHeat(row, col, region, snapshot, observeStartNs, heatVal, integerHeat);
        }
    }

    private void AddPixelHeat(int row, int col, DamonRegion region, DamonSnapshot snapshot, PyNum observeStartNs, double heatVal, bool integerHeat)
    {
        long pixelTime = PixelTimeNs(row), pixelAddr = PixelAddr(col);
        var accountTime = PyNum.Min(snapshot.EndTimeNs, pixelTime + TimeUnitNs) - PyNum.Max(observeStartNs, pixelTime);
        long accountSz = Math.Min(region.End, pixelAddr + AddrUnit) - Math.Max(region.Start, pixelAddr);
        double pixelTimeSpace = TimeUnitNs.IsFloat ? TimeUnitNs.AsDouble * AddrUnit : (double)((Int128)TimeUnitNs.Truncate() * AddrUnit);
        // Same operation order and integer/float mix as damo, so shared cases print identical numbers.
        double heat = integerHeat && !accountTime.IsFloat
            ? (double)((Int128)(long)heatVal * accountTime.Truncate() * accountSz)
            : heatVal * accountTime.AsDouble * accountSz;
        double previous = Heats[row, col];
        if (!double.IsNaN(previous)) heat += previous * pixelTimeSpace;
        Heats[row, col] = heat / pixelTimeSpace;
    }

    public (double Highest, double Lowest)? HighestLowest()
    {
        double? highest = null, lowest = null;
        foreach (var heat in Heats)
        {
            if (double.IsNaN(heat)) continue;
            if (highest is null || highest < heat) highest = heat;
            if (lowest is null || lowest > heat) lowest = heat;
        }
        return highest is null ? null : (highest.Value, lowest!.Value);
    }

    /// <summary>damo's <c>--output raw</c>: "time\taddr\theat" per pixel, row by row.</summary>
    public string ToRawText(bool absTime, bool absAddr)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < TimeResolution; i++)
            for (int j = 0; j < AddrResolution; j++)
            {
                PyNum time = PixelTimeNs(i);
                long addr = PixelAddr(j);
                if (!absTime) time -= TimeStartNs;
                if (!absAddr) addr -= AddrStart;
                if (sb.Length > 0) sb.Append('\n');
                double heat = Heats[i, j];
                sb.Append(time).Append('\t').Append(addr).Append('\t').Append(double.IsNaN(heat) ? "NaN" : PyFormat.Repr(heat));
            }
        return sb.ToString();
    }

    /// <summary>damo's terminal heatmap: one coloured digit per pixel, then the legend and axes lines.</summary>
    public string ToTerminalText(string colorset, bool printColorset)
    {
        var lines = new List<string>();
        var extremes = HighestLowest();
        if (extremes is var (highest, lowest))
        {
            double heatUnit = (highest + 1 - lowest) / 9;
            for (int i = 0; i < TimeResolution; i++)
            {
                var sb = new StringBuilder();
                for (int j = 0; j < AddrResolution; j++)
                {
                    double heat = Heats[i, j];
                    if (double.IsNaN(heat))
                    {
                        sb.Append(AsciiColor.Start(colorset, 4)).Append(' ');
                        continue;
                    }
                    int level = Math.Min((int)((heat - lowest) / heatUnit), AsciiColor.MaxLevel);
                    sb.Append(AsciiColor.Start(colorset, level)).Append(level);
                }
                lines.Add(sb + AsciiColor.End);
            }
            if (printColorset)
                lines.Add($"# access_frequency: {AsciiColor.Samples(colorset)} ({PyFormat.F(lowest, 3)}-{PyFormat.F(highest, 3)} {HeatUnit})");
        }
        else if (printColorset)
        {
            // damo fails on an empty map; say so instead.
            lines.Add("# access_frequency: no access observed in the ranges");
        }
        long addrLen = AddrUnit * AddrResolution;
        lines.Add($"# x-axis: space [{DamoFormat.SzAccurate(AddrStart, false)}, {DamoFormat.SzAccurate(AddrStart + addrLen, false)}) ({DamoFormat.Sz(addrLen, false)})");
        var timeLen = TimeUnitNs * TimeResolution;
        lines.Add($"# y-axis: time [{DamoFormat.TimeNs(TimeStartNs, false)}, {DamoFormat.TimeNs(TimeStartNs + timeLen, false)}) ({DamoFormat.TimeNs(timeLen, false)})");
        lines.Add($"# resolution: {AddrResolution}x{TimeResolution} ({DamoFormat.Sz((double)addrLen / AddrResolution, false)} and {DamoFormat.TimeNs(timeLen.AsDouble / TimeResolution, false)} for each character)");
        return string.Join("\n", lines);
    }
}
