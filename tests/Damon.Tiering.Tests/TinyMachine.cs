using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Gups;
using Damon.Tiering.Harness;

namespace Damon.Tiering.Tests;

/// <summary>Small two-tier machines and workloads whose accesses the tests control.</summary>
internal static class TinyMachine
{
    public const ulong MiB = 1UL << 20;

    /// <summary>
    /// The flat model (no LLC or TLB): these machines' hot sets are a few MiB, within the TLB's
    /// 12 MiB reach, where after the first mkold DAMON would see no access at all
    /// (docs/simulator.md, "Caches and TLBs"); the tests are about the policies' decisions.
    /// </summary>
    public static MachineSpec Spec(ulong fastBytes = 32 * MiB) =>
        MachineSpec.DefaultTwoTier(fastBytes, 64 * MiB) with { Watermarks = new WatermarkSpec(1, 2, 3), Caches = false };

    /// <summary>
    /// An app mapping of <paramref name="appPages"/> bound to the slow node (THP-backed with
    /// <see cref="MapFlags.Thp"/>), and a filler mapping of <paramref name="fillerPages"/> bound to
    /// the fast node; the tests touch them with <see cref="Touch"/>.
    /// </summary>
    public sealed class MapOnly(ulong appPages, ulong fillerPages, MapFlags appFlags = MapFlags.Anon) : IWorkload
    {
        public ulong Start { get; private set; }
        public ulong FillerStart { get; private set; }
        public int Tid { get; private set; }
        public string Name => "map-only";

        public void Setup(IWorkloadHost host)
        {
            int pid = host.CreateProcess("app");
            Tid = host.CreateThread(pid, 0);
            Start = host.Mmap(pid, appPages * PageSizes.PageSize, appFlags, new MemPolicy(MemPolicyMode.Bind, [1]));
            if (fillerPages > 0)
                FillerStart = host.Mmap(pid, fillerPages * PageSizes.PageSize, MapFlags.Anon, new MemPolicy(MemPolicyMode.Bind, [0]));
        }

        public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
        {
            computeNs = 0;
            return 0;
        }
    }

    /// <summary>One write to each of <paramref name="nrPages"/> pages from <paramref name="start"/>.</summary>
    public static void Touch(SimMachine m, int tid, ulong start, ulong nrPages)
    {
        var th = m.Thread(tid);
        for (ulong p = 0; p < nrPages; p++)
            m.RunBatch(th, [new MemAccess(start + p * PageSizes.PageSize, true)], 0);
    }

    /// <summary>
    /// One thread that writes every page of a mapping once (populate), then reads page p p more
    /// times, page by page: page p is accessed p + 1 times in all.
    /// </summary>
    public sealed class CountedTrace(int nrPages) : IWorkload
    {
        private ulong _start;
        private int _populated, _page, _done;
        public string Name => "counted";

        public void Setup(IWorkloadHost host)
        {
            int pid = host.CreateProcess("counted");
            host.CreateThread(pid, 0);
            _start = host.Mmap(pid, (ulong)nrPages * PageSizes.PageSize);
        }

        public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
        {
            computeNs = 0;
            int n = 0;
            while (n < batch.Length && _populated < nrPages)
                batch[n++] = new MemAccess(_start + (ulong)_populated++ * PageSizes.PageSize, true);
            while (n < batch.Length && _page < nrPages)
            {
                if (_done >= _page) { _page++; _done = 0; continue; }
                batch[n++] = new MemAccess(_start + (ulong)_page * PageSizes.PageSize, false);
                _done++;
            }
            return n;
        }
    }

    /// <summary>
    /// A small pressure case: 28 MiB of cold pre-fill on the 32 MiB fast node, then GUPS over
    /// 24 MiB with a 4 MiB hot set taking 90 % of the updates, for <paramref name="durationUs"/>.
    /// </summary>
    public static TieringScenario GupsPressure(ulong durationUs)
    {
        var gups = new GupsOptions
        {
            SizeBytes = 24 * MiB, HotBytes = 4 * MiB, Pattern = GupsPattern.Prob, HotProb = 0.9,
            DurationNs = durationUs * 1000,
        };
        return new TieringScenario("tiny-pressure", "test", "28 MiB cold on a 32 MiB fast node, then GUPS 24 MiB",
            Spec(), () => new PrefilledWorkload(new GupsWorkload(gups), 28 * MiB), durationUs, [0]);
    }
}
