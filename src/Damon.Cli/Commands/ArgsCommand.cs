using System.CommandLine;
using Damon.Core.Util;
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
        var omitDefaults = new Option<bool>("--omit_defaults") { Description = "Leave out blocks that hold only default values" };
        var output = new Option<string?>("--out") { Description = "Save the output to this file (json or yaml)" };
        var add = new Option<string?>("--add") { Description = "Add the kdamonds to those of this file" };
        var remove = new Option<string[]>("--remove")
        {
            Description = "Print the kdamonds of <file> without the one at <index>",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var replace = new Option<string[]>("--replace")
        {
            Description = "Print the kdamonds of <file> with the one at <index> replaced",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var damoOptions = new Argument<string[]>("damo-options")
        {
            Description = "damo's DAMON parameter options (--ops, --monitoring_intervals, --damos_action, --damos_filter, --kdamonds, ...); see docs/config.md",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("args", "Compile damo-style DAMON parameter options into a full kdamonds specification")
        {
            format, raw, omitDefaults, output, add, remove, replace, damoOptions,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parseResult =>
        {
            var tokens = new List<string>(parseResult.GetValue(damoOptions) ?? []);
            tokens.AddRange(parseResult.UnmatchedTokens);
            // `damo args damon ...` names the kind of arguments; Damon has only this one.
            if (tokens.Count > 0 && tokens[0] == "damon") tokens.RemoveAt(0);
            string fmt = parseResult.GetValue(format)!;
            bool isRaw = parseResult.GetValue(raw);
            bool omit = parseResult.GetValue(omitDefaults);
            string? outPath = parseResult.GetValue(output);
            if (outPath is not null && fmt == "report")
                throw new UserError("--out and report format cannot be used together", ExitCodes.UsageError);
            if (outPath is not null)
                OutputFiles.CheckFileDirectory(outPath);
            try
            {
                var spec = KdamondsBuilder.Build(tokens);
                if (parseResult.GetValue(add) is { } addFile)
                    spec = KdamondsEdits.Add(KdamondsFile.Load(addFile), spec);
                if (parseResult.GetValue(remove) is [var removeFile, var removeIdx])
                    spec = KdamondsEdits.Remove(KdamondsFile.Load(removeFile), Index(removeIdx, "--remove"));
                if (parseResult.GetValue(replace) is [var replaceFile, var replaceIdx])
                    spec = KdamondsEdits.Replace(KdamondsFile.Load(replaceFile), Index(replaceIdx, "--replace"), spec);
                string text = fmt switch
                {
                    "report" => KdamondsReport.Render(spec, isRaw),
                    // damo prints the YAML dump, which ends with a newline, with print().
                    "yaml" => KdamondsYaml.Write(spec, isRaw, omit) + "\n",
                    _ => KdamondsJson.Write(spec, isRaw, omit) + "\n",
                };
                if (outPath is null)
                    parseResult.InvocationConfiguration.Output.Write(text);
                else
                    OutputFiles.WriteText(outPath, text);
            }
            catch (ConfigException e)
            {
                throw new UserError(e.Message, e.File is null ? ExitCodes.UsageError : ExitCodes.InputError);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int Index(string text, string option) =>
        NumberText.TryParseInteger(text, 0, int.MaxValue, out int i, out string problem)
            ? i
            : throw new UserError($"{option} {text}: not a kdamond index ({(problem == NumberText.NotANumber ? "not a whole number" : problem)})", ExitCodes.UsageError);
}
