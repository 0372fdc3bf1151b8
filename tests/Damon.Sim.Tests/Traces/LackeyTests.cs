using Damon.Sim.Tests.Workloads;
using Damon.Sim.Traces;
using Damon.Sim.Traces.Lackey;
using Damon.Sim.Workloads;
using Xunit;

namespace Damon.Sim.Tests.Traces;

public class LackeyTests
{
    // Fixtures/mini.lackey: `valgrind --tool=lackey --trace-mem=yes` (3.19) on Fixtures/mini.c, a
    // freestanding program that increments one byte every 1 KiB of a 12 KiB bss array (12 M lines
    // at 0x403000, 0x403400, ...) and stores four bytes into its stack buffer (4 S lines).
    private static string Fixture => Path.Combine(RepoPaths.Root(), "tests", "Damon.Sim.Tests", "Traces", "Fixtures", "mini.lackey");

    [Fact]
    public void RealLackeyOutputParses()
    {
        var records = new List<LackeyRecord>();
        using (var r = LackeyReader.Open(Fixture))
            while (r.Next(out var rec)) records.Add(rec);
        Assert.Equal(12, records.Count(x => x.Kind == LackeyKind.Modify));
        Assert.Equal(4, records.Count(x => x.Kind == LackeyKind.Store));
        Assert.Equal(0, records.Count(x => x.Kind == LackeyKind.Load));
        Assert.Equal(58, records.Count(x => x.Kind == LackeyKind.Instr));   // lackey's own "guest instrs: 58"
        Assert.Equal(Enumerable.Range(0, 12).Select(i => 0x403000UL + (ulong)i * 0x400),
            records.Where(x => x.Kind == LackeyKind.Modify).Select(x => x.Addr));
        Assert.All(records.Where(x => x.Kind == LackeyKind.Store), x => Assert.Equal(0x1fff000000UL, x.Addr & ~0xfffUL));
        var first = records[0];
        Assert.Equal((LackeyKind.Instr, 0x401000UL, 7U, 7L), (first.Kind, first.Addr, first.Size, first.Line));
    }

    [Fact]
    public void DirectReplayAndConvertedReplayAgree()
    {
        var host = new FakeHost();
        using var direct = new LackeyWorkload(Fixture);
        direct.Setup(host);
        var run = host.Run(direct, long.MaxValue, batchSize: 5);
        var accesses = run.ByTid[0];
        Assert.Equal(12 * 2 + 4, accesses.Count);
        Assert.Equal(29UL, run.ComputeNs[0]);   // 58 instructions × 0.5 ns
        // M = a read then a write of the same byte; three bss pages, one stack page.
        Assert.False(accesses[0].Write);
        Assert.True(accesses[1].Write);
        Assert.Equal(accesses[0].Addr, accesses[1].Addr);
        Assert.Equal(4, accesses.Select(a => a.Addr / 4096).Distinct().Count());
        Assert.Equal(2, host.Mappings.Count);   // the program's 2 MiB granule and the stack's

        using var tmp = new TempPath();
        Assert.Equal(28, LackeyConverter.Convert(Fixture, tmp.Path));
        var contents = TraceFile.ReadAll(tmp.Path);
        Assert.Equal(Enumerable.Range(0, 12).SelectMany(i => new[] { new MemAccess(0x403000UL + (ulong)i * 0x400, false), new MemAccess(0x403000UL + (ulong)i * 0x400, true) }),
            contents.AccessesByThread[0].Take(24));
        var host2 = new FakeHost();
        using var replay = new TraceReplayWorkload(tmp.Path);
        replay.Setup(host2);
        Assert.Equal(accesses, host2.Run(replay, long.MaxValue).ByTid[0]);
    }

    [Fact]
    public void FetchesOptionReplaysInstructionsToo()
    {
        var host = new FakeHost();
        using var w = new LackeyWorkload(Fixture, new LackeyOptions { Fetches = true });
        w.Setup(host);
        Assert.Equal(58 + 28, host.Run(w, long.MaxValue).ByTid[0].Count);
    }

    [Fact]
    public void StraddlingAccessesTouchBothPages()
    {
        Span<(ulong, bool)> dst = stackalloc (ulong, bool)[4];
        int n = LackeyExpander.Expand(new LackeyRecord(LackeyKind.Modify, 0x1ffc, 8, 1), false, dst);
        Assert.Equal([(0x1ffcUL, false), (0x2000UL, false), (0x1ffcUL, true), (0x2000UL, true)], dst[..n].ToArray());
        Assert.Equal(1, LackeyExpander.Expand(new LackeyRecord(LackeyKind.Load, 0x1ff8, 8, 1), false, dst));
        Assert.Equal(0, LackeyExpander.Expand(new LackeyRecord(LackeyKind.Instr, 0x1000, 4, 1), false, dst));
    }

    [Theory]
    [InlineData(" L ffffffffffffff00,8\n")]
    [InlineData(" L 1000,8\n S fffffffffffffff8,16\n")]
    [InlineData(" L 1000,8\n\n M ffffffffffdffffc,8\n")]
    public void Addresses_whose_mapping_would_wrap_past_2_64_name_their_line(string text)
    {
        // The segment end ((granule + 1) * 2 MiB) wrapped to 0, and the replay later failed with a
        // misleading "address changed between the two passes".
        using var tmp = new TempPath(".lackey");
        File.WriteAllText(tmp.Path, text);
        var e = Assert.Throws<WorkloadFormatException>(() => LackeyExpander.Segments(tmp.Path, new LackeyOptions()));
        int line = text.Split('\n').Length - 1;
        string rec = text.Split('\n')[line - 1].Trim()[2..];
        string addr = rec.Split(',')[0], size = rec.Split(',')[1];
        Assert.Equal($"{tmp.Path}:{line}: address 0x{addr} (+{size} bytes) reaches into the last 2097152-byte granule of the 64-bit address space, which the replay cannot map", e.Message);
    }

    [Fact]
    public void The_highest_mappable_access_is_accepted()
    {
        using var tmp = new TempPath(".lackey");
        File.WriteAllText(tmp.Path, " L ffffffffffdffff8,8\n");
        Assert.Equal([(0xffff_ffff_ffc0_0000UL, 0xffff_ffff_ffe0_0000UL)], LackeyExpander.Segments(tmp.Path, new LackeyOptions()));
    }

    [Theory]
    [InlineData("I  0401000,3\n X 1234,4\n", 2, "unknown access kind")]
    [InlineData("I  0401000,3\n L zz,4\n", 2, "missing hexadecimal address")]
    [InlineData(" L 1234\n", 1, "expected ','")]
    [InlineData(" S 1234,\n", 1, "missing decimal size")]
    [InlineData(" S 1234,4 junk\n", 1, "unexpected text")]
    [InlineData("==1== hi\n\nhello\n", 3, "not a lackey line")]
    [InlineData(" M 12345678901234567,8\n", 1, "longer than 16 hex digits")]
    [InlineData(" L 1000,0\n", 1, "size 0")]
    public void MalformedLinesNameFileAndLine(string text, int line, string reason)
    {
        using var tmp = new TempPath(".lackey");
        File.WriteAllText(tmp.Path, text);
        var e = Assert.Throws<WorkloadFormatException>(() => LackeyConverter.Convert(tmp.Path, tmp.Path + ".dtrace"));
        Assert.Equal(tmp.Path, e.Input);
        Assert.Equal(line, e.Line);
        Assert.Contains(reason, e.Reason);
        Assert.False(File.Exists(tmp.Path + ".dtrace"));
    }

    [Fact]
    public void CrLfAndAMissingFinalNewlineAreAccepted()
    {
        using var tmp = new TempPath(".lackey");
        File.WriteAllText(tmp.Path, "I  00401000,3\r\n L 00403000,4\r\n S 00403008,8");
        using var r = LackeyReader.Open(tmp.Path);
        Assert.True(r.Next(out _));
        Assert.True(r.Next(out var l));
        Assert.True(r.Next(out var s));
        Assert.False(r.Next(out _));
        Assert.Equal((LackeyKind.Load, 0x403000UL, LackeyKind.Store, 3L), (l.Kind, l.Addr, s.Kind, s.Line));
    }
}
