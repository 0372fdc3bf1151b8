namespace Damon.Cli;

/// <summary>Process exit codes; documented in docs/cli.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Unexpected internal failure (a bug): the message and stack go to stderr.</summary>
    public const int InternalError = 1;
    /// <summary>Command line not understood (unknown verb, bad option value).</summary>
    public const int UsageError = 2;
    /// <summary>An input file (config, record, trace, workload) is malformed or missing.</summary>
    public const int InputError = 3;
    /// <summary>The engine rejected a configuration (the kernel's -EINVAL / -EBUSY cases).</summary>
    public const int ConfigRejected = 4;
    /// <summary>Interrupted by Ctrl+C or SIGTERM after saving what was recorded.</summary>
    public const int Interrupted = 130;
}
