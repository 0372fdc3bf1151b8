using System.CommandLine;

namespace Damon.Cli.Commands;

/// <summary><c>damon report &lt;type&gt;</c>: damo-compatible views of record files.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var command = new Command("report", "Visualize recorded access patterns (damo-compatible report types)");
        command.Subcommands.Add(ReportAccessCommand.Create());
        command.Subcommands.Add(ReportWssCommand.Create());
        command.Subcommands.Add(ReportNrRegionsCommand.Create());
        command.Subcommands.Add(ReportHeatmapCommand.Create());
        command.Subcommands.Add(ReportRecordInfoCommand.Create());
        command.Subcommands.Add(ReportDamonCommand.Create());
        command.Subcommands.Add(ReportRawCommand.Create());
        command.Subcommands.Add(ReportFootprintsCommand.Create());
        command.Subcommands.Add(ReportTimesCommand.Create());
        command.Subcommands.Add(ReportProfileCommand.Create());
        return command;
    }
}
