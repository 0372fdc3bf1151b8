namespace Damon.Tiering.ReportUseCases;

/// <summary>Everything <c>damon bench reports</c> measured, plus the interference rows it was handed.</summary>
public sealed record ReportsBenchResult(
    ReportsBenchOptions Options,
    PlacementResult Placement,
    WriteRankResult WriteRank,
    ThreadAttributionResult ThreadAttribution,
    IReadOnlyList<InterferenceRowView> Interference);
