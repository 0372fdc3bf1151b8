using Damon.Core.Util;
using Xunit;

namespace Damon.Core.Tests.Util;

/// <summary>The one size and duration grammar every option uses (docs/cli.md, "Numbers, sizes and durations").</summary>
public class NumberTextTests
{
    [Theory]
    [InlineData("4096", 4096UL)]
    [InlineData("4K", 4096UL)]
    [InlineData("4 KiB", 4096UL)]
    [InlineData("4KB", 4096UL)]
    [InlineData("1.5G", 1610612736UL)]
    [InlineData("200MB", 209715200UL)]
    [InlineData("1,024", 1024UL)]
    [InlineData("12,345,678", 12345678UL)]
    [InlineData("1,024 KiB", 1048576UL)]
    [InlineData("0.5B", 0UL)]
    [InlineData("15E", 15UL << 60)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    [InlineData(" 8M ", 8388608UL)]
    public void Sizes(string text, ulong bytes)
    {
        Assert.True(SizeText.TryParse(text, out ulong v, out string problem), problem);
        Assert.Equal(bytes, v);
    }

    [Theory]
    [InlineData("99999999999999999999G", "too large (at most 2^64 - 1 bytes)")]
    [InlineData("18446744073709551616", "too large (at most 2^64 - 1 bytes)")]
    [InlineData("16E", "too large (at most 2^64 - 1 bytes)")]
    [InlineData("1e400", "too large")]
    [InlineData("-1", "must not be negative")]
    [InlineData("-4K", "must not be negative")]
    [InlineData("NaN", "not a size (e.g. 4096, 4K, 1.5 GiB, 200MB)")]
    [InlineData("Infinity", "not a size (e.g. 4096, 4K, 1.5 GiB, 200MB)")]
    [InlineData("4k", "not a size (e.g. 4096, 4K, 1.5 GiB, 200MB)")]
    [InlineData("K", "not a size (e.g. 4096, 4K, 1.5 GiB, 200MB)")]
    [InlineData("", "not a size (e.g. 4096, 4K, 1.5 GiB, 200MB)")]
    [InlineData("0x10", "not a size (e.g. 4096, 4K, 1.5 GiB, 200MB)")]
    [InlineData("1_000", "not a size (e.g. 4096, 4K, 1.5 GiB, 200MB)")]
    [InlineData("1,5", DigitGrouping.Rule)]
    [InlineData("1,5G", DigitGrouping.Rule)]
    [InlineData("1000,000", DigitGrouping.Rule)]
    [InlineData("1,00", DigitGrouping.Rule)]
    [InlineData(",100", DigitGrouping.Rule)]
    public void BadSizes(string text, string expected)
    {
        Assert.False(SizeText.TryParse(text, out _, out string problem));
        Assert.Equal(expected, problem);
    }

    [Theory]
    [InlineData("10", 10_000_000UL)]
    [InlineData("10s", 10_000_000UL)]
    [InlineData("10 s", 10_000_000UL)]
    [InlineData("0.1s", 100_000UL)]
    [InlineData("500ms", 500_000UL)]
    [InlineData("250us", 250UL)]
    [InlineData("1500ns", 1UL)]
    [InlineData("1m", 60_000_000UL)]
    [InlineData("1m 30s", 90_000_000UL)]
    [InlineData("1 m 11.5 s", 71_500_000UL)]
    [InlineData("1h", 3_600_000_000UL)]
    [InlineData("1d", 86_400_000_000UL)]
    [InlineData("1e3s", 1_000_000_000UL)]
    [InlineData("1,000", 1_000_000_000UL)]
    [InlineData("1,000ms", 1_000_000UL)]
    [InlineData("1,000 ms 1,500us", 1_001_500UL)]
    [InlineData("2.5", 2_500_000UL)]
    public void SecondsDurations(string text, ulong us)
    {
        Assert.True(DurationText.TryParseUs(text, DurationText.NsPerSec, out ulong v, out string problem), problem);
        Assert.Equal(us, v);
    }

    [Fact]
    public void BareNumbersTakeTheCallersUnit()
    {
        Assert.True(DurationText.TryParseUs("100000", DurationText.NsPerUs, out ulong us, out _));
        Assert.Equal(100_000UL, us);
        Assert.True(DurationText.TryParseUs("100ms", DurationText.NsPerUs, out us, out _));
        Assert.Equal(100_000UL, us);
    }

    [Theory]
    [InlineData("1e400s", "too large")]
    [InlineData("1e400", "too large")]
    [InlineData("99999999999999999999s", "too large (at most 2^64 - 1 ns)")]
    [InlineData("-1s", "must not be negative")]
    [InlineData("-5", "must not be negative")]
    [InlineData("NaN", NumberText.NotANumber)]
    [InlineData("abc", NumberText.NotANumber)]
    [InlineData("10 parsecs", NumberText.NotANumber)]
    [InlineData("s", NumberText.NotANumber)]
    [InlineData("10S", NumberText.NotANumber)]
    [InlineData("", NumberText.NotANumber)]
    [InlineData("1,5", DigitGrouping.Rule)]
    [InlineData("1,5s", DigitGrouping.Rule)]
    public void BadDurations(string text, string expected)
    {
        Assert.False(DurationText.TryParseNs(text, DurationText.NsPerSec, out _, out string problem));
        Assert.Equal(expected, problem);
    }

    [Theory]
    [InlineData("1,000", true, "1000")]
    [InlineData("-12,345,678.25", true, "-12345678.25")]
    [InlineData("1,000e3", true, "1000e3")]
    [InlineData("1000", true, "1000")]
    [InlineData("1,5", false, "1,5")]
    [InlineData("1,0000", false, "1,0000")]
    [InlineData("1000,000", false, "1000,000")]
    [InlineData("1,000.000,1", false, "1,000.000,1")]
    [InlineData("1,024M", true, "1024M")]
    [InlineData("1,5ms", false, "1,5ms")]
    [InlineData(",5", false, ",5")]
    [InlineData("5,", false, "5,")]
    public void ThousandsSeparators(string text, bool ok, string plain)
    {
        Assert.Equal(ok, DigitGrouping.TryRemove(text, out string p));
        Assert.Equal(plain, p);
    }

    [Theory]
    [InlineData("20", 0, 100, true, 20L, "")]
    [InlineData("1,000", 0, 10000, true, 1000L, "")]
    [InlineData("-1", 0, 100, false, 0L, "must not be negative")]
    [InlineData("1.5", 0, 100, false, 0L, "not a whole number")]
    [InlineData("101", 0, 100, false, 0L, "out of range (0 to 100)")]
    [InlineData("x", 0, 100, false, 0L, NumberText.NotANumber)]
    public void Integers(string text, long min, long max, bool ok, long value, string problem)
    {
        Assert.Equal(ok, NumberText.TryParseInteger(text, min, max, out long v, out string p));
        Assert.Equal(value, v);
        Assert.Equal(problem, p);
    }
}
