namespace Damon.Host.Contract;

/// <summary>
/// The monitoring intervals a fixture's cases configure: ones its backend can serve with one
/// snapshot per aggregation (the simulator any; a TCG guest only aggregations longer than its
/// snapshot round). Case lengths are counted in aggregations of <see cref="AggrUs"/>.
/// </summary>
public sealed record ContractIntervals(ulong SampleUs, ulong AggrUs);
