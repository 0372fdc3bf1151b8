using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Damon.Sim.Memory;

/// <summary>
/// Software prefetch for the sampling paths: DAMON's per-region work at large footprints is one
/// or two cache misses per region (the sampled page's PTE, then its flags), each independent of the
/// other regions', so issuing every region's miss before using any overlaps them instead of paying
/// them one after another.
/// </summary>
internal static class CacheLine
{
    /// <summary>A hint to bring <paramref name="x"/>'s line towards the core; a no-op where the ISA has no prefetch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch<T>(ref T x)
    {
        // The pointer is only a hint: if the GC moves the array meanwhile, a wrong line is fetched, nothing else.
        if (Sse.IsSupported)
            Sse.Prefetch0(Unsafe.AsPointer(ref x));
    }
}
