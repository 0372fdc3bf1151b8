using System.CommandLine;
using Damon.Core;

namespace Damon.Cli;

/// <summary>
/// Runs the parsed command and maps failures to exit codes: user mistakes get one clear line on
/// stderr, engine rejections name the field and rule, and only real bugs print a stack trace.
/// </summary>
public static class CliRunner
{
    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter? stdout = null, TextWriter? stderr = null,
        CancellationToken cancellationToken = default)
    {
        var config = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            // Signals are handled by Interruption below, not by System.CommandLine.
            ProcessTerminationTimeout = null,
        };
        if (stdout is not null) config.Output = stdout;
        if (stderr is not null) config.Error = stderr;
        var err = stderr ?? Console.Error;
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                // System.CommandLine would exit 1 for these; 1 is reserved for bugs here. One line:
                // the first mistake, which is usually the cause of any that follow.
                await err.WriteLineAsync($"damon: {OneLine.Of(ParseErrors.Describe(ParseErrors.MainError(parse.Errors)))}");
                return ExitCodes.UsageError;
            }
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var interruption = new Interruption(cancel, err);
            return await parse.InvokeAsync(config, cancel.Token);
        }
        catch (UserError e)
        {
            await err.WriteLineAsync($"damon: {OneLine.Of(e.Message)}");
            return e.ExitCode;
        }
        catch (DamonException e)
        {
            await err.WriteLineAsync($"damon: rejected: {OneLine.Of(e.Message)}");
            return ExitCodes.ConfigRejected;
        }
        catch (OperationCanceledException)
        {
            await err.WriteLineAsync("damon: interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            // A bug: say so, with everything needed to find it, and exit 1 instead of aborting.
            await err.WriteLineAsync($"damon: internal error (a bug; please report it): {e}");
            return ExitCodes.InternalError;
        }
    }
}
