namespace Damon.Tiering.DamonAuto;

/// <summary>
/// One aggregation's choice for the next: the promote scheme's access-pattern floor and size quota,
/// the demote scheme's access-pattern ceiling and size quota. Levels are nr_accesses in each
/// context's own samples; quotas are bytes per quota window (one aggregation interval).
/// </summary>
public readonly record struct AutoDecision(uint PromoteMinNrAccesses, ulong PromoteBytes, uint DemoteMaxNrAccesses, ulong DemoteBytes)
{
    /// <summary>Nothing to do: no slow data hot enough, and the fast node's reserve is kept.</summary>
    public bool Idle => PromoteBytes == 0 && DemoteBytes == 0;
}
