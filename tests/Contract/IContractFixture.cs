using Damon.Host;

namespace Damon.Host.Contract;

/// <summary>
/// A hot/cold workload: one anonymous mapping of <see cref="SizeBytes"/>, all of it touched once
/// (first placed on <see cref="StartNode"/>), then <see cref="HotBytes"/> at its start accessed
/// far more often than the rest. With <see cref="LifetimeUs"/> the process exits after that long.
/// </summary>
public sealed record HotColdWorkload(ulong SizeBytes, ulong HotBytes, int StartNode = 0, ulong? LifetimeUs = null);

/// <summary>A backend with a started hot/cold workload and what the case needs to know of it.</summary>
public sealed record ContractTarget(IDamonBackend Backend, int Pid, ulong MappingStart, ulong MappingEnd, ulong HotStart, ulong HotEnd,
    ulong MachineTotalBytes) : IDisposable
{
    public void Dispose() => Backend.Dispose();
}

/// <summary>
/// What the contract cases need from a backend's test bed: the simulator's fixture uses the
/// workload catalog, the Linux one starts a real process. Cases may only rely on the contract.
/// </summary>
public interface IContractFixture
{
    string Name { get; }

    /// <summary>A fresh backend (nothing started on it) with the workload running.</summary>
    ContractTarget Start(HotColdWorkload workload);

    /// <summary>
    /// How far a real kernel's aggregation times may stray from the configured interval (its
    /// kdamond sleeps with usleep_range and is scheduled with other work): 0 for the simulator,
    /// whose clock is the kdamond's own.
    /// </summary>
    ulong TimeSlackUs { get; }

    /// <summary>
    /// The sample and aggregation intervals the cases use; the aggregation interval must be longer
    /// than one snapshot round plus <see cref="TimeSlackUs"/>, so every aggregation gets its snapshot.
    /// </summary>
    ContractIntervals Intervals { get; }

    /// <summary>
    /// Aggregations a backend may still raise after a cancel or stop request: a stopped kdamond
    /// finishes the iteration it is in (kthread_stop), which may end a window.
    /// </summary>
    int MaxEventsAfterStop { get; }
}
