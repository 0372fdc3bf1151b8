namespace Damon.Core.Probes;

/// <summary>damon_filter types a probe can test on the sampled folio.</summary>
public enum DamonFilterType
{
    Anon,
    Memcg,
}

/// <summary>damon_filter: one test of a probe (G2 data-attribute monitoring).</summary>
public sealed class DamonFilter(DamonFilterType type, bool matching, bool allow, ulong memcgId = 0)
{
    public DamonFilterType Type { get; set; } = type;
    public bool Matching { get; set; } = matching;
    public bool Allow { get; set; } = allow;
    public ulong MemcgId { get; set; } = memcgId;
}

/// <summary>
/// damon_probe: counts, per region, the samples whose folio passes <see cref="Filters"/>. A non-zero
/// <see cref="Weight"/> on any probe switches the context to attributes-only mode (§2.14).
/// </summary>
public sealed class DamonProbe(uint weight = 0)
{
    public uint Weight { get; set; } = weight;
    public List<DamonFilter> Filters { get; } = [];

    /// <summary>
    /// The pass rule: the first filter whose type-match equals its <c>matching</c> decides
    /// (pass = allow); a filter that does not decide leaves pass = !allow; no filters pass.
    /// <paramref name="typeMatches"/> tells whether the sampled folio is of the filter's type.
    /// </summary>
    public bool Passes<TState>(TState state, Func<TState, DamonFilter, bool> typeMatches)
    {
        bool pass = true;
        foreach (var f in Filters)
        {
            if (typeMatches(state, f) == f.Matching)
                return f.Allow;
            pass = !f.Allow;
        }
        return pass;
    }
}
