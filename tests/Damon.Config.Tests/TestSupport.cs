using System.CommandLine;
using Damon.Cli;
using Damon.Cli.Commands;
using Damon.Config.Args;
using Damon.Config.Schema;
using Damon.Core.Monitoring;
using Damon.Core.Operations;

namespace Damon.Config.Tests;

/// <summary>
/// The physical layout damo read from /proc/iomem on the machine where the golden outputs were
/// made (System RAM [4096, 25 GiB)), so paddr defaults compare equal.
/// </summary>
internal static class GoldenMachineLayout
{
    public static StaticMemoryLayout Create() => new([new AddrRange(4096, 26_843_545_600)], new Dictionary<int, AddrRange>
    {
        [0] = new(4096, 1UL << 33),
        [1] = new(1UL << 33, 1UL << 34),
    });
}

internal static class Golden
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Golden");

    public static string Read(string name) => File.ReadAllText(Path.Combine(Dir, name));

    /// <summary>(name, damo arguments) of every case whose damo output is checked in.</summary>
    public static IEnumerable<(string Name, string[] Args)> Cases() =>
        File.ReadAllLines(Path.Combine(Dir, "cases.txt"))
            .Where(l => !l.StartsWith('#') && l.Contains('|'))
            .Select(l => (l[..l.IndexOf('|')], Split(l[(l.IndexOf('|') + 1)..])));

    private static string[] Split(string args) => args.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string[] Args(string name) => Cases().Single(c => c.Name == name).Args;
}
