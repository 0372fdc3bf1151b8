using Damon.Sim.Tests.Workloads;
using Damon.Sim.Traces;
using Damon.Sim.Workloads;
using Xunit;

namespace Damon.Sim.Tests.Traces;

public class TraceTruncationTests
{
    // Layout of the trace written below, byte by byte (docs/trace-format.md):
    //   0..31   header
    //   32..51  setup block: 6 header bytes (tag, owner 0, start 0, compute 0, 3 records, 14 bytes),
    //           process event (4 bytes: op, memcg, name length, "p"), mmap event (7 bytes: op, pid,
    //           addr 0, size 4096 in two bytes, flags, no policy), thread event (3 bytes)
    //   52..57  thread block header (tag, owner 1, start 0, compute 0, 100 records, 100 bytes)
    //   58..157 100 accesses of one byte each (address steps of 8: zigzag 16, code 64 or 66)
    //   158..   end block
    private const int SetupRecords = 3;
    private const int ThreadBlockStart = 52;
    private const int PayloadStart = 58;
    private const int NrAccesses = 100;

    private static byte[] WriteSample()
    {
        using var tmp = new TempPath();
        using (var w = new TraceWriter(tmp.Path))
        {
            int p = w.AddProcess("p");
            w.Mmap(p, 0, 4096);
            int t = w.AddThread(p, 0);
            w.BeginBatch(t, 0);
            for (int i = 0; i < NrAccesses; i++) w.Append(new MemAccess((ulong)i * 8, i % 3 == 0));
            w.EndBatch(0);
            w.Complete();
        }
        return File.ReadAllBytes(tmp.Path);
    }

    private static TraceFormatException ReadCut(byte[] bytes, int length)
    {
        using var tmp = new TempPath();
        File.WriteAllBytes(tmp.Path, bytes[..length]);
        return Assert.Throws<TraceFormatException>(() => TraceFile.ReadAll(tmp.Path));
    }

    [Fact]
    public void LayoutIsAsDocumented()
    {
        using var tmp = new TempPath();
        File.WriteAllBytes(tmp.Path, WriteSample());
        var c = TraceFile.ReadAll(tmp.Path);
        Assert.Equal(ThreadBlockStart, c.Blocks[1].FileOffset);
        Assert.Equal(SetupRecords, c.Blocks[1].FirstRecord);
        Assert.Equal(NrAccesses, c.Blocks[1].PayloadBytes);
    }

    [Fact]
    public void ACutInsideABlockNamesTheFirstIncompleteRecord()
    {
        var bytes = WriteSample();
        for (int len = PayloadStart; len < PayloadStart + NrAccesses; len += 7)
        {
            var e = ReadCut(bytes, len);
            int record = SetupRecords + (len - PayloadStart);   // one byte per access
            Assert.Equal(record, e.RecordIndex);
            Assert.Contains($"truncated at record {record}", e.Message);
            Assert.Equal(len, e.ByteOffset);
        }
    }

    [Fact]
    public void ACutInABlockHeaderOrAtABoundaryIsReportedAsSuch()
    {
        var bytes = WriteSample();
        var header = ReadCut(bytes, ThreadBlockStart + 3);
        Assert.Equal(SetupRecords, header.RecordIndex);
        Assert.Contains("header of block 1 is cut off", header.Message);

        var boundary = ReadCut(bytes, ThreadBlockStart);   // right after the setup block
        Assert.Equal(SetupRecords, boundary.RecordIndex);
        Assert.Contains("end marker is missing", boundary.Message);

        var noEnd = ReadCut(bytes, PayloadStart + NrAccesses);
        Assert.Equal(SetupRecords + NrAccesses, noEnd.RecordIndex);
        Assert.Contains("end marker is missing", noEnd.Message);

        var cutEnd = ReadCut(bytes, bytes.Length - 2);
        Assert.Contains("end marker is cut off", cutEnd.Message);

        Assert.Contains("32-byte header", ReadCut(bytes, 20).Message);
        Assert.Contains("bad magic", ReadCut(bytes, 4).Message);
    }

    [Fact]
    public void ReplayOfACutTraceFailsAtTheSameRecord()
    {
        var bytes = WriteSample();
        using var tmp = new TempPath();
        int len = PayloadStart + 40;
        File.WriteAllBytes(tmp.Path, bytes[..len]);
        using var w = new TraceReplayWorkload(tmp.Path);
        var host = new FakeHost();
        w.Setup(host);
        var e = Assert.Throws<TraceFormatException>(() => host.Run(w, 1000));
        Assert.Equal(SetupRecords + 40, e.RecordIndex);
        Assert.StartsWith(tmp.Path + ": truncated at record 43", e.Message);
    }

    [Fact]
    public void CorruptionIsReportedNotThrownAsSomethingElse()
    {
        var bytes = WriteSample();
        var trailing = bytes.Concat(new byte[] { 1, 2, 3 }).ToArray();
        Assert.Contains("after the end marker", ReadCut(trailing, trailing.Length).Message);

        var badTag = (byte[])bytes.Clone();
        badTag[ThreadBlockStart] = (byte)'X';
        Assert.Contains("not a block tag", ReadCut(badTag, badTag.Length).Message);

        var badVersion = (byte[])bytes.Clone();
        badVersion[8] = 9;
        Assert.Contains("version 9", ReadCut(badVersion, badVersion.Length).Message);

        // The end block is 'E', blocks (2), records (104), accesses (100), "DTRE": one byte each.
        var badBlocks = (byte[])bytes.Clone();
        badBlocks[^7] ^= 1;
        Assert.Contains("end marker counts 3 blocks", ReadCut(badBlocks, badBlocks.Length).Message);
        var badAccesses = (byte[])bytes.Clone();
        badAccesses[^5] ^= 1;
        Assert.Contains("end marker counts 101 accesses", ReadCut(badAccesses, badAccesses.Length).Message);
    }
}
