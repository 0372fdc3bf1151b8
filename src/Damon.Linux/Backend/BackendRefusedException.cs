namespace Damon.Linux.Backend;

/// <summary>
/// The Linux backend will not run this configuration here: the kernel lacks a feature it needs,
/// or user mode cannot do what a scheme asks. <see cref="Exception.Message"/> is one line
/// starting with "damon: " that names what and why; the CLI prints it and exits 4 (rejected
/// configuration).
/// </summary>
public sealed class BackendRefusedException(string message) : Exception(message)
{
    public const int ExitCode = 4;
}
