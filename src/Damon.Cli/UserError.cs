namespace Damon.Cli;

/// <summary>
/// An error caused by the user's input, reported as one line on stderr without a stack trace.
/// </summary>
public sealed class UserError(string message, int exitCode = ExitCodes.InputError) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
