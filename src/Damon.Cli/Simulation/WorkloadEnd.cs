namespace Damon.Cli.Simulation;

/// <summary>
/// How a run tells that its workload ended before <c>--duration</c> (its own limit: a trace's end,
/// masim's phases, <c>updates=</c>): the same line on sim, record and numastat, so a short run is
/// never mistaken for the requested one.
/// </summary>
internal static class WorkloadEnd
{
    /// <summary>The line (with its newline), or null when the workload ran until the end of the run.</summary>
    public static string? Line(SimSession session) => session.WorkloadFinishedUs is ulong doneUs
        ? $"The workload finished at t={TextFormat.Seconds(doneUs)}, before --duration {TextFormat.Seconds(session.Request.DurationUs)}; the run stops there.\n"
        : null;
}
