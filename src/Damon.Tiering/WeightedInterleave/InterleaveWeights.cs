namespace Damon.Tiering.WeightedInterleave;

/// <summary>
/// The kernel's automatic weighted-interleave weights (mm/mempolicy.c, 6.16,
/// reduce_interleave_weights): each node's bandwidth scaled into [1, weightiness] by the sum of
/// all bandwidths (integer division, 0 bandwidth or an overflow becomes 1), then divided by the
/// weights' greatest common divisor.
/// </summary>
public static class InterleaveWeights
{
    /// <summary>weightiness: the largest weight a node can get before the GCD reduction.</summary>
    public const uint Weightiness = 32;

    /// <param name="bwMBps">Per node bandwidth, MB/s (the HMAT/CDAT access coordinates' min(read, write)).</param>
    public static uint[] ReduceInterleaveWeights(IReadOnlyList<ulong> bwMBps)
    {
        ulong sumBw = 0;
        foreach (ulong b in bwMBps) sumBw += b;
        var iw = new uint[bwMBps.Count];
        uint gcd = 0;
        for (int n = 0; n < iw.Length; n++)
        {
            ulong scalingFactor = Weightiness * bwMBps[n];
            iw[n] = bwMBps[n] != 0 && sumBw < scalingFactor ? (uint)(scalingFactor / sumBw) : 1;
            gcd = gcd == 0 ? iw[n] : Gcd(gcd, iw[n]);
        }
        for (int n = 0; n < iw.Length; n++) iw[n] /= gcd;
        return iw;
    }

    /// <summary>The weights for the machine's nodes from their bandwidths (GB/s × 1000 = MB/s).</summary>
    public static uint[] OfMachine(Damon.Sim.Machine.MachineSpec spec) =>
        ReduceInterleaveWeights(spec.Nodes.Select(n => (ulong)Math.Round(n.BandwidthGBps * 1000)).ToArray());

    private static uint Gcd(uint a, uint b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
