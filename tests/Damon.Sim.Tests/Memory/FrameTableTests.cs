using Damon.Sim.Memory;
using Xunit;

namespace Damon.Sim.Tests;

public class FrameTableTests
{
    private const uint ChunkFrames = 1U << FrameTable.ChunkShift;

    [Fact]
    public void ReverseMapRoundTripsWithoutAHighColumnWhileAChunkSharesOneHighValue()
    {
        var t = new FrameTable(2 * ChunkFrames);
        t.EnsureChunk(0);
        ulong mmapVpage = 0x7_ffff_0000;            // the mmap area: high part 7
        for (uint f = 0; f < 100; f++)
            t.SetRmap(f, 3, mmapVpage + f);
        t.SetRmap(100, 0, 0);                       // freed
        t.SetRmap(101, 0, mmapVpage + 101);         // page cache left unmapped keeps its page
        t.SetRmap(102, 3, 0x7_0000_0000);           // low part 0, owned: still the chunk's high part
        Assert.Equal(mmapVpage + 42, t.OwnerVpage(42));
        Assert.Equal(3, t.OwnerPid(42));
        Assert.Equal(0UL, t.OwnerVpage(100));
        Assert.Equal(0UL, t.OwnerVpage(200));       // never set
        Assert.Equal(mmapVpage + 101, t.OwnerVpage(101));
        Assert.Equal(0x7_0000_0000UL, t.OwnerVpage(102));
        Assert.Null(t.VpageHi[0]);
        Assert.Equal(8L * ChunkFrames, t.StateBytes);
    }

    [Fact]
    public void ASecondHighValueWritesOutTheColumnAndEveryFrameReadsAsBefore()
    {
        var t = new FrameTable(ChunkFrames);
        t.EnsureChunk(0);
        t.SetRmap(0, 3, 0x7_0000_0010);
        t.SetRmap(1, 0, 0);
        t.SetRmap(2, 0, 0x7_0000_0012);
        t.SetRmap(3, 4, 0x5555_5555);               // the heap: high part 0
        Assert.NotNull(t.VpageHi[0]);
        Assert.Equal(0x7_0000_0010UL, t.OwnerVpage(0));
        Assert.Equal(0UL, t.OwnerVpage(1));
        Assert.Equal(0x7_0000_0012UL, t.OwnerVpage(2));
        Assert.Equal(0x5555_5555UL, t.OwnerVpage(3));
        Assert.Equal(0UL, t.OwnerVpage(4));
        Assert.Equal(9L * ChunkFrames, t.StateBytes);
    }

    [Fact]
    public void AFreedFrameWithAHighPartOnlyNeedsTheColumnWhenItIsNotZero()
    {
        var t = new FrameTable(ChunkFrames);
        t.EnsureChunk(0);
        t.SetRmap(5, 0, 0x3_0000_0000);             // unmapped, low part 0, high 3: not the implied 0
        Assert.NotNull(t.VpageHi[0]);
        Assert.Equal(0x3_0000_0000UL, t.OwnerVpage(5));
        Assert.Equal(0UL, t.OwnerVpage(6));
    }

    [Fact]
    public void MemcgColumnIsMadeOnlyForAFrameChargedOutsideTheRoot()
    {
        var t = new FrameTable(2 * ChunkFrames);
        t.EnsureChunk(0);
        t.EnsureChunk(ChunkFrames);
        t.SetMemcg(7, 0);
        Assert.Null(t.Memcg[0]);
        Assert.Equal(0, t.MemcgIndex(7));
        t.SetMemcg(ChunkFrames + 7, 2);
        Assert.Null(t.Memcg[0]);
        Assert.Equal(2, t.MemcgIndex(ChunkFrames + 7));
        Assert.Equal(0, t.MemcgIndex(ChunkFrames + 8));
        Assert.Equal((2L * 8 + 1) * ChunkFrames, t.StateBytes);
    }
}
