namespace Damon.Tiering.ReportUseCases;

/// <summary>
/// One row of the fault-interference study as <c>damon bench reports</c> writes it
/// (<c>interference[]</c>): the study (FaultInterferenceStudy, issue 13 part 6) produces the rows;
/// this bench only writes the ones it is given.
/// </summary>
public sealed record InterferenceRowView(string Policy, ulong MisattributedFaults, double Recall, ulong PromotedBytes, double NormRuntime);
