using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Sampling;
using Damon.Core.Schemes;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Running;

namespace Damon.Tiering.ReportUseCases;

/// <summary>
/// Use case (1) of the access-reporting RFC: NUMA-aware placement. Two sockets, each with its own
/// DRAM node; socket 0's threads mostly touch region A, socket 1's region B; the main thread wrote
/// everything first, so it all starts on node 0. DAMON runs one vaddr context per socket with the
/// page-fault primitive and a cpumask sample filter that keeps only that socket's CPUs' faults,
/// and one migrate_hot scheme to that socket's node: socket 1's context sees B hot and moves it
/// next to socket 1, socket 0's keeps A on node 0. Compared with no migration and with NUMA
/// balancing's memory half (<see cref="NumaBalancingPlacement"/>) on the same seeded run.
/// </summary>
public static class PlacementScenario
{
    /// <summary>Policy names, as the runs report them.</summary>
    public const string FirstTouch = "first-touch", DamonPerCpu = "damon-per-cpu", NumaBalancing = "numa-balancing";

    /// <summary>Simulated time between two looks at the counters and two NUMA-balancing ticks.</summary>
    public const ulong StepUs = 10_000;

    /// <summary>
    /// Two sockets of <paramref name="cpusPerSocket"/> CPUs, node 0 local to socket 0, node 1 to
    /// socket 1, both the default DRAM (90 ns, 72 GB/s, tier 0), 1 GiB each; SLIT distance 21
    /// between them, so a remote access costs 90 × 21/10 = 189 ns.
    /// </summary>
    public static MachineSpec Machine(int cpusPerSocket) => new()
    {
        Name = "two-socket",
        Nodes =
        [
            new NodeSpec(0, 1UL << 30, 90, 90, 72, 0),
            new NodeSpec(1, 1UL << 30, 90, 90, 72, 0),
        ],
        Sockets =
        [
            new SocketSpec(0, 0, Enumerable.Range(0, cpusPerSocket).ToArray()),
            new SocketSpec(1, 1, Enumerable.Range(cpusPerSocket, cpusPerSocket).ToArray()),
        ],
        Distances = [[10, 21], [21, 10]],
        // The flat model: the study's bound is every remote access at 189 ns, and its ranges fit
        // a TLB's reach, which with caches on would keep their accessed bits clear after a mkold.
        Caches = false,
    };

    public static PlacementResult Run(PlacementOptions o, CancellationToken cancel = default)
    {
        o.Validate();
        return new PlacementResult(RunOne(o, FirstTouch, cancel), RunOne(o, DamonPerCpu, cancel), RunOne(o, NumaBalancing, cancel), o.RegionBytes);
    }

    public static PlacementRun RunOne(PlacementOptions o, string policy, CancellationToken cancel = default)
    {
        var spec = Machine(o.CpusPerSocket);
        double localNs = o.ComputeNsPerAccess + spec.Nodes[0].ReadLatencyNs;
        var w = new SocketSplitWorkload(
            [.. spec.Sockets.Select(s => s.Cpus)], o.ThreadsPerSocket, o.RegionBytes,
            (ulong)(o.LocalWorkUs * 1000 / localNs), o.OwnShare, o.WriteShare, o.ComputeNsPerAccess);
        var sim = new Simulation(spec, w, o.Seed);
        var m = sim.Machine;
        NumaBalancingPlacement? nb = null;
        switch (policy)
        {
            case DamonPerCpu:
                m.DamonFaults.ClearStaleMarks = o.ClearStaleMarks;
                foreach (var socket in spec.Sockets)
                    AddSocketContext(sim, w.Pid, socket, o.HotMinNrAccesses, o.HotMinAge);
                break;
            case NumaBalancing:
                nb = new NumaBalancingPlacement(m, w.Pid);
                break;
            case FirstTouch:
                break;
            default:
                throw new ArgumentException($"placement: unknown policy '{policy}'");
        }

        var threads = m.Threads.Where(t => t.Process.Pid == w.Pid).ToList();
        var marks = new List<(ulong Ns, ulong Local, ulong Remote)>();
        // A run that has not ended after this long is a bug, not a slow policy (remote is ~2.1x local).
        ulong limitUs = o.LocalWorkUs * 4 + 1_000_000, now = 0;
        while (!sim.WorkloadFinished)
        {
            if (now >= limitUs)
                throw new InvalidOperationException($"placement {policy}: the workload did not finish in {limitUs} us of simulated time");
            nb?.Tick(now * 1000);
            now += StepUs;
            sim.RunUntil(now, cancel);
            var (local, remote) = Harness.AccessLocality.Count(m, threads);
            marks.Add((now * 1000, local, remote));
        }
        sim.Stop();

        ulong startNs = w.PopulatedNs ?? throw new InvalidOperationException("placement: the main thread never finished its first writes");
        ulong endNs = w.FinishedNs.Max(f => f ?? 0);
        var (localEnd, remoteEnd) = Harness.AccessLocality.Count(m, threads);
        localEnd -= w.SetupAccesses;
        // Settled: the second half of the time every thread still ran (a thread that finished
        // early would leave only the others in the ratio), between the two counter looks nearest it.
        ulong firstEndNs = w.FinishedNs.Min(f => f ?? endNs);
        ulong midNs = startNs + (firstEndNs - startNs) / 2;
        var from = marks.FirstOrDefault(x => x.Ns >= midNs, marks[^1]);
        var to = marks.LastOrDefault(x => x.Ns <= firstEndNs, marks[^1]);
        ulong dl = to.Local - from.Local, dr = to.Remote - from.Remote;

        ulong faults = policy switch
        {
            DamonPerCpu => m.DamonFaults.NrFaults,
            NumaBalancing => nb!.NrHintFaults,
            _ => 0,
        };
        return new PlacementRun(
            policy,
            Ratio(remoteEnd, localEnd + remoteEnd),
            Ratio(dr, dl + dr),
            (endNs - startNs) / 1e9,
            (m.MigratedPages(0, 1) + m.MigratedPages(1, 0)) << PageSizes.PageShift,
            BytesOn(m, w.Pid, w.RegionStart[0], o.RegionBytes, spec.Sockets[0].Node),
            BytesOn(m, w.Pid, w.RegionStart[1], o.RegionBytes, spec.Sockets[1].Node),
            faults);
    }

    /// <summary>
    /// One socket's monitoring: vaddr on the process, page_fault primitive, reports kept only from
    /// the socket's CPUs (one allow-cpumask filter: by the DAMOS rule anything it does not match is
    /// dropped), and migrate_hot of what those CPUs use to the socket's node.
    /// </summary>
    public static DamonContext AddSocketContext(Simulation sim, int pid, SocketSpec socket, uint hotMinNrAccesses, uint hotMinAge = 0)
    {
        var ctx = sim.AddContext(OperationsId.Vaddr, PageFaultAttrs.With(
            new(DamonSampleFilterType.Cpumask, Matching: true, Allow: true) { Cpumask = DamonCpumask.Of(socket.Cpus) }));
        sim.AddVaddrTarget(ctx, pid);
        ctx.Schemes.Add(new Damos(
            DamosAccessPattern.Any with { MinNrAccesses = hotMinNrAccesses, MinAgeRegion = hotMinAge },
            DamosAction.MigrateHot, targetNid: socket.Node));
        return ctx;
    }

    /// <summary>Bytes of [start, start + size) of the process resident on node <paramref name="nid"/>.</summary>
    public static ulong BytesOn(SimMachine m, int pid, ulong start, ulong size, int nid)
    {
        ulong bytes = 0;
        for (ulong a = start; a < start + size; a += PageSizes.PageSize)
            if (m.NodeOfAddr(pid, a) == nid)
                bytes += PageSizes.PageSize;
        return bytes;
    }

    private static double Ratio(ulong part, ulong all) => all == 0 ? 0 : (double)part / all;
}
