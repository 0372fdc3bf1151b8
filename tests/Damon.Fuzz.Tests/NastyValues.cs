namespace Damon.Fuzz.Tests;

/// <summary>Values that have broken number and text parsers before: limits, signs, specials, units.</summary>
internal static class NastyValues
{
    public static readonly string[] Numbers =
    [
        "0", "-0", "-1", "1e400", "-1e400", "1e-400", "1e308", "NaN", "nan", "Infinity", "-Infinity", "inf",
        "18446744073709551615", "18446744073709551616", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "4294967295", "4294967296", "2147483648", "-2147483649",
        "99999999999999999999999999999999999999999999999999", "1.5", "0.0000001", "-0.5", "0x7fffffffffffffff",
        "1_000", "1,000", "1e3", "1E+20", "00012", "+5", ".5", "5.",
    ];

    /// <summary>Option values: the numbers above plus units, separators and non-numbers.</summary>
    public static readonly string[] OptionValues =
    [
        .. Numbers, "", " ", "abc", "1 2", "10K", "1.5G", "-1G", "16EiB", "1T", "5ms", "-5ms", "1e400s", "0s", "1h",
        "100%", "-1%", "1e400%", "max", "min", "٣", "１", "1/2", "--", "-", "0b101", "0o17", "1..2", "${HOME}",
        "\u0000", "1\n2", "NaNms", "infK",
    ];

    /// <summary>A value drawn from the list, or a random string of number-ish characters.</summary>
    public static string Option(Random r)
    {
        if (r.Next(4) > 0) return OptionValues[r.Next(OptionValues.Length)];
        const string alphabet = "0123456789012345.-+eE,_kKmMgGiBsx% ";
        var chars = new char[r.Next(1, 14)];
        for (int i = 0; i < chars.Length; i++) chars[i] = alphabet[r.Next(alphabet.Length)];
        return new string(chars);
    }
}
