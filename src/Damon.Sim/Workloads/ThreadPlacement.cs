using Damon.Sim.Workloads.Catalog;

namespace Damon.Sim.Workloads;

/// <summary>How many threads a workload runs and the CPUs they are pinned to (thread i on Cpus[i % n]).</summary>
public sealed record ThreadPlacement(int NrThreads, int[] Cpus)
{
    public static ThreadPlacement Single { get; } = new(1, [0]);

    public int CpuOf(int thread) => Cpus[thread % Cpus.Length];

    /// <summary>Reads <c>threads=N</c> and <c>cpus=0-3</c> (default: thread i on CPU i).</summary>
    public static ThreadPlacement From(WorkloadArgs args)
    {
        int n = (int)args.GetInt("threads", 1, 1, 4096);
        int[] dflt = Enumerable.Range(0, n).ToArray();
        return new ThreadPlacement(n, args.GetCpuList("cpus", dflt));
    }
}
