using FsCheck;
using FsCheck.Fluent;
using Damon.Records.Text;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>Properties of the number printers and parsers: what damo prints, damon reads back.</summary>
public class FormatPropertyTests
{
    /// <summary>Non-negative longs spread over every magnitude (FsCheck's default longs stay small).</summary>
    private static readonly Arbitrary<long> WideNonNegative = Arb.From(
        Gen.Zip(Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, int.MaxValue)), Gen.Choose(0, 62))
            .Select(t => (((long)t.Item1.Item1 << 32) | (uint)t.Item1.Item2) >> t.Item2));

    private static readonly Arbitrary<long> AnyLong = Arb.From(
        Gen.Zip(WideNonNegative.Generator, Gen.Elements(1L, -1L)).Select(t => t.Item1 * t.Item2));
    private static readonly Arbitrary<double> FiniteDouble = ArbMap.Default.ArbFor<double>().Filter(double.IsFinite);

    [Fact]
    public void Comma_grouped_numbers_parse_back() =>
        Check.One(SeededProperty.Config(0xC0AA),
            Prop.ForAll(AnyLong, n => DamoText.TryNumber(DamoFormat.Nr(n, false), out var v) && v == n));

    [Fact]
    public void Raw_sizes_parse_back() =>
        Check.One(SeededProperty.Config(0x512E),
            Prop.ForAll(WideNonNegative, n => DamoText.TryBytes(DamoFormat.Sz(n, true), out var v) && v == n));

    [Fact]
    public void Python_repr_round_trips_every_finite_double() =>
        Check.One(SeededProperty.Config(0x4E94), Prop.ForAll(FiniteDouble,
            d => double.Parse(PyFormat.Repr(d), System.Globalization.CultureInfo.InvariantCulture) == d));

    [Fact]
    public void Human_sizes_are_within_rounding_of_the_value() =>
        Check.One(SeededProperty.Config(0x8A51), Prop.ForAll(WideNonNegative.Filter(n => n > 1024), n =>
        {
            Assert.True(DamoText.TryBytes(DamoFormat.Sz(n, false), out var v));
            // Three decimals of the largest binary unit below n.
            return Math.Abs((double)v - n) <= n * 0.0005 + 1;
        }));

    [Fact]
    public void Time_text_parses_back_to_the_same_nanoseconds_for_whole_milliseconds() =>
        Check.One(SeededProperty.Config(0x71AE), Prop.ForAll(WideNonNegative.Filter(n => n < 1L << 50), n =>
        {
            long ns = n / 1_000_000 * 1_000_000;
            return DamoText.TryNs(DamoFormat.TimeNs(ns, false), out var v) && v == ns;
        }));
}
