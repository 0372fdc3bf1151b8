using System.CommandLine;
using Damon.Cli.Values;
using System.Globalization;
using Damon.Records.Reports;
using Damon.Records.Text;

namespace Damon.Cli.Commands;

/// <summary>
/// damo's record filter options (<c>--sz_region</c>, <c>--access_rate</c>, <c>--age</c>,
/// <c>--address</c>, <c>--snapshot_idx</c>), shared by <c>report access</c> and <c>adjust</c>.
/// </summary>
internal sealed class RecordFilterOptions
{
    private readonly Option<string[]> _szRegion = Range("--sz_region", "Min/max size of regions to keep (bytes, e.g. 4K max)");
    private readonly Option<string[]> _accessRate = Range("--access_rate", "Min/max access rate of regions to keep (percent)");
    private readonly Option<string[]> _age = Range("--age", "Min/max age of regions to keep (seconds)");
    private readonly Option<string[]> _address = new("--address")
    {
        Description = "Address range to keep (<start> <end>); regions crossing it are clipped; repeatable",
        AllowMultipleArgumentsPerToken = true,
        Arity = ArgumentArity.OneOrMore,
    };
    private readonly Option<string[]> _szSnapshot = new("--sz_snapshot")
    {
        Description = "Min/max total size of the snapshots to keep (<min> <max>); repeatable",
        AllowMultipleArgumentsPerToken = true,
        Arity = ArgumentArity.OneOrMore,
    };
    private readonly Option<string[]> _snapshotTime = new("--snapshot_time")
    {
        Description = "Keep snapshots within these absolute times (<start ns> <end ns>); repeatable",
        AllowMultipleArgumentsPerToken = true,
        Arity = ArgumentArity.OneOrMore,
    };
    private readonly Option<string[]> _temperature = new("--temperature")
    {
        Description = "Min/max temperature of the regions to keep (<min> <max>); repeatable",
        AllowMultipleArgumentsPerToken = true,
        Arity = ArgumentArity.OneOrMore,
    };
    private readonly Option<int[]> _snapshotIdx = OptionValues.Integers("--snapshot_idx", "Index range of the snapshots to keep (<start> <end>)",
        new ArgumentArity(2, 2), int.MinValue, int.MaxValue);

    public void AddTo(Command command)
    {
        command.Options.Add(_szRegion);
        command.Options.Add(_accessRate);
        command.Options.Add(_age);
        command.Options.Add(_address);
        command.Options.Add(_szSnapshot);
        command.Options.Add(_snapshotTime);
        command.Options.Add(_snapshotIdx);
        command.Options.Add(_temperature);
    }

    /// <param name="temperatureWeights">weights <c>--temperature</c> uses (report access's own weights, else damo's default)</param>
    public RecordFilter Parse(ParseResult parseResult, IReadOnlyList<double>? temperatureWeights = null)
    {
        var filter = new RecordFilter();
        if (temperatureWeights is not null) filter.TemperatureWeights = temperatureWeights;
        if (parseResult.GetValue(_szRegion) is { Length: > 0 } sz)
            filter.SzRegion = (Bytes(sz[0], "--sz_region"), Bytes(sz[1], "--sz_region"));
        if (parseResult.GetValue(_accessRate) is { Length: > 0 } ar)
            filter.AccessRatePercent = (Percent(ar[0]), Percent(ar[1]));
        if (parseResult.GetValue(_age) is { Length: > 0 } ag)
            filter.AgeUs = (Seconds(ag[0]) * 1e6, Seconds(ag[1]) * 1e6);
        if (parseResult.GetValue(_address) is { Length: > 0 } addr)
        {
            if (addr.Length % 2 != 0) throw new UserError("--address takes <start> <end> pairs", ExitCodes.UsageError);
            var ranges = new List<(long, long)>();
            for (int i = 0; i < addr.Length; i += 2)
            {
                long start = Bytes(addr[i], "--address"), end = Bytes(addr[i + 1], "--address");
                if (start > end) throw new UserError($"wrong --address range {addr[i]} {addr[i + 1]}: start > end", ExitCodes.UsageError);
                ranges.Add((start, end));
            }
            ranges.Sort();
            for (int i = 1; i < ranges.Count; i++)
                if (ranges[i - 1].Item2 > ranges[i].Item1) throw new UserError("wrong --address ranges: they overlap", ExitCodes.UsageError);
            filter.AddressRanges = ranges;
        }
        if (parseResult.GetValue(_snapshotIdx) is { Length: > 0 } si) filter.SnapshotIndexRanges = [(si[0], si[1])];
        if (parseResult.GetValue(_szSnapshot) is { Length: > 0 } ss)
            filter.SnapshotSzRanges = SortedRanges(Pairs(ss, "--sz_snapshot").Select(p => (Bytes(p.Item1, "--sz_snapshot"), Bytes(p.Item2, "--sz_snapshot"))), "--sz_snapshot");
        if (parseResult.GetValue(_snapshotTime) is { Length: > 0 } st)
            filter.SnapshotTimeRanges = Pairs(st, "--snapshot_time").Select(p => (Ns(p.Item1), Ns(p.Item2))).ToList();
        if (parseResult.GetValue(_temperature) is { Length: > 0 } te)
            filter.TemperatureRanges = Pairs(te, "--temperature").Select(p => (Temperature(p.Item1), Temperature(p.Item2))).ToList();
        return filter;
    }

    private static List<(string, string)> Pairs(string[] values, string option)
    {
        if (values.Length % 2 != 0) throw new UserError($"{option} takes <min> <max> pairs", ExitCodes.UsageError);
        var pairs = new List<(string, string)>();
        for (int i = 0; i < values.Length; i += 2) pairs.Add((values[i], values[i + 1]));
        return pairs;
    }

    private static List<(long, long)> SortedRanges(IEnumerable<(long Min, long Max)> ranges, string option)
    {
        var sorted = ranges.OrderBy(r => r.Min).ToList();
        for (int i = 0; i < sorted.Count; i++)
        {
            if (sorted[i].Min > sorted[i].Max) throw new UserError($"wrong {option}: start > end", ExitCodes.UsageError);
            if (i > 0 && sorted[i - 1].Max > sorted[i].Min) throw new UserError($"wrong {option}: ranges overlap", ExitCodes.UsageError);
        }
        return sorted.Select(r => (r.Min, r.Max)).ToList();
    }

    private static long Ns(string text)
    {
        if (!DamoText.TryNs(DamoValueText.Checked(text, "--snapshot_time"), out var v) || v < 0)
            throw new UserError($"--snapshot_time {text}: not a time (a bare number is ns; e.g. 5 ms, 1 s)", ExitCodes.UsageError);
        return v >= long.MaxValue ? long.MaxValue : (long)v;
    }

    private static double Temperature(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new UserError($"--temperature {text}: not a whole number", ExitCodes.UsageError);

    private static Option<string[]> Range(string name, string description) => new(name)
    {
        Description = description,
        AllowMultipleArgumentsPerToken = true,
        Arity = new ArgumentArity(2, 2),
    };

    private static long Bytes(string text, string option)
    {
        if (!DamoText.TryBytes(DamoValueText.Checked(text, option), out var v) || v < 0)
            throw new UserError($"{option} {text}: not a size (e.g. 4096, 4K, 1.5 GiB, max)", ExitCodes.UsageError);
        return v >= long.MaxValue ? long.MaxValue : (long)v;
    }

    private static double Percent(string text)
    {
        if (!DamoText.TryPercent(DamoValueText.Checked(text, "--access_rate"), out var v))
            throw new UserError($"--access_rate {text}: not a percentage (e.g. 50, 50%, max)", ExitCodes.UsageError);
        return v >= DamoText.UlongMax ? double.MaxValue : (double)v;
    }

    /// <summary>Seconds as damo documents them ("5", "1.5", "min", "max") or a time with units ("500 ms").</summary>
    private static double Seconds(string text)
    {
        DamoValueText.Checked(text, "--age");
        if (text == "min") return 0;
        if (text == "max") return double.MaxValue / 1e7;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0) return s;
        if (DamoText.TryNs(text, out var ns) && ns >= 0) return (double)ns / 1e9;
        throw new UserError($"--age {text}: not a time (a bare number is seconds; e.g. 5, 1.5, 500 ms, max)", ExitCodes.UsageError);
    }
}
