namespace Damon.Tiering.ReportUseCases;

/// <summary>One process: its stores per second (ground truth, 64 bytes each) and DAMON's write-only estimate.</summary>
public sealed record WriteRankEntry(string Name, int Pid, double TrueBytesPerS, double DamonBytesPerS);

/// <summary>
/// The ranking by bytes written per second, most first: <see cref="Expected"/> from the workload's
/// stores, <see cref="Ranked"/> from DAMON's write-only monitoring; the live-migration candidate
/// is the last (the process that writes least, so its dirty memory converges soonest).
/// </summary>
public sealed record WriteRankResult(IReadOnlyList<string> Expected, IReadOnlyList<string> Ranked, IReadOnlyList<WriteRankEntry> Processes, int NrWindows)
{
    public string ExpectedCandidate => Expected[^1];
    public string Candidate => Ranked[^1];
    public bool Exact => Expected.SequenceEqual(Ranked);
}
