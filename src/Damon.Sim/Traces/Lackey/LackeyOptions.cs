namespace Damon.Sim.Traces.Lackey;

/// <summary>How lackey output becomes accesses.</summary>
public sealed record LackeyOptions
{
    /// <summary>Replay instruction fetches (I lines) as reads; by default they only count as compute time.</summary>
    public bool Fetches { get; init; }

    /// <summary>CPU time per executed instruction (I line); 0.5 ns ≈ one instruction per cycle at 2 GHz.</summary>
    public double NsPerInstr { get; init; } = 0.5;

    /// <summary>CPU the single replayed thread is pinned to.</summary>
    public int Cpu { get; init; }

    /// <summary>Mappings are made of the touched address space in units of this size (aligned).</summary>
    public ulong GranuleBytes { get; init; } = 2UL << 20;
}
