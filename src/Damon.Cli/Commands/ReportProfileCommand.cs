using System.CommandLine;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon report profile</c>: damo runs <c>perf report</c> on a CPU profile restricted to the
/// times a pattern held. damon records no CPU profile (there is no perf data in its records), so
/// this verb accepts damo's options and says so, pointing at <c>report times</c>.
/// </summary>
public static class ReportProfileCommand
{
    public static Command Create()
    {
        var inputs = ReportTimesCommand.ProfileInputs();
        var perfPath = new Option<string>("--perf_path") { Description = "Path of the perf tool", DefaultValueFactory = _ => "perf" };
        var filters = new RecordFilterOptions();
        var command = new Command("profile", "Show hotspot functions for a specific access pattern (needs a perf CPU profile)") { inputs, perfPath };
        filters.AddTo(command);
        command.SetAction(int (parseResult) =>
        {
            var given = parseResult.GetValue(inputs);
            string profile = given is { Length: 2 } ? given[1] : RecordInput.DefaultPath + ".profile";
            throw new UserError($"report profile: {profile}: damon records hold no perf CPU profile; " +
                "use 'damon report times' for the intervals and pass them to 'perf report --time' on a real profile");
        });
        return command;
    }
}
