using System.Globalization;

namespace Damon.Records.Text;

/// <summary>
/// A number with Python's int-or-float semantics. damo computes with exact integers until a float
/// enters (for example the start time it infers for the first snapshot of a trace); from then on
/// results are floats, which shows in its output ("-0.03125" times, truncated durations). Reports
/// use this where such values flow so they print what damo prints.
/// </summary>
public readonly struct PyNum : IComparable<PyNum>
{
    private readonly long _int;
    private readonly double _float;

    public bool IsFloat { get; }

    private PyNum(long i, double f, bool isFloat)
    {
        _int = i;
        _float = f;
        IsFloat = isFloat;
    }

    public static PyNum Int(long value) => new(value, 0, false);
    public static PyNum Float(double value) => new(0, value, true);

    public static implicit operator PyNum(long value) => Int(value);

    public double AsDouble => IsFloat ? _float : _int;

    /// <summary>Python's int(x): truncation toward zero.</summary>
    public long Truncate() => IsFloat ? (long)Math.Truncate(_float) : _int;

    public static PyNum operator +(PyNum a, PyNum b) => a.IsFloat || b.IsFloat ? Float(a.AsDouble + b.AsDouble) : Int(a._int + b._int);
    public static PyNum operator -(PyNum a, PyNum b) => a.IsFloat || b.IsFloat ? Float(a.AsDouble - b.AsDouble) : Int(a._int - b._int);
    public static PyNum operator *(PyNum a, PyNum b) => a.IsFloat || b.IsFloat ? Float(a.AsDouble * b.AsDouble) : Int(a._int * b._int);

    /// <summary>Python's <c>//</c>.</summary>
    public PyNum FloorDiv(long divisor)
    {
        if (IsFloat) return Float(PyFormat.FloorDiv(_float, divisor));
        long q = _int / divisor;
        if (_int % divisor != 0 && (_int < 0) != (divisor < 0)) q--;
        return Int(q);
    }

    public static PyNum Max(PyNum a, PyNum b) => a.CompareTo(b) >= 0 ? a : b;
    public static PyNum Min(PyNum a, PyNum b) => a.CompareTo(b) <= 0 ? a : b;

    public int CompareTo(PyNum other) =>
        IsFloat || other.IsFloat ? AsDouble.CompareTo(other.AsDouble) : _int.CompareTo(other._int);

    public static bool operator <(PyNum a, PyNum b) => a.CompareTo(b) < 0;
    public static bool operator >(PyNum a, PyNum b) => a.CompareTo(b) > 0;
    public static bool operator <=(PyNum a, PyNum b) => a.CompareTo(b) <= 0;
    public static bool operator >=(PyNum a, PyNum b) => a.CompareTo(b) >= 0;

    /// <summary>Python's str(x).</summary>
    public override string ToString() => IsFloat ? PyFormat.Repr(_float) : _int.ToString(CultureInfo.InvariantCulture);
}
