using System.Runtime.CompilerServices;

namespace Damon.Core.Util;

/// <summary>The kernel's integer helpers, with its overflow behaviour.</summary>
public static class KernelMath
{
    /// <summary>mult_frac(x, n, d): floor(x * n / d) without intermediate overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MultFrac(ulong x, ulong n, ulong d)
        => (ulong)((UInt128)x * n / d);

    /// <summary>ALIGN_DOWN(x, a) for a power-of-two or any non-zero a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AlignDown(ulong x, ulong a) => x - x % a;

    /// <summary>ALIGN(x, a): round up to a multiple of a (wraps like the kernel on overflow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AlignUp(ulong x, ulong a)
    {
        ulong rem = x % a;
        return rem == 0 ? x : x + (a - rem);
    }

    public static bool IsPowerOfTwo(ulong x) => x != 0 && (x & (x - 1)) == 0;
}
