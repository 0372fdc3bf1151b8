using Xunit;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Linux.Procfs;

namespace Damon.Linux.Tests.Procfs;

public class ProcMapsTests
{
    private static IReadOnlyList<Vma> HostMaps() => ProcMaps.Read(FixturePath.Of("host", "maps"));

    [Fact]
    public void Host_maps_parse_every_field()
    {
        var vmas = HostMaps();
        Assert.Equal(38, vmas.Count);
        Assert.Equal(new Vma(0x562a77a10000, 0x562a77a12000, "r--p", 0, "fe:00", 247270, "/usr/bin/cat"), vmas[0]);
        Assert.Equal(new Vma(0x7fd05cb6c000, 0x7fd05ccc2000, "r-xp", 0x26000, "fe:00", 332096, "/usr/lib/x86_64-linux-gnu/libc.so.6"), vmas[18]);
        Assert.Equal(new Vma(0x7fd05cac2000, 0x7fd05cae4000, "rw-p", 0, "00:00", 0, ""), vmas[6]);
        Assert.True(vmas[6].IsAnon && vmas[6].Writable && !vmas[6].Executable);
        Assert.True(vmas[25].Shared); // gconv-modules.cache, r--s
        Assert.Equal("[vsyscall]", vmas[^1].Path);
        Assert.True(vmas[^1].IsGateArea);
    }

    [Fact]
    public void Three_regions_of_host_maps_cut_the_two_largest_gaps_without_the_gate_area()
    {
        Span<AddrRange> three = stackalloc AddrRange[3];
        Assert.True(ProcMaps.ThreeRegions(HostMaps(), 4096, three));
        Assert.Equal(new AddrRange(0x562a77a10000, 0x562a8b11d000), three[0]); // binary + heap
        Assert.Equal(new AddrRange(0x7fd05cac2000, 0x7fd05cd71000), three[1]); // mmap area
        Assert.Equal(new AddrRange(0x7ffcc936c000, 0x7ffcc938d000), three[2]); // stack
    }

    [Fact]
    public void Three_regions_equal_cores_on_the_same_vmas()
    {
        var ranges = HostMaps().Where(v => !v.IsGateArea).Select(v => v.Range).ToArray();
        Span<AddrRange> core = stackalloc AddrRange[3];
        Span<AddrRange> ours = stackalloc AddrRange[3];
        Assert.True(VaddrRegions.ThreeRegionsInVmas(ranges, 4096, core));
        Assert.True(ProcMaps.ThreeRegions(HostMaps(), 4096, ours));
        Assert.Equal(core.ToArray(), ours.ToArray());

        // With [vsyscall] the gap up to 0xffffffffff600000 would be the largest, and the mmap area
        // and stack would merge into one region: the kernel never sees that VMA.
        var withGate = HostMaps().Select(v => v.Range).ToArray();
        Assert.True(VaddrRegions.ThreeRegionsInVmas(withGate, 4096, core));
        Assert.Equal(new AddrRange(0xffffffffff600000, 0xffffffffff601000), core[2]);
    }

    [Fact]
    public void Fewer_than_two_gaps_give_no_regions()
    {
        var vmas = ProcMaps.Parse("1000-2000 rw-p 00000000 00:00 0\n3000-4000 rw-p 00000000 00:00 0\n", "t");
        Span<AddrRange> three = stackalloc AddrRange[3];
        Assert.False(ProcMaps.ThreeRegions(vmas, 4096, three));
    }

    [Fact]
    public void Vmas_seen_twice_or_overlapping_while_maps_was_read_do_not_make_a_wrapped_gap()
    {
        // The VMA at 0x5000 grew to 0x7000 between two reads of the file and shows up twice.
        const string text = "1000-2000 rw-p 0 00:00 0\n5000-6000 rw-p 0 00:00 0\n5000-7000 rw-p 0 00:00 0\n" +
                            "6000-7000 rw-p 0 00:00 0\n20000-21000 rw-p 0 00:00 0\n";
        Span<AddrRange> three = stackalloc AddrRange[3];
        Assert.True(ProcMaps.ThreeRegions(ProcMaps.Parse(text, "t"), 4096, three));
        Assert.Equal([new AddrRange(0x1000, 0x2000), new AddrRange(0x5000, 0x7000), new AddrRange(0x20000, 0x21000)], three.ToArray());
    }

    [Fact]
    public void A_path_with_spaces_is_kept_whole()
    {
        var v = ProcMaps.Parse("7f00-8f00 r--p 00001000 fe:01 42    /tmp/a file (deleted)\n", "t")[0];
        Assert.Equal("/tmp/a file (deleted)", v.Path);
        Assert.Equal(0x1000UL, v.Offset);
    }

    [Theory]
    [InlineData("zz-1000 rw-p 0 00:00 0", "m: line 1: expected 'start-end' in hex in 'zz-1000 rw-p 0 00:00 0'")]
    [InlineData("1000-2000 rw 0 00:00 0", "m: line 1: expected four permission letters (rwxp) in '1000-2000 rw 0 00:00 0'")]
    [InlineData("1000-2000 rw-p 0 00:00 x", "m: line 1: expected a decimal inode in '1000-2000 rw-p 0 00:00 x'")]
    public void Bad_lines_name_the_file_line_and_rule(string line, string message)
    {
        var e = Assert.Throws<LinuxSourceException>(() => ProcMaps.Parse(line, "m"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_missing_file_is_one_line()
    {
        var e = Assert.Throws<LinuxSourceException>(() => ProcMaps.Read("/proc/999999999/maps"));
        Assert.Equal("/proc/999999999/maps: no such file (its directory is missing)", e.Message);
    }

    [Fact]
    public void Our_own_maps_hold_a_mapping_we_made()
    {
        using var m = new Damon.Linux.Syscalls.AnonymousMapping(16 * 4096);
        var vmas = ProcMaps.Read(ProcMaps.PathOf(Environment.ProcessId));
        Assert.Contains(vmas, v => v.Start <= m.Address && m.End <= v.End && v.IsAnon && v.Perms == "rw-p");
    }
}
