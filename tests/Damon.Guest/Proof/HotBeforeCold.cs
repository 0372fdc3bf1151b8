namespace Damon.Guest.Proof;

/// <summary>
/// The criterion over a run of tierprobe samples: at least 90 % of the hot pages reach node 0 before 10 % of
/// the cold ones have moved there. Decided at the first sample where either threshold is crossed (both in one sample:
/// the cold pages moved too early, a failure).
/// </summary>
public static class HotBeforeCold
{
    public const int HotPermil = 900, ColdPermil = 100;

    /// <summary>Null while undecided; otherwise whether the run passed, with what was seen.</summary>
    public static (bool Passed, string Why)? Judge(TierprobeSample s)
    {
        bool hot = s.HotNode0 * 1000 >= s.HotTotal * HotPermil;
        bool cold = s.ColdNode0 * 1000 >= s.ColdTotal * ColdPermil;
        if (cold) return (false, $"10 % of the cold pages were on node0 first: {s}");
        if (hot) return (true, $"90 % of the hot pages on node0 first: {s}");
        return null;
    }
}
