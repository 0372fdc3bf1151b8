using System.CommandLine;
using Damon.Config;
using Damon.Config.Io;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon report damon --input FILE</c>: damo's kdamond / context / scheme tree with state,
/// stats and tried regions, from a saved status dump (e.g. <c>sim --report_damon --format json</c>).
/// </summary>
public static class ReportDamonCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Status file (JSON or YAML in the kdamonds schema)", Required = true };
        var format = DamonStatusFormat.CreateOption();
        var damonParams = new Option<bool>("--damon_params") { Description = "Show the parameters only, without state, stats and tried regions" };
        var raw = new Option<bool>("--raw_number", "--raw") { Description = "Print numbers as plain integers in each field's unit" };
        var command = new Command("damon", "Show the kdamond, context and scheme tree with state, stats and tried regions")
        {
            input, format, damonParams, raw,
        };
        command.SetAction(parseResult =>
        {
            string path = parseResult.GetValue(input)!;
            if (!File.Exists(path))
                throw new UserError($"{path}: no such status file", ExitCodes.InputError);
            try
            {
                var spec = KdamondsFile.Load(path);
                parseResult.InvocationConfiguration.Output.Write(DamonStatusFormat.Render(spec,
                    parseResult.GetValue(format)!, parseResult.GetValue(raw), parseResult.GetValue(damonParams)));
            }
            catch (ConfigException e)
            {
                throw new UserError(e.Message, ExitCodes.InputError);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
