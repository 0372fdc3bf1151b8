namespace Damon.Tiering.DamonAuto;

/// <summary>
/// What damon-auto decides at every aggregation, from what DAMON and the node metrics show: the
/// slow node's and the fast node's heat histograms, each context's sampling interval, the fast
/// node's free and total bytes, and how much of a promoted region's bytes the young filter let
/// through so far. Nothing here is set per workload.
///
/// The rule: promote the slow node's hottest data, up to the fast node's room above its reserve
/// plus what can be demoted for it; demote for the demand beyond the room, and only fast data whose estimated access rate
/// is at most 1/<see cref="HysteresisFactor"/> of the promotion floor's. The floor is the lowest
/// level at which the demand fits; when none fits it is the highest level with any demand, whose
/// bytes displace the coldest fast bytes as far as the demotable bytes go. Between the two
/// thresholds lies a band in which data stays where it is: data promoted at rate λ is demoted only
/// after its rate fell below λ / factor, and lukewarm data that measures a little hotter on one node
/// than on the other in one window is not exchanged. Demotion also waits until data has kept its
/// access pattern for <see cref="MinDemoteAge"/> + 1 windows running (the demote scheme's min_age;
/// with the demotion threshold at 0, as it is unless the fast node is short of room, that is that
/// many zero windows): one window's zero is as likely from lukewarm data as from cold.
/// </summary>
public sealed class AutoController
{
    /// <summary>
    /// How much hotter (estimated accesses per second) promoted data must be than the data demoted
    /// for it. Twice: a region's nr_accesses in one window of 20 samples is binomial, and a factor
    /// of two is about where a level's two-sigma band stops covering half the level above it.
    /// </summary>
    public const double HysteresisFactor = 2.0;

    /// <summary>
    /// The chance, at most, that data as warm as the lowest promotable level (one sampled hit per
    /// window) is demoted as cold: the conventional 5 % of a one-sided test.
    /// </summary>
    public const double ColdSignificance = 0.05;

    /// <summary>
    /// The demote scheme's min_age, in aggregation windows: the fewest windows after which data at
    /// level 1's rate has read zero in every one of them (DAMON restarts a region's age whenever
    /// its nr_accesses switches between zero and non-zero) with probability at most
    /// <see cref="ColdSignificance"/>. One window of <paramref name="samples"/> samples reads zero
    /// with probability (1 − 1/samples)^samples (0.358 for 20), so with age a, counted from 0 at
    /// the first zero window, a + 1 windows must all read zero: a = 2 for 20 samples (0.046).
    /// Without it, lukewarm data (about one hit per window) reads zero in a third of the windows and
    /// is exchanged for lukewarm data of the other node that happened to read one.
    /// </summary>
    public static uint MinDemoteAge(uint samples)
    {
        if (samples == 0)
            return 0;
        double zeroWindow = Math.Pow(1 - 1.0 / samples, samples);
        uint a = 0;
        while (Math.Pow(zeroWindow, a + 1) > ColdSignificance)
            a++;
        return a;
    }

    /// <summary>The fast node's reserve: the TIER module's promote goal, 99.60 % used (40 bp free).</summary>
    public const ulong ReserveBp = 40;

    /// <summary>
    /// An access rate, per second, from a region's nr_accesses out of <paramref name="samples"/>
    /// samples of <paramref name="sampleUs"/>: a sampled page was accessed within the interval with
    /// probability q = 1 − e^(−λ·s), so λ = −ln(1 − q) / s; a full window reads as 1/2 sample short
    /// of full so that it stays finite.
    /// </summary>
    public static double RatePerSec(uint nrAccesses, uint samples, ulong sampleUs)
    {
        if (nrAccesses == 0 || samples == 0 || sampleUs == 0)
            return 0;
        double q = Math.Min(nrAccesses, samples - 0.5) / samples;
        return -Math.Log(1 - q) / (sampleUs / 1e6);
    }

    /// <summary>The highest fast-node level whose rate is at most <paramref name="promoteRate"/> / factor; -1 when none.</summary>
    public static int DemoteCeiling(double promoteRate, uint samples, ulong fastSampleUs)
    {
        int d = -1;
        for (uint m = 0; m <= samples; m++)
        {
            if (RatePerSec(m, samples, fastSampleUs) * HysteresisFactor > promoteRate)
                break;
            d = (int)m;
        }
        return d;
    }

    /// <param name="slow">The slow node's heat histogram (the promote context).</param>
    /// <param name="slowSampleUs">The promote context's sampling interval.</param>
    /// <param name="fast">The fast node's heat histogram (the demote context).</param>
    /// <param name="fastSampleUs">The demote context's sampling interval.</param>
    /// <param name="fastFreeBytes">The fast node's free memory now.</param>
    /// <param name="fastTotalBytes">The fast node's size.</param>
    /// <param name="promoteYieldBp">Of the promote scheme's tried bytes so far, the share its young filter passed, in bp: the movable part of a hot region.</param>
    public static AutoDecision Decide(HeatHistogram slow, ulong slowSampleUs, HeatHistogram fast, ulong fastSampleUs,
        ulong fastFreeBytes, ulong fastTotalBytes, ulong promoteYieldBp)
    {
        uint samples = slow.MaxNrAccesses;
        ulong reserve = fastTotalBytes * ReserveBp / 10000;
        ulong room = fastFreeBytes > reserve ? fastFreeBytes - reserve : 0;
        ulong deficit = fastFreeBytes < reserve ? reserve - fastFreeBytes : 0;
        ulong yieldBp = Math.Clamp(promoteYieldBp, 1, 10000);

        // The lowest floor at which the demand fits; failing that, the highest floor with any
        // demand, which trades the hottest slow data for as much cold fast data as qualifies.
        AutoDecision? partial = null;
        for (uint p = 1; p <= samples; p++)
        {
            ulong demand = slow.AtLeast(p) * yieldBp / 10000;
            if (demand == 0)
                break;
            int d = DemoteCeiling(RatePerSec(p, samples, slowSampleUs), fast.MaxNrAccesses, fastSampleUs);
            ulong demotable = d < 0 ? 0 : fast.AtMost((uint)d);
            // The promotion quota is what the fast node can take, not the demand: the demand is
            // an average, and the regions hot at the next apply are not those hot at this one.
            ulong promote = room + demotable;
            ulong demote = Math.Min(demotable, (demand > room ? demand - room : 0) + deficit);
            partial = new AutoDecision(p, promote, d < 0 ? 0 : (uint)d, demote);
            if (demand <= room + demotable)
                return partial.Value;
        }
        if (partial is not null)
            return partial.Value;
        // Nothing hot on the slow node: only keep the reserve, with the coldest fast data.
        return new AutoDecision(samples + 1, 0, 0, Math.Min(deficit, fast.AtMost(0)));
    }
}
