namespace Damon.Records.Model;

/// <summary>Statistics of the scheme that retrieved a snapshot (damo stores them per snapshot).</summary>
public sealed record DamosStats(
    long NrTried,
    long SzTried,
    long NrApplied,
    long SzApplied,
    long SzOpsFilterPassed,
    long QtExceeds,
    long NrSnapshots = 0,
    long MaxNrSnapshots = 0);
