using Damon.Core.Operations;

namespace Damon.Host;

/// <summary>
/// What a backend can do, found when it is created (Linux: from the files and syscalls that
/// exist). <see cref="Missing"/> says, one line each, what the running system lacks.
/// </summary>
public sealed record BackendCapabilities
{
    public required IReadOnlyList<OperationsId> Ops { get; init; }
    /// <summary>Time is simulated: runs are deterministic from the seed and faster than real time.</summary>
    public bool SimulatedTime { get; init; }
    /// <summary><see cref="IDamonBackend.Commit"/> works on running contexts.</summary>
    public bool OnlineCommit { get; init; }
    /// <summary><see cref="IDamonBackend.Status"/> can fill tried regions.</summary>
    public bool TriedRegions { get; init; }
    /// <summary><see cref="IDamonBackend.ProcessUsage"/> answers.</summary>
    public bool ProcessNodeUsage { get; init; }
    /// <summary>DAMOS runs in Damon's engine: <see cref="IDamonBackend.EngineHost"/> is set.</summary>
    public bool InProcessEngine { get; init; }
    public IReadOnlyList<string> Missing { get; init; } = [];
}
