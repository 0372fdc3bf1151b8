using Damon.Core.Sampling;
using System.Globalization;
using System.Runtime.InteropServices;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Reports;

/// <summary>Thread ids and CPUs as the kernel sees them (gettid(2), /proc/PID/task/TID/stat, sched_setaffinity(2)).</summary>
public static unsafe class LinuxThreads
{
    /// <summary>The calling thread's kernel thread id (what UFFD_FEATURE_THREAD_ID reports).</summary>
    public static int CurrentTid() => (int)LibC.Syscall6(LibC.SYS_gettid, 0, 0, 0, 0, 0, 0);

    /// <summary>
    /// The CPU thread <paramref name="tid"/> of <paramref name="pid"/> last ran on (field 39 of its stat),
    /// or -1 when the thread is gone. A thread waiting in a userfaultfd fault has not run since it faulted,
    /// so for it this is the CPU of the faulting access.
    /// </summary>
    public static int LastCpu(int pid, int tid, string procRoot = "/proc")
    {
        string text;
        try { text = File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "task", tid.ToString(CultureInfo.InvariantCulture), "stat")); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return IAccessReportSink.Unknown; }
        return ParseProcessor(text);
    }

    /// <summary>Field 39 (processor) of a stat line; the comm (field 2) may hold spaces and parentheses.</summary>
    public static int ParseProcessor(string statLine)
    {
        int close = statLine.LastIndexOf(')');
        if (close < 0) return IAccessReportSink.Unknown;
        var fields = statLine[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so field 39 is fields[36].
        return fields.Length > 36 && int.TryParse(fields[36], NumberStyles.None, CultureInfo.InvariantCulture, out int cpu)
            ? cpu : IAccessReportSink.Unknown;
    }

    /// <summary>Pin the calling thread to one CPU (a test that must know where its writes ran).</summary>
    public static void PinCurrentThread(int cpu)
    {
        var mask = stackalloc ulong[16];
        for (int i = 0; i < 16; i++) mask[i] = 0;
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (LibC.Syscall6(LibC.SYS_sched_setaffinity, 0, 16 * sizeof(ulong), (long)mask, 0, 0, 0) != 0)
            throw new SyscallException("sched_setaffinity", Marshal.GetLastPInvokeError(), $"cpu {cpu}");
    }

    /// <summary>
    /// Write one byte at <paramref name="addr"/> through libc. A .NET thread that writes a
    /// write-protected page from managed code waits in the fault in cooperative mode, and a garbage
    /// collection starting then waits for it while the handler thread waits for the collection; a
    /// write from native code waits in preemptive mode, which the collector does not wait for.
    /// </summary>
    public static void NativeStore(ulong addr, byte value) => LibC.Memset((void*)addr, value, 1);
}
