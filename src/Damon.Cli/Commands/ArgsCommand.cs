using System.CommandLine;
using Damon.Config;
using Damon.Config.Args;
using Damon.Config.Io;
using Damon.Config.Report;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon args [damon] [damo options] --format json|yaml|report [--raw]</c>: compile damo's
/// DAMON-parameter options (or a --kdamonds file) into the full kdamonds specification.
/// </summary>
public static class ArgsCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format") { Description = "Output format", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "yaml", "report");
        var raw = new Option<bool>("--raw") { Description = "Print numbers as plain integers in each field's unit" };
        var output = new Option<string?>("--out") { Description = "Save the output to this file (json or yaml)" };
        var damoOptions = new Argument<string[]>("damo-options")
        {
            Description = "damo's DAMON parameter options (--ops, --monitoring_intervals, --damos_action, --damos_filter, --kdamonds, ...); see docs/config.md",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("args", "Compile damo-style DAMON parameter options into a full kdamonds specification")
        {
            format, raw, output, damoOptions,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parseResult =>
        {
            var tokens = new List<string>(parseResult.GetValue(damoOptions) ?? []);
            tokens.AddRange(parseResult.UnmatchedTokens);
            // `damo args damon ...` spells the kind of arguments; Damon has only this one.
            if (tokens.Count > 0 && tokens[0] == "damon") tokens.RemoveAt(0);
            string fmt = parseResult.GetValue(format)!;
            bool isRaw = parseResult.GetValue(raw);
            string? outPath = parseResult.GetValue(output);
            if (outPath is not null && fmt == "report")
                throw new UserError("--out and report format cannot be used together", ExitCodes.UsageError);
            try
            {
                var spec = KdamondsBuilder.Build(tokens);
                string text = fmt switch
                {
                    "report" => KdamondsReport.Render(spec, isRaw),
                    "yaml" => KdamondsYaml.Write(spec, isRaw) + "\n",
                    _ => KdamondsJson.Write(spec, isRaw) + "\n",
                };
                if (outPath is null)
                    parseResult.InvocationConfiguration.Output.Write(text);
                else
                    File.WriteAllText(outPath, text);
            }
            catch (ConfigException e)
            {
                throw new UserError(e.Message, e.File is null ? ExitCodes.UsageError : ExitCodes.InputError);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
