using System.Globalization;
using System.Numerics;

namespace Damon.Config.Numbers;

/// <summary>
/// A parsed number with Python's int-or-float distinction: damo's parsers keep integers exact
/// ("max" is 2^64 - 1 exactly) and switch to floats as soon as a fraction or a division enters,
/// which decides how values truncate later.
/// </summary>
internal readonly record struct PyNumber(bool IsInt, BigInteger Int, double Float)
{
    public static PyNumber Of(BigInteger i) => new(true, i, 0);
    public static PyNumber Of(double f) => new(false, BigInteger.Zero, f);

    public static readonly PyNumber UlongMax = Of(new BigInteger(ulong.MaxValue));

    /// <summary>float(x): correctly rounded (BigInteger's own conversion truncates 2^64 - 1 to 2^64 - 2048).</summary>
    public double AsDouble => !IsInt ? Float
        : Int.Sign >= 0 && Int <= ulong.MaxValue ? (double)(ulong)Int
        : Int.Sign < 0 && Int >= long.MinValue ? (double)(long)Int
        : (double)Int;
    public bool IsNegative => IsInt ? Int.Sign < 0 : Float < 0;

    public static PyNumber operator *(PyNumber a, PyNumber b) =>
        a.IsInt && b.IsInt ? Of(a.Int * b.Int) : Of(a.AsDouble * b.AsDouble);

    public static PyNumber operator +(PyNumber a, PyNumber b) =>
        a.IsInt && b.IsInt ? Of(a.Int + b.Int) : Of(a.AsDouble + b.AsDouble);

    /// <summary>Python's true division: always a float.</summary>
    public PyNumber TrueDiv(double d) => Of(AsDouble / d);

    /// <summary>
    /// int(x) if it is in [0, 2^64 - 1]; false for negatives, non-finite floats and anything above,
    /// which the kernel's kstrtoul refuses with -ERANGE when damo writes it to sysfs ("max" is
    /// exactly 2^64 - 1 and passes).
    /// </summary>
    public bool TryToUlong(out ulong value)
    {
        value = 0;
        if (IsInt)
        {
            if (Int.Sign < 0 || Int > ulong.MaxValue) return false;
            value = (ulong)Int;
            return true;
        }
        if (!double.IsFinite(Float) || Float <= -1) return false;
        double t = Math.Truncate(Float);
        // 2^64 - 1 is not a double; the nearest one is 2^64, which is out of range.
        if (t >= 18446744073709551615.0) return false;
        value = (ulong)t;
        return true;
    }

    /// <summary>
    /// Python's int()/float() of a string: surrounding blanks allowed; floats must be finite here
    /// because no DAMON parameter is infinite.
    /// </summary>
    public static bool TryParse(string text, out PyNumber value)
    {
        var t = text.Trim();
        value = default;
        if (t.Length == 0) return false;
        if (BigInteger.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            value = Of(i);
            return true;
        }
        if (t.Any(c => char.IsLetter(c) && c is not ('e' or 'E'))) return false;
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            value = Of(d);
            return true;
        }
        return false;
    }
}
