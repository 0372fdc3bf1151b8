using System.CommandLine;
using Damon.Tiering.Sweep;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon bench merge A.json B.json ... --json OUT</c>: joins the shard files of one
/// <c>bench tiering --shard I/N</c> sweep into the document one unsharded run writes
/// (<see cref="TieringMerge"/>: same order, no <c>shard</c> key).
/// </summary>
public static class BenchMergeCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Shard files of one sweep (bench tiering --shard I/N --json FILE)", Arity = ArgumentArity.OneOrMore };
        var json = new Option<string>("--json") { Description = "Write the merged JSON to this file", Required = true };
        var command = new Command("merge", "Join the shard JSON files of a bench tiering sweep") { files, json };
        command.SetAction(parse =>
        {
            string output = parse.GetValue(json)!;
            OutputFiles.CheckFileDirectory(output);
            var inputs = parse.GetValue(files)!.Select(f => (f, Read(f))).ToList();
            string merged;
            try { merged = TieringMerge.MergeText(inputs); }
            catch (TieringMergeException e) { throw new UserError(e.Message); }
            OutputFiles.WriteText(output, merged);
            parse.InvocationConfiguration.Output.WriteLine($"merged {inputs.Count} shard files into {output}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{path}: {Damon.Modules.Config.ModuleParamsFile.ReadFailure(e)}");
        }
    }
}
