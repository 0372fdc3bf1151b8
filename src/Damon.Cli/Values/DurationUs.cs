using System.Globalization;

namespace Damon.Cli.Values;

/// <summary>
/// A parsed duration option's value in microseconds. A type of its own so that `--help` shows
/// defaults as durations ("10 s"), not as the microsecond counts they are stored as.
/// </summary>
public readonly record struct DurationUs(ulong Us)
{
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        if (Us == 0) return "0";
        if (Us % 1_000_000 == 0 || Us >= 1_000_000) return string.Create(inv, $"{Us / 1e6:0.######} s");
        if (Us % 1_000 == 0 || Us >= 1_000) return string.Create(inv, $"{Us / 1e3:0.###} ms");
        return string.Create(inv, $"{Us} us");
    }
}
