using Damon.Records.Text;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>Python / damo number formatting corner cases that golden outputs depend on.</summary>
public class FormatTests
{
    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(-0.03125, "-0.03125")]
    [InlineData(112926860.96875, "112926860.96875")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(2.5e20, "2.5e+20")]
    public void Repr_matches_python(double value, string expected) => Assert.Equal(expected, PyFormat.Repr(value));

    [Theory]
    [InlineData(0.0005, "0.001")]
    [InlineData(1.0005, "1.000")]
    [InlineData(2.675, "2.675")]
    [InlineData(-0.0001, "-0.000")]
    public void Fixed_point_rounds_the_exact_binary_value(double value, string expected) => Assert.Equal(expected, PyFormat.F(value, 3));

    [Theory]
    [InlineData(0, "0 ns")]
    [InlineData(104599000, "104.599 ms")]
    [InlineData(539809434100, "8 m 59.809 s")]
    [InlineData(6648200000000, "1 h 50 m 48.200 s")]
    [InlineData(3600000000000, "1 h")]
    [InlineData(120000000000, "2 m")]
    [InlineData(61000000000, "1 m 1 s")]
    [InlineData(-1500, "-1.500 us")]
    public void Time_matches_damo(long ns, string expected) => Assert.Equal(expected, DamoFormat.TimeNs(ns, false));

    [Fact]
    public void Exact_time_lists_every_unit_like_damo() =>
        Assert.Equal("20,233 d 16 h 46 m 49 s 649 ms 802 us 240 ns", DamoFormat.TimeNsExact(1748191609649802240, false));

    [Theory]
    [InlineData(1024, "1024 B")]
    [InlineData(4096, "4.000 KiB")]
    [InlineData(64283250688, "59.868 GiB")]
    public void Size_matches_damo(long sz, string expected) => Assert.Equal(expected, DamoFormat.Sz(sz, false));

    [Fact]
    public void Numbers_get_thousands_commas_unless_raw()
    {
        Assert.Equal("-664,810,000,000", DamoFormat.Nr(-664810000000L, false));
        Assert.Equal("-664810000000", DamoFormat.Nr(-664810000000L, true));
        Assert.Equal("max", DamoFormat.Sz(ulong.MaxValue, false));
        Assert.Equal("18446744073709551615", DamoFormat.Sz(ulong.MaxValue, true));
    }

    [Theory]
    [InlineData("4,096", 4096)]
    [InlineData("0 B", 0)]
    [InlineData("31.340 MiB", 32862371)]
    [InlineData("2 GiB", 2147483648)]
    public void Human_sizes_parse(string text, long expected)
    {
        Assert.True(DamoText.TryBytes(text, out var v));
        Assert.Equal(expected, (long)v);
    }

    [Theory]
    [InlineData("5 ms", 5000000)]
    [InlineData("1 m 11.5 s", 71500000000)]
    [InlineData("1,745,091,985,773,302,272", 1745091985773302272)]
    public void Human_times_parse(string text, long expectedNs)
    {
        Assert.True(DamoText.TryNs(text, out var v));
        Assert.Equal(expectedNs, (long)v);
    }

    [Fact]
    public void Floor_division_follows_python()
    {
        Assert.Equal(-1.0, PyFormat.FloorDiv(-0.5, 1));
        Assert.Equal(2.0, PyFormat.FloorDiv(7, 3));
        Assert.Equal(PyNum.Int(-4), PyNum.Int(-7).FloorDiv(2), PyNumComparer.Instance);
    }

    private sealed class PyNumComparer : IEqualityComparer<PyNum>
    {
        public static readonly PyNumComparer Instance = new();
        public bool Equals(PyNum a, PyNum b) => a.ToString() == b.ToString();
        public int GetHashCode(PyNum n) => n.ToString().GetHashCode(StringComparison.Ordinal);
    }
}
