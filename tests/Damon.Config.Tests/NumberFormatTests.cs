using Damon.Config.Numbers;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Xunit;

namespace Damon.Config.Tests;

public class NumberFormatTests
{
    [Theory]
    [InlineData(0UL, "0 B")]
    [InlineData(1024UL, "1024 B")]
    [InlineData(4096UL, "4.000 KiB")]
    [InlineData(209_715_200UL, "200.000 MiB")]
    [InlineData(1_073_741_824UL, "1024.000 MiB")]
    [InlineData(1_610_612_736UL, "1.500 GiB")]
    [InlineData(ulong.MaxValue, "max")]
    public void Sizes(ulong bytes, string text) => Assert.Equal(text, DamoPrint.Sz(bytes, false));

    [Theory]
    [InlineData(1UL, "1 B")]
    [InlineData(4096UL, "4.000000 KiB")]
    public void AccurateSizes(ulong bytes, string text) => Assert.Equal(text, DamoPrint.SzAccurate(bytes, false));

    [Theory]
    [InlineData(0UL, "0 ns")]
    [InlineData(5_000UL, "5 ms")]
    [InlineData(100_000UL, "100 ms")]
    [InlineData(1_000_000UL, "1 s")]
    [InlineData(1_500UL, "1.500 ms")]
    [InlineData(71_500_000UL, "1 m 11.500 s")]
    [InlineData(7_200_000_000UL, "2 h")]
    [InlineData(90_061_000_001UL, "25 h 1 m 1.000 s")]
    [InlineData(ulong.MaxValue, "max")]
    public void Times(ulong us, string text) => Assert.Equal(text, DamoPrint.TimeUs(us, false));

    [Theory]
    [InlineData(0UL, "0 ns")]
    [InlineData(71_500_000UL, "1 m 11 s 500 ms")]
    [InlineData(90_061_000_001UL, "1 d 1 h 1 m 1 s 1 us")]
    [InlineData(ulong.MaxValue, "max")]
    public void ExactTimes(ulong us, string text) => Assert.Equal(text, DamoPrint.TimeUsExact(us, false));

    [Theory]
    [InlineData(1_000UL, "1 s")]
    [InlineData(ulong.MaxValue, "max")]
    public void ExactMilliseconds(ulong ms, string text) => Assert.Equal(text, DamoPrint.TimeMsExact(ms, false));

    [Theory]
    [InlineData(0UL, "0 %")]
    [InlineData(1UL, "0.1 %")]
    [InlineData(500UL, "50 %")]
    [InlineData(1_234UL, "123.4 %")]
    public void PermilAsPercent(ulong permil, string text) => Assert.Equal(text, DamoPrint.Permil(permil, false));

    [Theory]
    [InlineData(50UL, "0.5 %")]
    [InlineData(400UL, "4 %")]
    [InlineData(9_970UL, "99.7 %")]
    public void BasisPointsAsPercent(ulong bp, string text) => Assert.Equal(text, DamoPrint.Bp(bp, false));

    [Theory]
    [InlineData(0.0, "0 %")]
    [InlineData(28.999999999999996, "28 %")]
    [InlineData(70.5, "70 %")]
    [InlineData(18446744073709551615.0, "18,446,744,073,709,551,615 %")]
    public void AccessRatePercent(double percent, string text) => Assert.Equal(text, DamoPrint.Percent(percent, false));

    [Theory]
    [InlineData(1_000UL, "1,000")]
    [InlineData(999UL, "999")]
    [InlineData(ulong.MaxValue, "18,446,744,073,709,551,615")]
    public void Numbers(ulong n, string text) => Assert.Equal(text, DamoPrint.Nr(n, false));

    [Fact]
    public void RawIsPlainDigitsInTheFieldUnit()
    {
        Assert.Equal("209715200", DamoPrint.Sz(209_715_200, true));
        Assert.Equal("5000", DamoPrint.TimeUs(5_000, true));
        Assert.Equal("5000", DamoPrint.TimeUsExact(5_000, true));
        Assert.Equal("1000", DamoPrint.TimeMsExact(1_000, true));
        Assert.Equal("1", DamoPrint.Permil(1, true));
        Assert.Equal("1000", DamoPrint.Nr(1_000, true));
    }

    private static FsCheck.Config Seeded(ulong seed) =>
        FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300).WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));

    private static readonly Arbitrary<ulong> AnyUlong = Arb.From(
        from hi in Gen.Choose(int.MinValue, int.MaxValue)
        from lo in Gen.Choose(int.MinValue, int.MaxValue)
        from shift in Gen.Choose(0, 63)
        select ((ulong)(uint)hi << 32 | (uint)lo) >> shift);

    [Fact]
    public void ExactTimesRoundTrip() => Check.One(Seeded(0x71E), Prop.ForAll(AnyUlong, us =>
        DamoParse.TryTimeUs(DamoPrint.TimeUsExact(us, false), out var back) && (back == us || us >= ulong.MaxValue / 1000)));

    [Fact]
    public void NumbersRoundTrip() => Check.One(Seeded(0x4E4), Prop.ForAll(AnyUlong, n =>
        DamoParse.TryNr(DamoPrint.Nr(n, false), out var back) && back == n));

    [Fact]
    public void SizesRoundTripWithinThePrintedPrecision() => Check.One(Seeded(0x5A5), Prop.ForAll(AnyUlong, sz =>
    {
        if (!DamoParse.TrySize(DamoPrint.Sz(sz, false), out var back)) return false;
        if (sz <= 1024 || sz == ulong.MaxValue) return back == sz;
        // Three decimals of the unit: off by at most half a thousandth of it.
        double unit = Math.Pow(1024, Math.Floor(Math.Log((double)sz - 1, 1024)));
        return Math.Abs((double)back - sz) <= unit / 2000 + 1;
    }));

    [Fact]
    public void WholeUnitSizesRoundTripExactly()
    {
        foreach (int shift in new[] { 10, 20, 30, 40, 50 })
            for (ulong m = 1; m < 1024; m += 37)
            {
                ulong sz = m << shift;
                Assert.True(DamoParse.TrySize(DamoPrint.Sz(sz, false), out var back));
                Assert.Equal(sz, back);
            }
    }

    [Fact]
    public void RatiosRoundTrip()
    {
        for (ulong v = 0; v <= 20_000; v += 7)
        {
            Assert.True(DamoParse.TryPermil(DamoPrint.Permil(v, false), out var permil));
            Assert.Equal(v, permil);
            Assert.True(DamoParse.TryBp(DamoPrint.Bp(v, false), out var bp));
            Assert.Equal(v, bp);
            Assert.True(DamoParse.TryPercent(DamoPrint.Percent(v, false), out var pct));
            Assert.Equal(v, pct);
        }
    }

    [Fact]
    public void RawRoundTrips()
    {
        foreach (ulong v in new ulong[] { 0, 1, 4096, 123_456_789, ulong.MaxValue - 1 })
        {
            Assert.True(DamoParse.TrySize(DamoPrint.Sz(v, true), out var sz));
            Assert.Equal(v, sz);
            Assert.True(DamoParse.TryTimeUs(DamoPrint.TimeUsExact(v, true), out var us));
            Assert.Equal(v, us);
        }
    }
}
