using Damon.Sim.Workloads;

namespace Damon.Tiering.Scenarios;

/// <summary>
/// A scenario workload's transparent-huge-page mode, as /sys/kernel/mm/transparent_hugepage/enabled
/// would give it to the process (one process's setting here, where the kernel's is machine-wide):
/// <see cref="Always"/> makes every anonymous mapping THP-eligible at fault, <see cref="Never"/>
/// none, <see cref="Madvise"/> only the mappings the program marks itself (MADV_HUGEPAGE: the
/// catalog's <c>thp=true</c>). Madvise is the default, which leaves every workload as it was.
/// </summary>
public enum ThpMode
{
    Madvise,
    Always,
    Never,
}

public static class ThpModes
{
    public static IReadOnlyList<string> Names { get; } = ["always", "madvise", "never"];

    public static ThpMode? Parse(string s) => s switch
    {
        "always" => ThpMode.Always,
        "madvise" => ThpMode.Madvise,
        "never" => ThpMode.Never,
        _ => null,
    };

    /// <summary>The flags a mapping gets under <paramref name="mode"/> (file mappings are not anonymous THP's business).</summary>
    public static MapFlags Apply(ThpMode mode, MapFlags flags) =>
        (flags & MapFlags.File) != 0 ? flags : mode switch
        {
            ThpMode.Always => flags | MapFlags.Thp,
            ThpMode.Never => flags & ~MapFlags.Thp,
            _ => flags,
        };
}
