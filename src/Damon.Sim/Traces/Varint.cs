using System.Runtime.CompilerServices;

namespace Damon.Sim.Traces;

/// <summary>LEB128 unsigned varints and zigzag signed encoding, as used by the trace format.</summary>
public static class Varint
{
    public const int MaxBytes = 10;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long UnZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);

    /// <summary>Writes <paramref name="v"/> at <paramref name="dst"/>[pos..]; returns the new position. dst must have 10 bytes of room.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Write(Span<byte> dst, int pos, ulong v)
    {
        while (v >= 0x80)
        {
            dst[pos++] = (byte)(v | 0x80);
            v >>= 7;
        }
        dst[pos++] = (byte)v;
        return pos;
    }

    /// <summary>
    /// Reads a varint from <paramref name="src"/> at <paramref name="pos"/>. Returns false, leaving
    /// pos unchanged, if the bytes end first; throws <see cref="FormatException"/> if it is longer than 10 bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRead(ReadOnlySpan<byte> src, ref int pos, out ulong value)
    {
        if ((uint)pos < (uint)src.Length && src[pos] < 0x80)
        {
            value = src[pos++];
            return true;
        }
        return TryReadSlow(src, ref pos, out value);
    }

    private static bool TryReadSlow(ReadOnlySpan<byte> src, ref int pos, out ulong value)
    {
        ulong v = 0;
        int shift = 0;
        for (int p = pos; p < src.Length; p++)
        {
            byte b = src[p];
            if (shift == 63 && b > 1) throw new FormatException("varint overflows 64 bits");
            v |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                pos = p + 1;
                value = v;
                return true;
            }
            shift += 7;
            if (shift > 63) throw new FormatException("varint longer than 10 bytes");
        }
        value = 0;
        return false;
    }
}
