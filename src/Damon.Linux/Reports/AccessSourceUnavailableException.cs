namespace Damon.Linux.Reports;

/// <summary>
/// An access-report source this kernel or this process cannot run, with the one-line reason
/// (<c>uffd_wp_async: absent, because ...</c>); a rejected configuration for the CLI (exit 4).
/// </summary>
public sealed class AccessSourceUnavailableException(string reason) : Exception(reason)
{
    public const int ExitCode = 4;
}
