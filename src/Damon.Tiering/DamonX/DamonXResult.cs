using System.Text.Json.Serialization;

namespace Damon.Tiering.DamonX;

/// <summary>One module's own result (its <see cref="Metric"/>) run alone, among four separate kdamonds, and in the shared context.</summary>
public sealed record DamonXModuleResult
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>What the numbers are, with their unit.</summary>
    [JsonPropertyName("metric")] public required string Metric { get; init; }
    [JsonPropertyName("solo_result")] public required double SoloResult { get; init; }
    [JsonPropertyName("separate_result")] public required double SeparateResult { get; init; }
    [JsonPropertyName("shared_result")] public required double SharedResult { get; init; }
    /// <summary>|shared − solo| / solo (0 when both are 0).</summary>
    [JsonPropertyName("shared_vs_solo_error")] public double SharedVsSoloError => RelError(SharedResult, SoloResult);
    [JsonPropertyName("shared_vs_separate_error")] public double SharedVsSeparateError => RelError(SharedResult, SeparateResult);

    internal static double RelError(double a, double b) => b == 0 ? (a == 0 ? 0 : double.PositiveInfinity) : Math.Abs(a - b) / Math.Abs(b);
}

/// <summary>The damon-x bench's output (`damon bench damon-x --json`).</summary>
public sealed record DamonXResult
{
    [JsonPropertyName("scenario")] public required string Scenario { get; init; }
    [JsonPropertyName("seed")] public required ulong Seed { get; init; }
    [JsonPropertyName("simulated_s")] public required double SimulatedS { get; init; }
    /// <summary>thread_cputime, or wall where the thread clock is not available.</summary>
    [JsonPropertyName("cpu_clock")] public required string CpuClock { get; init; }
    [JsonPropertyName("shared_engine_cpu_ms")] public required double SharedEngineCpuMs { get; init; }
    [JsonPropertyName("separate_engine_cpu_ms")] public required double SeparateEngineCpuMs { get; init; }
    /// <summary>The four solo runs' engine CPU, summed.</summary>
    [JsonPropertyName("solo_engine_cpu_ms_sum")] public required double SoloEngineCpuMsSum { get; init; }
    [JsonPropertyName("shared_nr_regions_mean")] public required double SharedNrRegionsMean { get; init; }
    [JsonPropertyName("separate_nr_regions_mean")] public required double SeparateNrRegionsMean { get; init; }
    [JsonPropertyName("modules")] public required IReadOnlyList<DamonXModuleResult> Modules { get; init; }
    [JsonPropertyName("wall_s")] public required double WallS { get; init; }
}
