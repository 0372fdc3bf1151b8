using Damon.Core.Monitoring;

namespace Damon.Tiering.DamonAuto;

/// <summary>
/// Bytes of memory per DAMON heat level (a region's nr_accesses in its last complete aggregation
/// window, 0 .. aggr/sample), counting only the allocated bytes of each region: a region over
/// free frames says nothing about data.
/// </summary>
public sealed class HeatHistogram
{
    private readonly ulong[] _bytes;

    public HeatHistogram(uint maxNrAccesses) => _bytes = new ulong[maxNrAccesses + 1];

    /// <summary>The highest level: samples per aggregation window.</summary>
    public uint MaxNrAccesses => (uint)(_bytes.Length - 1);

    public ulong this[uint nrAccesses] => _bytes[nrAccesses];

    public void Clear() => Array.Clear(_bytes);

    public void Add(uint nrAccesses, ulong bytes) => _bytes[Math.Min(nrAccesses, MaxNrAccesses)] += bytes;

    /// <summary>Bytes at level <paramref name="min"/> or hotter.</summary>
    public ulong AtLeast(uint min)
    {
        ulong sum = 0;
        for (uint n = min; n <= MaxNrAccesses; n++) sum += _bytes[n];
        return sum;
    }

    /// <summary>Bytes at level <paramref name="max"/> or colder.</summary>
    public ulong AtMost(uint max)
    {
        ulong sum = 0;
        for (uint n = 0; n <= Math.Min(max, MaxNrAccesses); n++) sum += _bytes[n];
        return sum;
    }

    /// <summary>
    /// Move each level a quarter of the way toward <paramref name="window"/>'s: an exponential
    /// average over about four windows, for a demand that one window's sampling noise (a region
    /// whose one sampled page missed its hot pages) does not switch on and off.
    /// </summary>
    public void Blend(HeatHistogram window)
    {
        for (int n = 0; n < _bytes.Length; n++)
            _bytes[n] = (_bytes[n] * 3 + window._bytes[n]) / 4;
    }

    /// <summary>
    /// Fill from a context's regions; <paramref name="allocatedBytes"/> says how much of a region
    /// holds data. A region counts only if it will be at least <paramref name="minAge"/> old at the
    /// next apply should this window repeat (its age now plus one): what a scheme with that
    /// min_age could act on then.
    /// </summary>
    public void Fill(DamonContext ctx, Func<Region, ulong> allocatedBytes, uint minAge = 0)
    {
        Clear();
        foreach (var t in ctx.Targets)
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
                if ((ulong)r.Age + 1 >= minAge)
                    Add(r.NrAccesses, allocatedBytes(r));
    }
}
