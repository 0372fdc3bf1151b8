namespace Damon.Sim.Operations;

/// <summary>damos->last_applied: the folio last acted on, so one spanning two regions is acted on once.</summary>
internal sealed class FolioRef
{
    public uint Head;

    public static bool IsLastApplied(object? lastApplied, uint head) => lastApplied is FolioRef f && f.Head == head;

    public static void Set(Damon.Core.Schemes.Damos s, uint head)
    {
        if (s.LastApplied is FolioRef f) f.Head = head;
        else s.LastApplied = new FolioRef { Head = head };
    }
}
