namespace Damon.Sim.Machine;

/// <summary>
/// Page-fault costs charged to the faulting thread: a minor fault zero-fills 4 KiB, a THP fault
/// zero-fills 2 MiB, a file fault reads the page from storage.
/// </summary>
public sealed record FaultCostSpec(
    uint MinorFaultNs = 1_000,
    uint ThpFaultNs = 60_000,
    uint FileReadNs = 20_000);
