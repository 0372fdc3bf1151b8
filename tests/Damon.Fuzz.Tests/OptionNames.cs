using System.CommandLine;
using Damon.Cli.Commands;

namespace Damon.Fuzz.Tests;

/// <summary>
/// Option spellings looked up in the real command tree, so the suite keeps working while an
/// option is renamed to damo's underscore style.
/// </summary>
internal static class OptionNames
{
    public static string TierParams { get; } = Find(["bench", "tiering"], "--tier_params", "--tier-params");

    private static string Find(string[] verb, params string[] spellings)
    {
        Command command = CommandCatalog.All().Single(c => c.Name == verb[0]);
        foreach (var name in verb[1..])
            command = command.Subcommands.Single(c => c.Name == name);
        foreach (var spelling in spellings)
            if (command.Options.Any(o => o.Name == spelling || o.Aliases.Contains(spelling)))
                return spelling;
        throw new InvalidOperationException($"damon {string.Join(' ', verb)} has none of {string.Join(", ", spellings)}");
    }
}
