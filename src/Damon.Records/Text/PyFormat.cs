using System.Globalization;
using System.Numerics;

namespace Damon.Records.Text;

/// <summary>
/// Python's number-to-text conversions, reproduced because damo's outputs are compared byte for
/// byte: <c>'%d' % float</c> truncates, <c>'%.3f'</c> rounds the exact binary value, and
/// <c>str(float)</c> is the shortest round-trip text with Python's own exponent rules.
/// </summary>
public static class PyFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary><c>'%d' % value</c> for a float: truncation toward zero, any magnitude.</summary>
    public static string D(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(nameof(value), "cannot format a non-finite number as an integer");
        var truncated = Math.Truncate(value);
        if (Math.Abs(truncated) < 9.0e18) return ((long)truncated).ToString(Inv);
        return new BigInteger(truncated).ToString(Inv);
    }

    public static string D(long value) => value.ToString(Inv);

    /// <summary><c>'%.{digits}f' % value</c>; .NET Core 3.0+ formats the exact binary value like CPython.</summary>
    public static string F(double value, int digits) => value.ToString("F" + digits.ToString(Inv), Inv);

    /// <summary><c>str(value)</c> / <c>repr(value)</c> of a Python float.</summary>
    public static string Repr(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";

        // "R" gives the shortest round-trip digits; re-lay them out the way CPython does.
        var text = value.ToString("R", Inv);
        var sign = "";
        if (text[0] == '-') { sign = "-"; text = text[1..]; }
        int exponent = 0;
        int eIdx = text.IndexOfAny(['E', 'e']);
        if (eIdx >= 0)
        {
            exponent = int.Parse(text[(eIdx + 1)..], NumberStyles.AllowLeadingSign, Inv);
            text = text[..eIdx];
        }
        int dot = text.IndexOf('.');
        string intPart = dot >= 0 ? text[..dot] : text;
        string fracPart = dot >= 0 ? text[(dot + 1)..] : "";
        string digits = (intPart + fracPart).TrimStart('0');
        int leadingZeros = (intPart + fracPart).Length - (intPart + fracPart).TrimStart('0').Length;
        // decpt: value = 0.<digits> * 10^decpt
        int decpt = intPart.Length - leadingZeros + exponent;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";

        if (decpt > -4 && decpt <= 16)
        {
            string fixedText;
            if (decpt <= 0)
                fixedText = "0." + new string('0', -decpt) + digits;
            else if (decpt >= digits.Length)
                fixedText = digits + new string('0', decpt - digits.Length) + ".0";
            else
                fixedText = digits[..decpt] + "." + digits[decpt..];
            return sign + fixedText;
        }
        int exp10 = decpt - 1;
        string mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        string expText = (exp10 < 0 ? "-" : "+") + Math.Abs(exp10).ToString("00", Inv);
        return sign + mantissa + "e" + expText;
    }

    /// <summary>Python's float floor division <c>x // y</c>, which is not always floor(x / y).</summary>
    public static double FloorDiv(double x, double y)
    {
        double mod = x % y;
        double div = (x - mod) / y;
        if (mod != 0 && (y < 0) != (mod < 0))
        {
            mod += y;
            div -= 1.0;
        }
        if (div == 0) return Math.CopySign(0.0, x / y);
        double floorDiv = Math.Floor(div);
        if (div - floorDiv > 0.5) floorDiv += 1.0;
        return floorDiv;
    }
}
