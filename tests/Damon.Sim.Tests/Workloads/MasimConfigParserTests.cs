using Xunit;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Masim;

namespace Damon.Sim.Tests.Workloads;

public class MasimConfigParserTests
{
    public static TheoryData<string> ShippedConfigs()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(RepoPaths.SharedData("masim")).OrderBy(f => f, StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedConfigs))]
    public void EveryShippedConfigLoads(string name)
    {
        var cfg = MasimConfigParser.Load(RepoPaths.SharedData("masim", name));
        Assert.NotEmpty(cfg.Regions);
        Assert.NotEmpty(cfg.Phases);
        Assert.All(cfg.Phases, p => Assert.True(p.TotalProbability > 0));
    }

    [Fact]
    public void ShippedConfigsHaveTheirKnownShapes()
    {
        var zigzag = MasimConfigParser.Load(RepoPaths.SharedData("masim", "zigzag.cfg"));
        Assert.Equal(["a", "b"], zigzag.Regions.Select(r => r.Name));
        Assert.All(zigzag.Regions, r => Assert.Equal(100_000_000UL, r.SizeBytes));
        Assert.Equal(13, zigzag.Phases.Count);   // initial + six low/high pairs
        Assert.Equal("initial phase", zigzag.Phases[0].Name);
        Assert.Equal(10_000U, zigzag.Phases[0].TimeMs);
        Assert.Equal(70_000UL, zigzag.TotalTimeMs);

        var stairs = MasimConfigParser.Load(RepoPaths.SharedData("masim", "stairs.cfg"));
        Assert.Equal(10, stairs.Regions.Count);
        Assert.Equal(11, stairs.Phases.Count);
        Assert.Equal(10, stairs.Phases[0].Patterns.Count);

        var dflt = MasimConfigParser.Load(RepoPaths.SharedData("masim", "default"));
        Assert.Equal([256UL, 64UL, 128UL], dflt.Regions.Select(r => r.SizeBytes));
        Assert.All(dflt.Regions, r => Assert.Null(r.DataFile));   // "none"
        var p2 = dflt.Phases[1].Patterns;
        Assert.Equal(MasimRwMode.ReadOnly, p2[0].RwMode);
        Assert.Equal(MasimRwMode.ReadWrite, p2[1].RwMode);
        Assert.False(p2[1].Random);
        Assert.Equal(4096UL, p2[1].StrideBytes);

        // mem_perf has phase names with '$' and leading spaces, and "l3cache, 0, 64,1" without a space.
        var perf = MasimConfigParser.Load(RepoPaths.SharedData("masim", "mem_perf.cfg"));
        Assert.Contains(perf.Phases, p => p.Name == "L1$ seq perf");
        Assert.Contains(perf.Phases, p => p.Name == "  1 GiB seq perf");
        Assert.Equal(10UL << 30, perf.Regions.Single(r => r.Name == "memory_huge").SizeBytes);
    }

    [Fact]
    public void PatternsDefaultToWriteOnlyUnlessTold()
    {
        const string cfg = "a, 4096\n\np\n10\na, 1, 64, 1\n";
        Assert.Equal(MasimRwMode.WriteOnly, MasimConfigParser.Parse(cfg, "x").Phases[0].Patterns[0].RwMode);
        Assert.Equal(MasimRwMode.ReadOnly, MasimConfigParser.Parse(cfg, "x", MasimRwMode.ReadOnly).Phases[0].Patterns[0].RwMode);
    }

    [Fact]
    public void CommentLinesAreRemovedBeforeParagraphsAreFound()
    {
        // The '#' lines between the blank line and the phase do not start a new paragraph.
        const string cfg = "# regions\na, 4096\n\n# phase 1\n# name\nfirst\n# time\n5\na, 0, 64, 1\n\nsecond\n6\na, 1, 64, 1, ro\n";
        var c = MasimConfigParser.Parse(cfg, "x");
        Assert.Equal(["first", "second"], c.Phases.Select(p => p.Name));
        Assert.Equal(9, c.Phases[0].Patterns[0].Line);
        Assert.Equal(6, c.Phases[0].Line);
    }

    [Fact]
    public void MissingFinalNewlineKeepsTheLastLine()
    {
        // masim's rm_comments() would silently drop "b, 0, 64, 1"; we keep it (docs/workloads.md).
        var c = MasimConfigParser.Parse("a, 4096\nb, 4096\n\np\n10\na, 0, 64, 1\nb, 0, 64, 1", "x");
        Assert.Equal(2, c.Phases[0].Patterns.Count);
    }

    [Theory]
    [InlineData("a, 4096\n\np\n10\na, 0, 64, 1\n\n", 6, "empty phase")]                  // trailing blank line
    [InlineData("a, 4096\n\np\n10\na, 0, 64, 1\n\n\nq\n10\na, 0, 64, 1\n", 7, "empty phase")] // two blank lines
    [InlineData("a, 4096\n\np\n10\n\n", 3, "at least one access pattern")]
    [InlineData("a, 4096, none, extra\n\np\n10\na, 0, 64, 1\n", 1, "2 or 3 comma-separated")]
    [InlineData("a\n\np\n10\na, 0, 64, 1\n", 1, "2 or 3 comma-separated")]
    [InlineData("a, 4k\n\np\n10\na, 0, 64, 1\n", 1, "region size '4k'")]
    [InlineData("a, 0\n\np\n10\na, 0, 64, 1\n", 1, "size 0")]
    [InlineData("a, 4096\na, 8192\n\np\n10\na, 0, 64, 1\n", 2, "already defined at line 1")]
    [InlineData("a, 4096\n\np\nten\na, 0, 64, 1\n", 4, "phase time")]
    [InlineData("a, 4096\n\np\n10\nb, 0, 64, 1\n", 5, "no region named 'b'")]
    [InlineData("a, 4096\n\np\n10\na, 0, 64\n", 5, "4 or 5 comma-separated")]
    [InlineData("a, 4096\n\np\n10\na, 0, 64, 1, xx\n", 5, "wrong rw mode 'xx'")]
    [InlineData("a, 4096\n\np\n10\na, 0, -64, 1\n", 5, "stride '-64'")]
    [InlineData("# c\na, 4096\n\n# c\np\n10\na, 0, 64, 1\n\n", 8, "empty phase")]
    public void MalformedConfigsNameTheLine(string text, int line, string reason)
    {
        var e = Assert.Throws<WorkloadFormatException>(() => MasimConfigParser.Parse(text, "bad.cfg"));
        Assert.Equal("bad.cfg", e.Input);
        Assert.Equal(line, e.Line);
        Assert.Contains(reason, e.Reason);
        Assert.StartsWith($"bad.cfg:{line}: ", e.Message);
    }

    [Theory]
    [InlineData("a, 18446744073709551615\n\np\n10\na, 0, 64, 1\n", 1,
        "bad.cfg:1: region 'a' of 18446744073709551615 bytes brings the regions to more than the 128 TiB user address space (masim's malloc would fail)")]
    [InlineData("a, 140737488355328\nb, 1\n\np\n10\na, 0, 64, 1\n", 2,
        "bad.cfg:2: region 'b' of 1 bytes brings the regions to more than the 128 TiB user address space (masim's malloc would fail)")]
    [InlineData("a, 18446744073709551616\n\np\n10\na, 0, 64, 1\n", 1,
        "bad.cfg:1: region size '18446744073709551616' is not a non-negative integer")]
    public void Region_sizes_beyond_the_address_space_are_rejected(string text, int line, string message)
    {
        var e = Assert.Throws<WorkloadFormatException>(() => MasimConfigParser.Parse(text, "bad.cfg"));
        Assert.Equal(line, e.Line);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData(18446744073709551615UL, "pid 1: mmap of 18446744073709551615 bytes: larger than the address space")]
    [InlineData(1UL << 63, "pid 1: mmap of 9223372036854775808 bytes: the mmap area ran into the heap")]
    public void Mmap_too_large_for_the_address_space_fails_instead_of_wrapping(ulong sizeBytes, string message)
    {
        var m = new Damon.Sim.Machine.SimMachine(Damon.Sim.Machine.MachineSpec.DefaultTwoTier());
        int pid = m.CreateProcess("p");
        var e = Assert.Throws<SimulationException>(() => m.Mmap(pid, sizeBytes));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("a, 4096\n")]
    [InlineData("a, 4096\n\n")]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void ConfigsWithoutPhasesAreRejected(string text)
    {
        var e = Assert.Throws<WorkloadFormatException>(() => MasimConfigParser.Parse(text, "bad.cfg"));
        Assert.Equal("bad.cfg", e.Input);
    }

    [Fact]
    public void MissingFileIsAFormatErrorNotAnIoException()
    {
        var e = Assert.Throws<WorkloadFormatException>(() => MasimConfigParser.Load("/nonexistent/x.cfg"));
        Assert.Contains("cannot read", e.Message);
    }
}
