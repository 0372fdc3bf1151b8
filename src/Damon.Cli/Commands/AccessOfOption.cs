using System.CommandLine;
using Damon.Records.Model;
using Damon.Records.Reports;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>--access_of KEY</c> of <c>report access</c> and <c>report heatmap</c>: count only the
/// accesses of one CPU, node or thread, or only writes or reads (<see cref="AccessOf"/>).
/// </summary>
internal sealed class AccessOfOption
{
    public Option<string> Option { get; } = new("--access_of")
    {
        Description = "Count only these accesses of the record's per-region breakdown: " + AccessOf.Syntax
            + " (records made with --sample_primitives page_fault)",
        HelpName = "key",
    };

    /// <summary>The key given, checked before any record is read (exit 2 when it is not one).</summary>
    public AccessOf? Parse(ParseResult parse)
    {
        if (parse.GetValue(Option) is not { } text) return null;
        return AccessOf.TryParse(text, out var error) ?? throw new UserError($"--access_of {text}: {error}", ExitCodes.UsageError);
    }

    /// <summary>The records counting only <paramref name="key"/>'s accesses; a record without the breakdown is an input error naming <paramref name="input"/>.</summary>
    public static List<DamonRecord> Apply(AccessOf? key, List<DamonRecord> records, string input) =>
        key is null ? records : RecordInput.Report(() => key.Apply(records), input);
}
