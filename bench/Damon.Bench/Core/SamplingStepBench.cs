using BenchmarkDotNet.Attributes;
using Damon.Core.Monitoring;

namespace Damon.Bench.Core;

/// <summary>
/// One kdamond iteration without aggregation: prepare (pick sampling addresses), check (update
/// nr_accesses), and the loop's bookkeeping. Divide the mean by NrRegions for the per-region cost.
/// </summary>
[MemoryDiagnoser]
public class SamplingStepBench
{
    private IEnumerator<KdamondSleep> _loop = null!;

    [Params(10, 1_000, 10_000)]
    public int NrRegions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // An aggregation interval of ~11 days keeps every measured iteration a sampling-only one.
        var ctx = StripedOperations.NewContext(NrRegions, 1 << 20, aggrIntervalUs: 1_000_000_000_000, maxNrRegions: (ulong)NrRegions * 2);
        _loop = new Kdamond(ctx).Run().GetEnumerator();
        _loop.MoveNext();
    }

    [Benchmark]
    public bool SamplingStep() => _loop.MoveNext();
}
