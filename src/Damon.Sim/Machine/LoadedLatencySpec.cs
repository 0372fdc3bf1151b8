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
    bool Enabled = true)
{
    /// <summary>The queueing multiplier for utilisation <paramref name="rho"/>.</summary>
    public double Multiplier(double rho)
    {
        if (!Enabled || rho <= 0)
            return 1;
        rho = Math.Min(rho, MaxUtilization);
        return 1 + rho / (1 - rho);
    }
}
