namespace Damon.Core.Monitoring;

/// <summary>damon_addr_range: the half-open range [Start, End), in core address units.</summary>
public readonly record struct AddrRange(ulong Start, ulong End)
{
    public ulong Size => End - Start;

    public override string ToString() => $"[{Start}, {End})";
}

/// <summary>damon_size_range: the closed range [Min, Max].</summary>
public readonly record struct SizeRange(ulong Min, ulong Max);
