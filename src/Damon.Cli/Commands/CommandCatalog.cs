using System.CommandLine;

namespace Damon.Cli.Commands;

/// <summary>Every top-level verb, in the order `damon --help` lists them.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return DemoCommand.Create();
        yield return SimCommand.Create();
        yield return RecordCommand.Create();
        yield return StartCommand.Create();
        yield return TuneCommand.Create();
        yield return StopCommand.Create();
        yield return StatusCommand.Create();
        yield return ReportCommand.Create();
        yield return AdjustCommand.Create();
        yield return ConvertRecordFormatCommand.Create();
        yield return ArgsCommand.Create();
        yield return TopologyCommand.Create();
        yield return NumastatCommand.Create();
        yield return BenchCommand.Create();
        yield return VersionCommand.Create();
    }
}
