using Damon.Sim.Traces;
using Damon.Sim.Workloads;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Damon.Sim.Tests.Traces;

public class TraceRoundTripTests
{
    [Fact]
    public void WhatIsWrittenIsReadBack()
    {
        using var tmp = new TempPath();
        var policy = new MemPolicy(MemPolicyMode.WeightedInterleave, [0, 1], [3, 1]);
        using (var w = new TraceWriter(tmp.Path, 4096))
        {
            int p0 = w.AddProcess("app", 7);
            int p1 = w.AddProcess("другой");   // UTF-8 names survive
            w.Mmap(p0, 0x7f0000000000, 1 << 20, MapFlags.Thp, policy);
            w.Brk(p1, 0x555555554000, 8192);
            int t0 = w.AddThread(p0, 3);
            int t1 = w.AddThread(p1, 1);
            w.BeginBatch(t0, 100);
            w.Append(new MemAccess(0x7f0000000040, false));
            w.Append([new MemAccess(0x7f0000000040, true), new MemAccess(0x7f0000000000, false)]);
            w.EndBatch(55);
            w.BeginBatch(t1, 50);
            w.Munmap(p1, 0x555555554000, 4096);
            w.Append(new MemAccess(0x555555555000, true));
            w.EndBatch(0);
            w.BeginBatch(t0, 200);
            w.EndBatch(10);   // an empty batch writes no block
            w.Complete();
        }
        var c = TraceFile.ReadAll(tmp.Path);
        Assert.Equal(new TraceHeader(1, 4096), c.Header);
        Assert.Equal(3, c.Blocks.Count);
        Assert.Equal([0L, 1, 2], c.Blocks.Select(b => b.Owner));
        Assert.Equal([0UL, 100, 50], c.Blocks.Select(b => b.StartNs));
        Assert.Equal(55UL, c.Blocks[1].ComputeNs);
        Assert.Equal(new TraceEvent[]
        {
            new ProcessEvent("app", 7), new ProcessEvent("другой", 0),
            new MmapEvent(0, 0x7f0000000000, 1 << 20, MapFlags.Thp, new MemPolicy(MemPolicyMode.WeightedInterleave, [0, 1], [3, 1])),
            new BrkEvent(1, 0x555555554000, 8192), new ThreadEvent(0, 3), new ThreadEvent(1, 1),
            new MunmapEvent(1, 0x555555554000, 4096),
        }, c.Events.Select(e => e.Event));
        Assert.Equal(new[] { 0L, 1, 2, 3, 4, 5, 9 }, c.Events.Select(e => e.Record));
        Assert.Equal([new MemAccess(0x7f0000000040, false), new MemAccess(0x7f0000000040, true), new MemAccess(0x7f0000000000, false)], c.AccessesByThread[0]);
        Assert.Equal([new MemAccess(0x555555555000, true)], c.AccessesByThread[1]);
        Assert.Equal(4, c.NrAccesses);
    }

    [Fact]
    public void RandomInterleavedBatchesRoundTrip()
    {
        var addr = Gen.Choose(0, int.MaxValue).Select(x => (ulong)x * 4099 % (1UL << 47));
        var access = Gen.Zip(addr, ArbMap.Default.GeneratorFor<bool>()).Select(t => new MemAccess(t.Item1, t.Item2));
        var batch = Gen.Zip(Gen.Choose(0, 2), Gen.ListOf(access).Select(l => l.ToArray()));
        Check.One(SeededProperty.Config(0x7BAC), Prop.ForAll(Gen.ListOf(batch).ToArbitrary(), batches =>
        {
            using var tmp = new TempPath();
            var expected = new List<MemAccess>[] { [], [], [] };
            using (var w = new TraceWriter(tmp.Path))
            {
                int p = w.AddProcess("p");
                for (int t = 0; t < 3; t++) w.AddThread(p, t);
                ulong now = 0;
                foreach (var (t, accesses) in batches)
                {
                    w.BeginBatch(t, now += 10);
                    w.Append(accesses);
                    w.EndBatch(1);
                    expected[t].AddRange(accesses);
                }
                w.Complete();
            }
            var c = TraceFile.ReadAll(tmp.Path);
            return c.AccessesByThread.Count == 3 && Enumerable.Range(0, 3).All(t => c.AccessesByThread[t].SequenceEqual(expected[t]));
        }));
    }

    [Fact]
    public void AnUncompletedWriterLeavesNoFile()
    {
        using var tmp = new TempPath();
        File.WriteAllText(tmp.Path, "old");
        using (var w = new TraceWriter(tmp.Path))
        {
            int p = w.AddProcess("p");
            w.AddThread(p, 0);
        }
        Assert.Equal("old", File.ReadAllText(tmp.Path));   // the destination is untouched
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(tmp.Path)!, Path.GetFileName(tmp.Path) + ".tmp*"));
    }

    [Fact]
    public void WriterRejectsMisuse()
    {
        using var tmp = new TempPath();
        using var w = new TraceWriter(tmp.Path);
        int p = w.AddProcess("p");
        int t = w.AddThread(p, 0);
        Assert.Throws<InvalidOperationException>(() => w.Append(new MemAccess(1, false)));       // outside a batch
        Assert.Throws<ArgumentOutOfRangeException>(() => w.Mmap(5, 0, 4096));                   // unknown process
        w.BeginBatch(t, 100);
        Assert.Throws<ArgumentOutOfRangeException>(() => w.Append(new MemAccess(1UL << 62, false)));
        w.EndBatch(0);
        Assert.Throws<InvalidOperationException>(() => w.BeginBatch(t, 50));                    // time went backwards
        Assert.Throws<InvalidOperationException>(() => w.AddProcess("late"));                   // setup after batches
    }
}
