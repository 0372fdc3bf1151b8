using Xunit;
using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Tests.Procfs;

public class PagemapTests
{
    [Fact]
    public void Entry_bits_decode_as_pagemap_rst_says()
    {
        var e = new PagemapEntry(1UL << 63 | 1UL << 61 | 1UL << 56 | 1UL << 55 | 0x12345);
        Assert.True(e.Present && e.FileOrSharedAnon && e.Exclusive && e.SoftDirty);
        Assert.False(e.Swapped);
        Assert.False(e.Anon);
        Assert.Equal(0x12345UL, e.Pfn);
        var swapped = new PagemapEntry(1UL << 62 | 0x777);
        Assert.True(swapped.Swapped);
        Assert.Equal(0UL, swapped.Pfn); // not present: bits 0-54 are the swap entry, not a PFN
        Assert.True(new PagemapEntry(1UL << 63 | 5).Anon);
    }

    [Fact]
    public void Touched_pages_are_present_and_untouched_ones_are_not()
    {
        using var touched = new AnonymousMapping(64 * 4096);
        using var untouched = new AnonymousMapping(64 * 4096);
        touched.Touch();
        using var pm = new PagemapReader(PagemapReader.PathOf(Environment.ProcessId));
        var t = pm.ReadRange(touched.Address, touched.End);
        var u = pm.ReadRange(untouched.Address, untouched.End);
        Assert.Equal(64, t.Length);
        Assert.All(t, e => Assert.True(e.Present && e.Anon && e.Exclusive));
        Assert.All(u, e => Assert.Equal(0UL, e.Raw));
        bool pfnsVisible = LinuxCapabilities.Probe().PagemapPfns.Available;
        Assert.All(t, e => Assert.Equal(pfnsVisible, e.Pfn != 0));
    }

    [Fact]
    public void Reading_past_the_address_space_is_one_line()
    {
        using var pm = new PagemapReader(PagemapReader.PathOf(Environment.ProcessId));
        var e = Assert.Throws<LinuxSourceException>(() => pm.Read(0xfffffffffff000, new PagemapEntry[2]));
        Assert.StartsWith($"/proc/{Environment.ProcessId}/pagemap: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
