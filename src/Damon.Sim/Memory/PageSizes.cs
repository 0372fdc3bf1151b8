namespace Damon.Sim.Memory;

public static class PageSizes
{
    public const int PageShift = 12;
    public const ulong PageSize = 1UL << PageShift;
    /// <summary>HPAGE_PMD_ORDER.</summary>
    public const int ThpOrder = 9;
    public const uint ThpPages = 1U << ThpOrder;
    public const ulong ThpSize = PageSize << ThpOrder;
}
