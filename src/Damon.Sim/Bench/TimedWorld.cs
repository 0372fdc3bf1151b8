using Damon.Core.Drivers;

namespace Damon.Sim.Bench;

/// <summary>
/// Wraps the simulated world so the time spent running the workload is known: what is left of a
/// driver run is the kdamonds' own work (sampling, aggregation, split/merge, tuning).
/// </summary>
internal sealed class TimedWorld(IVirtualWorld inner, Func<long> cpuNs) : IVirtualWorld
{
    public long Ns { get; private set; }

    public void AdvanceTo(ulong nowUs) => AdvanceTo(nowUs, CancellationToken.None);

    public void AdvanceTo(ulong nowUs, CancellationToken cancel)
    {
        long t0 = cpuNs();
        try
        {
            inner.AdvanceTo(nowUs, cancel);
        }
        finally
        {
            Ns += cpuNs() - t0;
        }
    }
}
