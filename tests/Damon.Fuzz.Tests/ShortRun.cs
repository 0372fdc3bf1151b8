namespace Damon.Fuzz.Tests;

/// <summary>
/// The smallest simulated run that still exercises setup, monitoring and output: cases that run
/// the simulator must stay short, since a hung one keeps a core busy until the suite ends.
/// </summary>
internal static class ShortRun
{
    public static readonly string[] Workload = ["--workload", "gups:size=16M"];
    public static readonly string[] Duration = ["--duration", "0.05"];
    public static string[] Args => [.. Workload, .. Duration];
}
