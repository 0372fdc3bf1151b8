using System.CommandLine;

namespace Damon.Cli.Commands;

/// <summary>Every top-level verb, in the order `damon --help` lists them.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return DemoCommand.Create();
        yield return ReportCommand.Create();
        yield return AdjustCommand.Create();
        yield return ConvertRecordFormatCommand.Create();
        yield return ArgsCommand.Create();
    }
}
