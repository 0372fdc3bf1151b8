using System.Runtime.CompilerServices;

namespace Damon.Core.Monitoring;

/// <summary>
/// damon_region. Regions of a target form an intrusive doubly-linked list in address order, as in
/// the kernel, so split and merge are O(1) and need no list rebuild.
/// </summary>
public sealed class Region
{
    public const int MaxProbes = 4; // DAMON_MAX_PROBES

    public ulong Start;
    public ulong End;
    /// <summary>The address checked in the current sampling interval.</summary>
    public ulong SamplingAddr;
    /// <summary>Sampling intervals of the current aggregation window whose check found an access.</summary>
    public uint NrAccesses;
    /// <summary>NrAccesses of the previous, completed window (kernel: private last_nr_accesses).</summary>
    public uint LastNrAccesses;
    /// <summary>Aggregation intervals the access pattern has stayed the same.</summary>
    public uint Age;
    /// <summary>Each scheme owner's age in a shared context (<see cref="RegionOwnAges"/>); null: all are <see cref="Age"/>.</summary>
    public uint[]? OwnAges;
    /// <summary>probe_hits[4] and last_probe_hits[4] (G2 data-attribute probes).</summary>
    public ProbeHits ProbeHits;
    public ProbeHits LastProbeHits;
    /// <summary>
    /// Who made the counted accesses of the current window (CPU, thread, write), kept only when the
    /// context folds access reports; null for regions no report ever reached. Beyond the RFC.
    /// </summary>
    public Sampling.RegionAccessBreakdown? AccessesBy;

    internal Region? Prev;
    internal Region? Next;

    /// <summary>damon_new_region(start, end): all counters zero.</summary>
    public Region(ulong start, ulong end)
    {
        Start = start;
        End = end;
    }

    public ulong Size
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => End - Start;
    }

    public AddrRange Range => new(Start, End);

    /// <summary>The next region of the same target, or null at the tail (damon_next_region).</summary>
    public Region? NextRegion => Next;
    public Region? PrevRegion => Prev;

    internal void Reset(ulong start, ulong end)
    {
        Start = start;
        End = end;
        SamplingAddr = 0;
        NrAccesses = 0;
        LastNrAccesses = 0;
        Age = 0;
        OwnAges = null;
        ProbeHits = default;
        LastProbeHits = default;
        AccessesBy?.Clear();
        Prev = null;
        Next = null;
    }

    public override string ToString() => $"[{Start}, {End}) nr_accesses={NrAccesses} age={Age}";
}

/// <summary>Four u8 per-probe counters, stored inline so a region stays one allocation.</summary>
[InlineArray(Region.MaxProbes)]
public struct ProbeHits
{
    private byte _element0;
}
