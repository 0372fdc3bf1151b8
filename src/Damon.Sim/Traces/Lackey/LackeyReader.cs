using Damon.Sim.Workloads;

namespace Damon.Sim.Traces.Lackey;

/// <summary>One line of `valgrind --tool=lackey --trace-mem=yes` output.</summary>
public readonly record struct LackeyRecord(LackeyKind Kind, ulong Addr, uint Size, long Line);

public enum LackeyKind : byte
{
    /// <summary><c>I  addr,size</c>: an instruction fetch.</summary>
    Instr,
    /// <summary><c> L addr,size</c>: a data load.</summary>
    Load,
    /// <summary><c> S addr,size</c>: a data store.</summary>
    Store,
    /// <summary><c> M addr,size</c>: a modify, i.e. a load and a store of the same bytes.</summary>
    Modify,
}

/// <summary>
/// Streams lackey's text output: <c>I  addr,size</c>, <c> L addr,size</c>, <c> S addr,size</c>,
/// <c> M addr,size</c> with a hexadecimal address and a decimal size. Valgrind's own lines
/// (<c>==pid==</c>, <c>--pid--</c>, <c>**pid**</c>) and empty lines are skipped; anything else
/// is an error naming the file and line. Parses bytes directly (no string per line).
/// </summary>
public sealed class LackeyReader : IDisposable
{
    private readonly Stream _stream;
    private readonly string _name;
    private readonly byte[] _buf = new byte[1 << 20];
    private int _pos, _len;
    private bool _eof;
    private long _line;

    public LackeyReader(Stream stream, string name)
    {
        _stream = stream;
        _name = name;
    }

    public static LackeyReader Open(string path)
    {
        try
        {
            return new LackeyReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WorkloadFormatException(path, 0, $"cannot open lackey trace: {e.Message}");
        }
    }

    public long Line => _line;

    public bool Next(out LackeyRecord record)
    {
        while (true)
        {
            if (!NextLine(out int start, out int end)) { record = default; return false; }
            _line++;
            if (end > start && _buf[end - 1] == (byte)'\r') end--;
            if (end == start) continue;
            byte c0 = _buf[start];
            if (c0 == (byte)'=' || c0 == (byte)'-' || c0 == (byte)'*') continue;
            record = Parse(start, end);
            return true;
        }
    }

    private LackeyRecord Parse(int start, int end)
    {
        var s = _buf.AsSpan(start, end - start);
        LackeyKind kind;
        int p;
        if (s.Length >= 3 && s[0] == (byte)'I' && s[1] == (byte)' ') { kind = LackeyKind.Instr; p = 2; }
        else if (s.Length >= 3 && s[0] == (byte)' ' && s[2] == (byte)' ')
        {
            kind = s[1] switch
            {
                (byte)'L' => LackeyKind.Load,
                (byte)'S' => LackeyKind.Store,
                (byte)'M' => LackeyKind.Modify,
                _ => throw Error(s, "unknown access kind (expected I, L, S or M)"),
            };
            p = 3;
        }
        else throw Error(s, "not a lackey line (expected 'I  addr,size' or ' L|S|M addr,size')");
        while (p < s.Length && s[p] == (byte)' ') p++;
        ulong addr = 0;
        int digits = 0;
        for (; p < s.Length; p++)
        {
            int h = Hex(s[p]);
            if (h < 0) break;
            if (++digits > 16) throw Error(s, "address longer than 16 hex digits");
            addr = (addr << 4) | (uint)h;
        }
        if (digits == 0) throw Error(s, "missing hexadecimal address");
        if (p >= s.Length || s[p] != (byte)',') throw Error(s, "expected ',' after the address");
        p++;
        ulong size = 0;
        int sdigits = 0;
        for (; p < s.Length && s[p] >= (byte)'0' && s[p] <= (byte)'9'; p++)
        {
            size = size * 10 + (ulong)(s[p] - '0');
            if (++sdigits > 9) throw Error(s, "size too large");
        }
        if (sdigits == 0) throw Error(s, "missing decimal size after ','");
        while (p < s.Length && s[p] == (byte)' ') p++;
        if (p != s.Length) throw Error(s, "unexpected text after the size");
        if (size == 0) throw Error(s, "size 0");
        return new LackeyRecord(kind, addr, (uint)size, _line);
    }

    private static int Hex(byte b) =>
        b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;

    private WorkloadFormatException Error(ReadOnlySpan<byte> line, string reason)
    {
        string text = System.Text.Encoding.UTF8.GetString(line[..Math.Min(line.Length, 80)]);
        return new WorkloadFormatException(_name, _line, $"{reason}: '{text}'");
    }

    private bool NextLine(out int start, out int end)
    {
        while (true)
        {
            int nl = _buf.AsSpan(_pos, _len - _pos).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                start = _pos;
                end = _pos + nl;
                _pos = end + 1;
                return true;
            }
            if (_eof)
            {
                start = _pos;
                end = _len;
                _pos = _len;
                return end > start;
            }
            if (_pos > 0)
            {
                Buffer.BlockCopy(_buf, _pos, _buf, 0, _len - _pos);
                _len -= _pos;
                _pos = 0;
            }
            if (_len == _buf.Length)
                throw new WorkloadFormatException(_name, _line + 1, $"line longer than {_buf.Length} bytes");
            int r = _stream.Read(_buf, _len, _buf.Length - _len);
            if (r == 0) _eof = true;
            else _len += r;
        }
    }

    public void Dispose() => _stream.Dispose();
}
