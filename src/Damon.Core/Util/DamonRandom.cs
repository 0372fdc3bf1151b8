using System.Runtime.CompilerServices;

namespace Damon.Core.Util;

/// <summary>
/// The kernel's prandom generator (lib/random32.c: four combined Tausworthe LFSRs, "taus113"),
/// seeded like prandom_seed_state(). One instance per context (G2 ctx->rnd_state), so a run is a
/// pure function of its seed.
/// </summary>
public sealed class DamonRandom
{
    private uint _s1, _s2, _s3, _s4;

    public DamonRandom(ulong seed) => Seed(seed);

    public void Seed(ulong seed)
    {
        uint i = (uint)(((seed >> 32) ^ (seed << 10) ^ seed) & 0xffffffffUL);
        _s1 = SeedMin(i, 2U);
        _s2 = SeedMin(i, 8U);
        _s3 = SeedMin(i, 16U);
        _s4 = SeedMin(i, 128U);
        // prandom_warmup(): ten draws, as prandom_seed_full_state() does, so that small user seeds
        // (1, 2, 3...) do not give visibly correlated first draws.
        for (int k = 0; k < 10; k++) NextU32();
    }

    private static uint SeedMin(uint x, uint m) => x < m ? x + m : x;

    /// <summary>prandom_u32_state().</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextU32()
    {
        _s1 = ((_s1 & 4294967294U) << 18) ^ (((_s1 << 6) ^ _s1) >> 13);
        _s2 = ((_s2 & 4294967288U) << 2) ^ (((_s2 << 2) ^ _s2) >> 27);
        _s3 = ((_s3 & 4294967280U) << 7) ^ (((_s3 << 13) ^ _s3) >> 21);
        _s4 = ((_s4 & 4294967168U) << 13) ^ (((_s4 << 3) ^ _s4) >> 12);
        return _s1 ^ _s2 ^ _s3 ^ _s4;
    }

    /// <summary>
    /// damon_rand(ctx, l, r): uniform in [l, r). Ranges wider than 32 bits take two draws, so any
    /// region size works (the kernel's u32 form covers the same cases for regions below 4 GiB).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Next(ulong l, ulong r)
    {
        ulong span = r - l;
        if (span <= uint.MaxValue)
            return l + (((ulong)NextU32() * span) >> 32);
        ulong x = ((ulong)NextU32() << 32) | NextU32();
        return l + (ulong)(((UInt128)x * span) >> 64);
    }
}
