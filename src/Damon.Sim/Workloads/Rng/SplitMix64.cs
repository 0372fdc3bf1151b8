using System.Runtime.CompilerServices;

namespace Damon.Sim.Workloads.Rng;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): turns one seed into well-mixed, independent seeds, e.g.
/// one per simulated thread, so threads of one run draw unrelated streams.
/// </summary>
public static class SplitMix64
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A seed for stream <paramref name="stream"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static ulong Derive(ulong seed, ulong stream)
    {
        ulong s = seed ^ (stream * 0xD1B54A32D192ED03UL);
        Next(ref s);
        return Next(ref s);
    }
}
