namespace Damon.Tiering.Colloid;

/// <param name="QuantumMs">How often latencies are compared and pages moved.</param>
/// <param name="Epsilon">Relative latency gap under which the tiers count as balanced (Colloid's ε).</param>
/// <param name="MaxShift">Largest share of the access probability one quantum moves between tiers.</param>
/// <param name="MoveBytesPerQuantum">Migration budget per quantum (200 MiB/s at 100 ms).</param>
public sealed record ColloidParams(
    ulong QuantumMs = 100,
    double Epsilon = 0.05,
    double MaxShift = 0.05,
    ulong MoveBytesPerQuantum = 20UL << 20);
