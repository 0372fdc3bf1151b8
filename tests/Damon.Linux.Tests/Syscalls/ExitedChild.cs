using System.Diagnostics;

namespace Damon.Linux.Tests.Syscalls;

/// <summary>The pid of a child process we started and that has exited and been reaped.</summary>
internal static class ExitedChild
{
    public static int Pid()
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }
}
