using System.CommandLine;
using Damon.Cli;
using Damon.Cli.Commands;

namespace Damon.Tests;

/// <summary>Runs the real damon command tree in-process, capturing stdout and stderr.</summary>
internal static class DamonCli
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static Task<Result> Run(params string[] args) => Run(CancellationToken.None, args);

    public static Task<Result> Run(CancellationToken cancel, params string[] args) =>
        Run(new StringWriter { NewLine = "\n" }, cancel, args);

    /// <summary>With the test's own stdout writer, e.g. one that cancels the run on a given line.</summary>
    public static async Task<Result> Run(StringWriter stdout, CancellationToken cancel, params string[] args)
    {
        var root = new RootCommand("damon (tests)");
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        stdout.NewLine = "\n";
        var stderr = new StringWriter { NewLine = "\n" };
        int rc = await CliRunner.RunAsync(root, args, stdout, stderr, cancel);
        return new Result(rc, stdout.ToString(), stderr.ToString());
    }
}
