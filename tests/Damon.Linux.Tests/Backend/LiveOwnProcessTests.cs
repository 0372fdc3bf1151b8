using System.Diagnostics;
using System.Runtime.CompilerServices;
using Damon.Linux.Backend;
using Damon.Linux.Backend.UserMode;
using Damon.Linux.Procfs;
using Xunit;

namespace Damon.Linux.Tests.Backend;

/// <summary>
/// The user-mode readers on the host, on this test's own process only (reading /proc is fine; no
/// DAMON sysfs is touched, nothing is moved).
/// </summary>
public sealed class LiveOwnProcessTests
{
    [Fact]
    public unsafe void The_page_index_holds_every_page_of_a_touched_buffer_when_pagemap_shows_PFNs()
    {
        const int Pages = 64;
        var buf = GC.AllocateArray<byte>(Pages * 4096 + 4096, pinned: true);
        ulong addr = (ulong)(nint)Unsafe.AsPointer(ref buf[0]);
        ulong start = (addr + 4095) & ~4095UL;
        for (int i = 0; i < buf.Length; i += 512)
            buf[i] = 1;
        var index = new PhysPageIndex();
        index.Rebuild(new ProcPageSource([Environment.ProcessId]));
        var mine = new HashSet<ulong>();
        foreach (var p in index.In(0, ulong.MaxValue - 4096))
            if (p.Pid == Environment.ProcessId && p.Vaddr >= start && p.Vaddr < start + Pages * 4096UL)
                mine.Add(p.Vaddr);
        // PFNs read as 0 without CAP_SYS_ADMIN: then nothing can be indexed at all.
        bool pfns = LinuxCapabilities.Probe().PagemapPfns.Available;
        Assert.Equal(pfns ? Pages : 0, mine.Count);
        GC.KeepAlive(buf);
    }

    [Fact]
    public void A_process_is_alive_until_it_exits()
    {
        var actions = new LinuxUserModeActions(new ProcPageSource([]), new LinuxPageSyscalls(), new UserModeProblems { Notices = TextWriter.Null },
            new ProcIomemLayout());
        Assert.True(actions.IsAlive(Environment.ProcessId));
        using var child = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        child.WaitForExit();
        Assert.False(actions.IsAlive(child.Id));
    }

    [Fact]
    public void System_RAM_is_read_from_the_top_level_lines_of_iomem()
    {
        const string iomem = "00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n000a0000-000bffff : PCI Bus 0000:00\n"
            + "00100000-bffdffff : System RAM\n  01000000-01ffffff : Kernel code\n100000000-23fffffff : System RAM\n";
        Assert.Equal([new(0x1000, 0x9fc00), new(0x100000, 0xbffe0000), new Damon.Core.Monitoring.AddrRange(0x100000000, 0x240000000)],
            ProcIomemLayout.Parse(iomem));
    }
}
