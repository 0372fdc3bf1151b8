using System.CommandLine;
using Damon.Cli.Commands;

namespace Damon.Cli.Tests;

/// <summary>Runs the damon CLI in-process, capturing stdout and stderr.</summary>
internal static class Cli
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static async Task<Result> Run(params string[] args) => await Run(CancellationToken.None, args);

    public static async Task<Result> Run(CancellationToken cancel, params string[] args)
    {
        var root = new RootCommand("damon (tests)");
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int rc = await CliRunner.RunAsync(root, args, stdout, stderr, cancel);
        return new Result(rc, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>A private folder for files a test writes, removed afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "damon-cli-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
