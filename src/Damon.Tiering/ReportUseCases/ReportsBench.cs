namespace Damon.Tiering.ReportUseCases;

/// <summary>
/// The three use cases of the access-reporting RFC, run one after the other on the simulated
/// machine (docs/access-reports.md, "Use cases"). The interference rows come from outside: the
/// caller passes the fault-interference study's rows, or none.
/// </summary>
public static class ReportsBench
{
    /// <summary>Names of the steps, in the order <see cref="Run"/> reports them to <paramref name="progress"/>.</summary>
    public static readonly string[] Steps = ["placement", "write_rank", "thread_attribution"];

    public static ReportsBenchResult Run(ReportsBenchOptions o, IReadOnlyList<InterferenceRowView> interference,
        Action<string>? progress = null, CancellationToken cancel = default)
    {
        o.Validate();
        progress?.Invoke(Steps[0]);
        var placement = PlacementScenario.Run(o.Placement, cancel);
        progress?.Invoke(Steps[1]);
        var rank = WriteRankScenario.Run(o.WriteRank, cancel);
        progress?.Invoke(Steps[2]);
        var attribution = ThreadAttributionScenario.Run(o.ThreadAttribution, cancel);
        return new ReportsBenchResult(o, placement, rank, attribution, interference);
    }
}
