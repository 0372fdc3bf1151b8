using System.CommandLine;

namespace Damon.Cli.Values;

/// <summary>
/// <c>--range START STOP STEP</c> percentile options (Python's range()): refused on the command
/// line (exit 2) when the step is 0 or a percentile falls outside 0-100, rather than after the
/// record was read.
/// </summary>
internal static class PercentileRange
{
    public static (int Start, int Stop, int Step)? Read(ParseResult parse, Option<int[]> option)
    {
        if (parse.GetValue(option) is not { Length: 3 } r) return null;
        string name = parse.GetResult(option)?.IdentifierToken?.Value ?? option.Name;
        Check(r[0], r[1], r[2], $"{name} {r[0]} {r[1]} {r[2]}");
        return (r[0], r[1], r[2]);
    }

    /// <summary>Throws a usage error when range(start, stop, step) is not a list of percentiles.</summary>
    public static void Check(long start, long stop, long step, string shown)
    {
        if (step == 0)
            throw new UserError($"{shown}: the step must not be 0", ExitCodes.UsageError);
        long n = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
        if (n <= 0) return;
        long last = start + (n - 1) * step;
        if (start is < 0 or > 100 || last is < 0 or > 100)
            throw new UserError($"{shown}: percentiles must be within 0-100", ExitCodes.UsageError);
    }
}
