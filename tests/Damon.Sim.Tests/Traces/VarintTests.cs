using Damon.Sim.Traces;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Damon.Sim.Tests.Traces;

public class VarintTests
{
    [Fact]
    public void RoundTripsEveryValue()
    {
        Check.One(SeededProperty.Config(0x7A21), Prop.ForAll(ArbMap.Default.ArbFor<ulong>(), ArbMap.Default.ArbFor<int>(), (ulong v, int shift) =>
        {
            ulong x = v >> (shift & 63);
            var buf = new byte[Varint.MaxBytes];
            int n = Varint.Write(buf, 0, x);
            int pos = 0;
            return Varint.TryRead(buf.AsSpan(0, n), ref pos, out ulong back) && back == x && pos == n
                && n == Math.Max(1, (64 - System.Numerics.BitOperations.LeadingZeroCount(x) + 6) / 7);
        }));
    }

    [Fact]
    public void ZigZagMapsSmallMagnitudesToSmallCodes()
    {
        Assert.Equal([0UL, 1UL, 2UL, 3UL, 4UL], new long[] { 0, -1, 1, -2, 2 }.Select(Varint.ZigZag));
        Check.One(SeededProperty.Config(0x2162), Prop.ForAll(ArbMap.Default.ArbFor<long>(), (long v) => Varint.UnZigZag(Varint.ZigZag(v)) == v));
    }

    [Fact]
    public void CutVarintsReportNotOverlongOnes()
    {
        int pos = 0;
        Assert.False(Varint.TryRead([0x80, 0x80], ref pos, out _));
        Assert.Equal(0, pos);
        var overlong = Enumerable.Repeat((byte)0xff, 11).ToArray();
        Assert.Throws<FormatException>(() => { int p = 0; Varint.TryRead(overlong, ref p, out _); });
    }
}
