using Damon.Sim.Machine;
using Damon.Sim.Workloads;

namespace Damon.Host.Sim;

/// <summary>What the simulator backend simulates: a machine, a workload on it, and the seed of both and of the contexts.</summary>
public sealed record SimBackendOptions(MachineSpec Machine, IWorkload Workload, ulong Seed);
