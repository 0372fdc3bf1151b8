using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Damon.Sim.Bench;

/// <summary>
/// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID) where the OS has it, so the engine's
/// cost is not inflated by other processes sharing the cores; elsewhere the wall clock.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCputimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Sec;
        public long Nsec;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGettime(int clockId, out Timespec ts);

    public static bool IsThreadCpuTime { get; } = Probe();

    public static string Name => IsThreadCpuTime ? "thread_cputime" : "wall";

    /// <summary>Nanoseconds on this thread's CPU clock (or the wall clock), from an arbitrary origin.</summary>
    public static long NowNs()
    {
        if (IsThreadCpuTime && ClockGettime(ClockThreadCputimeId, out var ts) == 0)
            return ts.Sec * 1_000_000_000 + ts.Nsec;
        return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { return ClockGettime(ClockThreadCputimeId, out _) == 0; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }
}
