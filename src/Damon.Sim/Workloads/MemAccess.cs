namespace Damon.Sim.Workloads;

/// <summary>One memory access of a simulated thread, at a virtual address of its process.</summary>
public readonly record struct MemAccess(ulong Addr, bool Write);
