using System.Diagnostics;

namespace Damon.Guest.Proof;

/// <summary>
/// One hotcold with no hot set (tools/testbed/workloads/hotcold.c: 1 MiB touched once, then usleep(1000) in a loop)
/// pinned to each CPU of the guest, so every vCPU switches to another mm about every millisecond.
/// Why: x86 clears a PTE's accessed bit without a TLB flush (ptep_clear_flush_young: "it will eventually be flushed
/// by a context switch"), and the TCG vCPU's software TLB is big enough to hold the probe's whole hot set, so a
/// probe that has a vCPU to itself sets the bit again only after its next context switch, which in a quiet guest
/// comes seldom. A real CPU's TLB holds far fewer entries and evicts them constantly; the tickers give the guest
/// that, so DAMON's sampling sees the probe's accesses (a quiet 6.12 kernel view saw a top rate of 6 of 20 samples
/// in one 12 KiB region of the 8 MiB hot range for 120 s without them).
/// </summary>
public sealed class ContextSwitchTickers : IDisposable
{
    private readonly List<Process> _tickers = [];

    private ContextSwitchTickers() { }

    /// <summary>Null when hotcold is not on PATH (the case then says so).</summary>
    public static ContextSwitchTickers? Start()
    {
        var t = new ContextSwitchTickers();
        try
        {
            for (int cpu = 0; cpu < Environment.ProcessorCount; cpu++)
            {
                var p = Process.Start(new ProcessStartInfo("hotcold", ["1", "0", "0"]) { RedirectStandardOutput = true, UseShellExecute = false });
                if (p is null) { t.Dispose(); return null; }
                t._tickers.Add(p);
                if (OperatingSystem.IsLinux()) p.ProcessorAffinity = (nint)(1L << cpu);
                p.StandardOutput.ReadLine();   // its banner: the megabyte is touched, the loop runs
            }
            return t;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            t.Dispose();
            return null;
        }
    }

    public void Dispose()
    {
        foreach (var p in _tickers)
        {
            if (!p.HasExited) p.Kill();
            p.WaitForExit();
            p.Dispose();
        }
        _tickers.Clear();
    }
}
