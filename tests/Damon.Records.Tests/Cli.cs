using System.CommandLine;
using Damon.Cli;
using Damon.Cli.Commands;

namespace Damon.Records.Tests;

/// <summary>Runs the real damon command tree in-process and captures what it prints.</summary>
public static class Cli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(params string[] args)
    {
        var root = new RootCommand("damon (tests)");
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = await CliRunner.RunAsync(root, args, stdout, stderr);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }
}
