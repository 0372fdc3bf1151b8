using System.Diagnostics;
using Damon.Sim.Memory;
using Damon.Sim.Running;
using Damon.Tiering.Policy;

namespace Damon.Tiering.Interference;

/// <summary>
/// Issue 13 part 6: DAMON's page-fault primitive and NUMA-balancing tiering on the same seeded
/// process under each <see cref="FaultSharing"/> policy, against NUMA balancing alone.
/// </summary>
public static class FaultInterferenceStudy
{
    public const string BaselineName = "numab-alone";

    public static IReadOnlyList<InterferenceRow> Run(FaultInterferenceOptions options) => RunDetailed(options).Rows;

    public static FaultInterferenceResult RunDetailed(FaultInterferenceOptions options, CancellationToken cancel = default)
    {
        if (options.Problem() is { } problem)
            throw new ArgumentException($"fault interference: {problem}");
        var baseline = RunOne(options, BaselineName, FaultSharing.ExclusionNuma, numa: true, DamonSampling.None, cancel);
        var rows = new List<InterferenceRow>();
        var details = new List<InterferenceDetail>();
        foreach (var s in options.Policies)
        {
            var r = RunOne(options, s.Name(), s, numa: s != FaultSharing.ExclusionDamon,
                s == FaultSharing.ExclusionNuma ? DamonSampling.PageTable : DamonSampling.PageFault, cancel);
            rows.Add(new InterferenceRow(s.Name(), r.Detail.DamonCountedNumaFaults + r.Detail.NumaHandledDamonFaults,
                r.Recall, r.PromotedBytes, r.Detail.NsPerAccess / baseline.Detail.NsPerAccess));
            details.Add(r.Detail);
        }
        return new FaultInterferenceResult(rows, details, baseline.Detail, baseline.PromotedBytes);
    }

    /// <summary>One run's figures before normalisation.</summary>
    public sealed record Outcome(InterferenceDetail Detail, double Recall, ulong PromotedBytes);

    /// <summary>
    /// One run: the slow-started workload, NUMA balancing if <paramref name="numa"/>, DAMON sampling
    /// with <paramref name="sampling"/>, faults routed by <paramref name="sharing"/>, ticked every
    /// 10 ms of simulated time for the options' duration.
    /// </summary>
    public static Outcome RunOne(FaultInterferenceOptions o, string name, FaultSharing sharing, bool numa, DamonSampling sampling, CancellationToken cancel = default)
    {
        var wall = Stopwatch.StartNew();
        var workload = new SlowStartWorkload(o.Workload);
        var sim = new Simulation(FaultSharingPolicy.MachineFor(o.Machine, o), workload, o.Seed);
        var policy = new FaultSharingPolicy(name, sharing, numa, sampling, o, workload.Pid, workload.HotRange);
        var m = sim.Machine;
        var nodes = TierNodes.Of(m);
        ulong demotedBefore = m.MigratedPages(nodes.Fast, nodes.Slow);
        policy.Attach(sim, nodes);
        for (ulong now = 0; now < o.DurationUs;)
        {
            policy.Tick(now);
            now = Math.Min(now + policy.TickIntervalUs, o.DurationUs);
            sim.RunUntil(now, cancel);
        }
        sim.Stop();

        ulong accesses = 0, timeNs = 0;
        foreach (var t in m.Threads)
        {
            if (t.Process.Pid != workload.Pid) continue;
            accesses += t.NrAccesses;
            timeNs += t.BusyNs;
        }
        var router = policy.Router;
        var detail = new InterferenceDetail
        {
            Policy = name,
            NrFaults = router.NrFaults,
            DamonCountedNumaFaults = router.DamonCountedNumaFaults,
            NumaHandledDamonFaults = router.NumaHandledDamonFaults,
            DamonFaultsLost = router.DamonFaultsLost,
            NumaFaultsLost = router.NumaFaultsLost,
            Precision = policy.Precision,
            MeanNrRegions = policy.MeanNrRegions,
            FaultStallNs = router.FaultStallNs,
            FaultOverhead = timeNs == 0 ? 0 : (double)router.FaultStallNs / timeNs,
            NsPerAccess = accesses == 0 ? 0 : (double)timeNs / accesses,
            DemotedBytes = (m.MigratedPages(nodes.Fast, nodes.Slow) - demotedBefore) << PageSizes.PageShift,
            NrSwitches = policy.NrSwitches,
            MarksRemoved = policy.MarksRemoved,
            SwitchCostNs = policy.SwitchCostNs,
            WallSeconds = wall.Elapsed.TotalSeconds,
        };
        ulong promoted = (policy.Numa?.NrPromoted ?? 0) << PageSizes.PageShift;
        return new Outcome(detail, policy.Recall, promoted);
    }
}
