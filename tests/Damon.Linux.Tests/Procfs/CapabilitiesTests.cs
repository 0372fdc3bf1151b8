using Xunit;
using Damon.Linux.Procfs;

namespace Damon.Linux.Tests.Procfs;

public class CapabilitiesTests
{
    [Fact]
    public void This_host_lacks_page_idle_and_says_why()
    {
        var caps = LinuxCapabilities.Probe();
        Assert.False(caps.PageIdle.Available);
        Assert.Equal("page_idle: absent, because /sys/kernel/mm/page_idle/bitmap is " + PageIdleBitmap.AbsentReason, caps.PageIdle.ToString());
    }

    [Fact]
    public void Our_own_process_can_query_and_advise_its_pages()
    {
        var caps = LinuxCapabilities.Probe();
        Assert.Equal("move_pages: available (our page is on node 0)", caps.MovePages.ToString());
        Assert.True(caps.ProcessMadvise.Available, caps.ProcessMadvise.ToString());
        Assert.Equal([0], caps.MemoryNodes);
        // As root PFNs are visible, and kpageflags with them.
        Assert.Equal(Environment.UserName == "root", caps.PagemapPfns.Available);
        Assert.Equal(caps.PagemapPfns.Available, caps.Kpageflags.Available);
    }

    [Fact]
    public void Soft_dirty_is_either_seen_or_blamed_on_the_kernel_config()
    {
        var sd = LinuxCapabilities.Probe().SoftDirty;
        if (!sd.Available)
            Assert.Equal("soft_dirty: absent, because pagemap bit 55 stays 0 after clear_refs 4 and a write: the kernel is built without CONFIG_MEM_SOFT_DIRTY", sd.ToString());
    }

    [Fact]
    public void A_sys_tree_with_the_bitmap_offers_page_idle()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("kernel/mm/page_idle"));
        File.WriteAllBytes(dir.File("kernel/mm/page_idle/bitmap"), new byte[8]);
        Directory.CreateDirectory(dir.File("devices/system/node"));
        File.WriteAllText(dir.File("devices/system/node/has_memory"), "0-1\n");
        var caps = LinuxCapabilities.Probe(sysRoot: dir.Path);
        Assert.True(caps.PageIdle.Available);
        Assert.Equal([0, 1], caps.MemoryNodes);
    }

    [Theory]
    [InlineData("0-3,8,10-11\n", new[] { 0, 1, 2, 3, 8, 10, 11 })]
    [InlineData("\n", new int[0])]
    [InlineData("5", new[] { 5 })]
    public void Kernel_lists_parse(string text, int[] ids) => Assert.Equal(ids, KernelList.Parse(text, "l"));

    [Fact]
    public void A_bad_kernel_list_names_the_file()
    {
        var e = Assert.Throws<LinuxSourceException>(() => KernelList.Parse("3-1", "has_memory"));
        Assert.Equal("has_memory: expected a list like '0-3,8', found '3-1'", e.Message);
    }
}
