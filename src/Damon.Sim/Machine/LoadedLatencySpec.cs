namespace Damon.Sim.Machine;

/// <summary>
/// The loaded-latency model (tiering.md §3.1): L = L_idle × (1 + ρ/(1−ρ)) with ρ a node's smoothed
/// bandwidth utilisation over windows of <see cref="WindowUs"/>, capped at <see cref="MaxUtilization"/>.
/// Every access moves <see cref="AccessBytes"/> (one cache line; there is no cache model).
/// </summary>
public sealed record LoadedLatencySpec(
    ulong WindowUs = 100,
    double MaxUtilization = 0.95,
    double Smoothing = 0.5,
    uint AccessBytes = 64,
    bool Enabled = true,
    bool FollowLoad = false)
{
    // FollowLoad: the latency settles at the load it applies to — ρ from each window's occupancy
    // (LatencyModel.UtilizationEstimate) and batches no longer than a quarter window
    // (SimRunner.BatchLength). Off by default only because the tiering and accessor results and
    // their tests were measured without it (docs/simulator.md, "Loaded latency"); the bandwidth
    // machines turn it on.
    /// <summary>The queueing multiplier for utilisation <paramref name="rho"/>.</summary>
    public double Multiplier(double rho)
    {
        if (!Enabled || rho <= 0)
            return 1;
        rho = Math.Min(rho, MaxUtilization);
        return 1 + rho / (1 - rho);
    }
}
