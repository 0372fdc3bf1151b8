using System.CommandLine;
using Damon.Records.Reports;

namespace Damon.Cli.Commands;

/// <summary><c>damon report times</c>: when the record had the access pattern the filters describe (damo's report times).</summary>
public static class ReportTimesCommand
{
    public static Command Create()
    {
        var inputs = ProfileInputs();
        var filters = new RecordFilterOptions();
        var command = new Command("times", "Show the times of the record having a specific access pattern") { inputs };
        filters.AddTo(command);
        command.SetAction(parseResult =>
        {
            var records = RecordInput.Load(AccessInput(parseResult.GetValue(inputs)));
            filters.Parse(parseResult).Apply(records);
            parseResult.InvocationConfiguration.Output.Write(RecordInput.Report(() => TimesReport.Render(records)));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>damo's <c>--inputs &lt;access record&gt; &lt;profile&gt;</c>, shared with <c>report profile</c>; the profile may be left out.</summary>
    internal static Option<string[]> ProfileInputs() => new("--inputs")
    {
        Description = "Access pattern record and CPU profile files (damon.data damon.data.profile)",
        AllowMultipleArgumentsPerToken = true,
        Arity = new ArgumentArity(1, 2),
        DefaultValueFactory = _ => [RecordInput.DefaultPath, RecordInput.DefaultPath + ".profile"],
    };

    internal static string AccessInput(string[]? inputs) => inputs is { Length: > 0 } ? inputs[0] : RecordInput.DefaultPath;
}
