using Damon.Sim.Machine;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Catalog;
using Damon.Tiering.ReportUseCases;

namespace Damon.Tiering.Scenarios;

/// <summary>
/// The scenario file's accessor workload <c>socket-split</c> (docs/scenarios.md, "Accessor
/// scenarios"): <see cref="SocketSplitWorkload"/> on the scenario's machine, its threads pinned to
/// the machine's first two sockets. Parameters: <c>region</c> (size of region A and of B),
/// <c>threads_per_socket</c>, <c>own</c> (share of a thread's accesses to its socket's region),
/// <c>write</c>, <c>cpuns</c>, and <c>work</c> (each thread's work as the time it takes with all
/// its memory local, which sets the number of accesses it makes), <c>cold</c> (size of region C,
/// written at set-up and never touched again; 0, the default, for none).
/// </summary>
public static class SocketSplitSpec
{
    public const string Name = "socket-split";
    private static readonly string[] Keys = ["region", "threads_per_socket", "own", "write", "cpuns", "work", "cold"];

    /// <param name="argText">The <c>key=value,...</c> text after <c>socket-split:</c>.</param>
    public static SocketSplitWorkload Create(string spec, string argText, MachineSpec machine)
    {
        var a = WorkloadArgs.Parse(spec, argText, positionalFirst: false);
        if (machine.Sockets.Count < 2)
            throw a.Error($"{Name}: the machine needs two sockets (it has {machine.Sockets.Count})");
        ulong region = a.GetSize("region", 64UL << 20, Damon.Sim.Memory.PageSizes.PageSize);
        int threads = (int)a.GetInt("threads_per_socket", 2, 1, 256);
        double own = a.GetFraction("own", 0.97);
        double write = a.GetFraction("write", 0.3);
        double cpuns = a.GetDouble("cpuns", 2, 0, 1e6);
        ulong workNs = a.GetDurationNs("work", 2_000_000_000);
        ulong cold = a.GetSize("cold", 0, 0);
        a.RejectUnknown(Name, Keys);
        if (region % Damon.Sim.Memory.PageSizes.PageSize != 0)
            throw a.Error($"{Name}: region={region} is not a whole number of 4 KiB pages");
        if (cold % Damon.Sim.Memory.PageSizes.PageSize != 0)
            throw a.Error($"{Name}: cold={cold} is not a whole number of 4 KiB pages");
        if (workNs == 0)
            throw a.Error($"{Name}: work must be more than 0");
        var sockets = machine.Sockets.Take(2).ToArray();
        double localNs = cpuns + machine.Nodes.First(n => n.Id == sockets[0].Node).ReadLatencyNs;
        return new SocketSplitWorkload([.. sockets.Select(s => s.Cpus)], threads, region,
            Math.Max(1, (ulong)(workNs / localNs)), own, write, cpuns, cold);
    }
}
