using Damon.Sim.Machine;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Churn;
using Damon.Sim.Workloads.Composite;
using Damon.Sim.Workloads.Gups;
using Damon.Sim.Workloads.Masim;
using Damon.Sim.Workloads.Zipf;

namespace Damon.Tiering.Harness;

/// <summary>
/// The default suite, scaled so that every policy on every scenario fits in ten minutes on two
/// cores: the default machine's latencies and bandwidths with a 256 MiB fast node and a 1 GiB slow
/// node, runs of 8–16 s of simulated time, and a time scale of 1 s for 30 s where a scenario
/// quotes minutes (the churn period). Sizes keep each source's ratios, not its absolute sizes.
/// </summary>
public static class ScenarioCatalog
{
    public const ulong MiB = 1UL << 20;
    public const ulong FastBytes = 256 * MiB;
    public const ulong SlowBytes = 1024 * MiB;

    /// <summary>
    /// Watermarks as a large node has them (min_free_kbytes is capped at 256 MiB and the
    /// watermark_scale_factor gap is 0.1 %: about 0.1/0.2/0.3 % on a 512 GB node), not the
    /// 0.5/1/1.5 % of the machine default, which on a scaled-down node would keep free memory
    /// above what DAMON_TIER's 99.6 %-used / 0.4 %-free goals assume.
    /// </summary>
    public static MachineSpec Machine() => MachineSpec.DefaultTwoTier(FastBytes, SlowBytes) with
    {
        Name = "two-tier-scaled",
        Watermarks = new WatermarkSpec(1, 2, 3),
    };

    /// <summary>Every scenario, in suite order; <c>group</c> names select several at once.</summary>
    public static IReadOnlyList<TieringScenario> All()
    {
        var list = new List<TieringScenario>();
        foreach (int pct in new[] { 0, 25, 50, 75, 100 })
            list.Add(Pressure(pct));
        list.Add(GupsMove());
        list.Add(Masim("masim-stairs", zigzag: false));
        list.Add(Masim("masim-zigzag", zigzag: true));
        list.Add(Churn());
        list.Add(Memcgs());
        return list;
    }

    public static IReadOnlyList<TieringScenario> Select(string nameOrGroup)
    {
        if (nameOrGroup == "all") return All();
        var hit = All().Where(s => s.Name == nameOrGroup || s.Group == nameOrGroup).ToList();
        return hit.Count > 0 ? hit
            : throw new ArgumentException($"unknown scenario '{nameOrGroup}' (known: all, {string.Join(", ", All().Select(s => s.Name).Concat(All().Select(s => s.Group)).Distinct())})");
    }

    /// <summary>
    /// CPU time per access of the Redis-like KV (1.45 µs per GET of 17 accesses): Redis's event
    /// loop, parsing and reply, about 700 K GET/s per core. With the LLC and TLB model on, it
    /// makes the all-slow placement cost what CXL-only Redis costs in SK hynix's runs (1.19× of
    /// DRAM-only, tiering.md §2.2); at the workload's default 1 ns the KV is memory-bound, which
    /// Redis is not.
    /// </summary>
    public const double RedisComputeNsPerAccess = 85;

    /// <summary>
    /// (a) SK hynix's pressure sweep (tiering.md §2.2): a cold allocation takes pct % of the fast
    /// node, then a YCSB-C-like zipfian KV store (θ 0.99, 1 KiB values, 160 MiB of values) runs.
    /// </summary>
    public static TieringScenario Pressure(int pct)
    {
        ulong cold = FastBytes * (ulong)pct / 100;
        var kv = new ZipfKvOptions
        {
            Keys = 160 * 1024, ValueBytes = 1024, DurationNs = 16_000_000_000UL,
            ComputeNsPerAccess = RedisComputeNsPerAccess,
        };
        return new TieringScenario($"pressure-{pct}", "pressure",
            $"{pct} % of the fast node pre-filled with cold data, then zipfian KV (160 MiB, θ 0.99, read-only)",
            Machine(), () => new PrefilledWorkload(new ZipfKvWorkload(kv), cold), 16_000_000, [0]);
    }

    /// <summary>
    /// (b) HeMem's gups-hotset-move (tiering.md §2.5): 512 MiB field, 64 MiB hot set, the whole hot
    /// set moves halfway. A 192 MiB cold pre-fill leaves the fast node room for about the first
    /// hot set only, so the moved hot set starts on the slow node.
    /// </summary>
    public static TieringScenario GupsMove()
    {
        var o = new GupsOptions
        {
            SizeBytes = 512 * MiB, HotBytes = 64 * MiB, Pattern = GupsPattern.Prob, HotProb = 0.9,
            MoveAtNs = 6_000_000_000UL, MoveFraction = 1.0, DurationNs = 12_000_000_000UL,
        };
        return new TieringScenario("gups-move", "gups",
            "GUPS 512 MiB, 64 MiB hot set (90 % of updates) moving wholly at 6 s; 192 MiB cold pre-fill",
            Machine(), () => new PrefilledWorkload(new GupsWorkload(o), 192 * MiB), 12_000_000, [0, 6_000_000]);
    }

    /// <summary>
    /// (c) masim stairs and zigzag (DAMON's test configs, scaled): eight 48 MiB regions written once,
    /// then one region hot per 1 s phase — in order (stairs) or there and back (zigzag).
    /// </summary>
    public static TieringScenario Masim(string name, bool zigzag)
    {
        const int nrRegions = 8;
        const uint phaseMs = 1000;
        var regions = Enumerable.Range(0, nrRegions).Select(i => new MasimRegion($"r{i}", 48 * MiB, "(init)", i + 1)).ToList();
        var order = Enumerable.Range(0, nrRegions).ToList();
        if (zigzag) order.AddRange(Enumerable.Range(0, nrRegions - 1).Reverse());
        var phases = order.Select((r, i) => new MasimPhase($"p{i}", phaseMs,
            [new MasimPattern(r, true, 64, 1, MasimRwMode.ReadWrite, 100 + i)], 100 + i)).ToList();
        var config = new MasimConfig(name, regions, phases);
        ulong durUs = (ulong)phases.Count * phaseMs * 1000;
        return new TieringScenario(name, "masim",
            $"masim {(zigzag ? "zigzag" : "stairs")}: 8 × 48 MiB regions, one hot per {phaseMs} ms phase ({phases.Count} phases)",
            Machine(), () => new MasimWorkload(config, 4096), durUs,
            Enumerable.Range(0, phases.Count).Select(i => (ulong)i * phaseMs * 1000).ToList());
    }

    /// <summary>
    /// (d) the Taobench-like case (tiering.md §2.2): the fast node holds 92.6 % of the footprint
    /// (250 GB of 270 GB), 13 % of it hot, 10 % of the hot set swapped with cold memory every
    /// scaled minute (2 s).
    /// </summary>
    public static TieringScenario Churn()
    {
        var o = new ChurnOptions
        {
            SizeBytes = 276 * MiB, HotFraction = 0.13, MoveFraction = 0.10, PeriodNs = 2_000_000_000UL,
            UnitBytes = 2 * MiB, HotProb = 0.95, DurationNs = 16_000_000_000UL,
        };
        return new TieringScenario("churn", "churn",
            "276 MiB footprint (fast node = 92.6 % of it), 13 % hot, 10 % of the hot set swapped every 2 s",
            Machine(), () => new ChurnWorkload(o), 16_000_000,
            Enumerable.Range(0, 8).Select(i => (ulong)i * 2_000_000).ToList());
    }

    /// <summary>(e) three processes in three memcgs sharing the fast node: zipf KV, GUPS, churn.</summary>
    public static TieringScenario Memcgs()
    {
        const ulong dur = 10_000_000_000UL;
        IWorkload Make() => new MultiProcessWorkload([
            new WorkloadPart(new ZipfKvWorkload(new ZipfKvOptions { Keys = 96 * 1024, ValueBytes = 1024, DurationNs = dur }), 1),
            new WorkloadPart(new GupsWorkload(new GupsOptions { SizeBytes = 192 * MiB, HotBytes = 24 * MiB, Pattern = GupsPattern.Prob, DurationNs = dur, Threads = new(1, [1]) }), 2),
            new WorkloadPart(new ChurnWorkload(new ChurnOptions { SizeBytes = 128 * MiB, DurationNs = dur, PeriodNs = 2_000_000_000UL, Threads = new(1, [2]) }), 3),
        ]);
        return new TieringScenario("memcgs", "memcgs",
            "zipf KV (96 MiB) + GUPS (192 MiB, 24 MiB hot) + churn (128 MiB), each in its own memcg",
            Machine(), Make, 10_000_000, [0]);
    }
}
