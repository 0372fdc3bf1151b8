using System.Diagnostics;
using Damon.Core.Monitoring;
using Damon.Sim.GroundTruth;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Operations;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Masim;

namespace Damon.Sim.Bench;

/// <summary>
/// The accuracy benchmark (issue 4 item 9; tiering.md §2.1's masim experiment): a masim config
/// with a cold region of 90 % of the footprint, populated and then never touched, and a hot region
/// of 10 % accessed at random by masim's single thread; monitored with vaddr, either with the
/// kernel's default attributes or with interval auto-tuning. Each aggregation window after the
/// warm-up is scored; see docs/results/accuracy.md for the definitions.
/// </summary>
public sealed class AccuracyBench(AccuracyOptions options)
{
    private const ulong ColdRegionIdx = 0, HotRegionIdx = 1, MovedHotRegionIdx = 2;

    public AccuracyOptions Options { get; } = options;

    /// <summary>One line per finished step (populate, warm-up, case done), for a progress display.</summary>
    public event Action<string>? Progress;

    /// <summary>Every case; <paramref name="cancel"/> stops it with <see cref="OperationCanceledException"/>.</summary>
    public IReadOnlyList<AccuracyCaseResult> Run(CancellationToken cancel = default)
    {
        Options.Validate();
        var results = new List<AccuracyCaseResult>();
        foreach (ulong footprint in Options.FootprintsBytes)
        {
            foreach (var motion in Options.HotSets)
            {
                foreach (var mode in Options.Modes)
                {
                    results.Add(RunCase(footprint, mode, motion, cancel));
                    // The next case must not share the heap with this one's 16 bytes per page.
                    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                }
            }
        }
        return results;
    }

    /// <summary>The masim config: regions "cold" then "hot", one endless phase accessing "hot" at random (write-only, masim's default).</summary>
    public static MasimConfig Config(ulong footprintBytes, uint hotPermil)
    {
        ulong hot = footprintBytes * hotPermil / 1000 & ~(PageSizes.PageSize - 1);
        ulong cold = footprintBytes - hot;
        var regions = new[]
        {
            new MasimRegion("cold", cold, null, 1),
            new MasimRegion("hot", hot, null, 2),
        };
        var phase = new MasimPhase("hot", 1000, [new MasimPattern((int)HotRegionIdx, true, 64, 100, MasimRwMode.WriteOnly, 5)], 4);
        return new MasimConfig($"accuracy-{footprintBytes}", regions, [phase]);
    }

    /// <summary>
    /// The moving-hot-set config: regions "cold" (the footprint less two hot sizes), "hot" and
    /// "hot2"; phase "before" accesses "hot" for <paramref name="moveMs"/>, then phase "after"
    /// accesses "hot2" for good. Either way 10 % of the footprint is hot and 90 % untouched.
    /// </summary>
    public static MasimConfig MovingConfig(ulong footprintBytes, uint hotPermil, uint moveMs)
    {
        ulong hot = footprintBytes * hotPermil / 1000 & ~(PageSizes.PageSize - 1);
        ulong cold = footprintBytes - 2 * hot;
        var regions = new[]
        {
            new MasimRegion("cold", cold, null, 1),
            new MasimRegion("hot", hot, null, 2),
            new MasimRegion("hot2", hot, null, 3),
        };
        var before = new MasimPhase("before", moveMs, [new MasimPattern((int)HotRegionIdx, true, 64, 100, MasimRwMode.WriteOnly, 5)], 4);
        var after = new MasimPhase("after", uint.MaxValue, [new MasimPattern((int)MovedHotRegionIdx, true, 64, 100, MasimRwMode.WriteOnly, 7)], 6);
        return new MasimConfig($"accuracy-moving-{footprintBytes}", regions, [before, after]);
    }

    public AccuracyCaseResult RunCase(ulong footprintBytes, AccuracyMode mode, CancellationToken cancel = default) =>
        RunCase(footprintBytes, mode, HotSetMotion.Stable, cancel);

    public AccuracyCaseResult RunCase(ulong footprintBytes, AccuracyMode mode, HotSetMotion motion, CancellationToken cancel = default)
    {
        var o = Options;
        long caseStart = Stopwatch.GetTimestamp();
        ulong warmupUs = mode == AccuracyMode.Tuned ? o.TunedWarmupUs : o.WarmupUs;
        bool moving = motion == HotSetMotion.Moving;
        // The hot set moves when scoring starts: every scored window is after the move.
        ulong moveUs = warmupUs;
        var config = moving ? MovingConfig(footprintBytes, o.HotPermil, (uint)(moveUs / 1000)) : Config(footprintBytes, o.HotPermil);
        ulong hotBytes = config.Regions[(int)HotRegionIdx].SizeBytes;
        // One node holds everything, so placement plays no part; no kswapd, no demotion. No caches
        // either: this scores DAMON's region sampling against the ground truth, and a hot set that
        // stays in the TLB would never set its accessed bits again (a hardware effect, not sampling's).
        ulong nodeBytes = (footprintBytes + (1UL << 30) + (2UL << 20) - 1) & ~((2UL << 20) - 1);
        var spec = MachineSpec.DefaultTwoTier(nodeBytes, 1UL << 30) with { LinuxDefault = false, Caches = false };
        // masim ends a phase only between picks; an endless run is many repeats of one phase.
        var workload = new MasimWorkload(config, repeats: moving ? 1 : 1_000_000);
        var run = new TimedVaddrRun(spec, workload, AccuracyOptions.AttrsOf(mode), o.Seed,
            mode == AccuracyMode.Ptp ? m => new SimPtpVaddrOperations(m, o.PtpPmdSpanShift) : null);
        var machine = run.Machine;
        int pid = workload.Pid;
        // What scored windows are scored against: after the move, the region the workload moved to.
        ulong hotStart = workload.RegionStarts[(int)(moving ? MovedHotRegionIdx : HotRegionIdx)];
        ulong hotEnd = hotStart + hotBytes;

        // masim's init data step, untimed: every page of both regions resident before monitoring.
        long popStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < config.Regions.Count; i++)
        {
            ulong start = workload.RegionStarts[i], end = start + config.Regions[i].SizeBytes;
            for (ulong a = start; a < end; a += PageSizes.PageSize)
            {
                // A terabyte is 2^28 pages: Ctrl+C must not wait for all of them.
                if ((a & ((1UL << 30) - 1)) == 0)
                    cancel.ThrowIfCancellationRequested();
                machine.Populate(pid, a);
            }
        }
        double populateS = Stopwatch.GetElapsedTime(popStart).TotalSeconds;
        string label = $"{Fmt(footprintBytes)} {Name(mode)} {Name(motion)}";
        Progress?.Invoke($"{label}: populated in {populateS:F1} s");
        if (o.HostHugePages)
        {
            long hugeStart = Stopwatch.GetTimestamp();
            ulong advised = HostHugePages.CollapseAnonymousMappings();
            Progress?.Invoke($"{label}: host huge pages: {advised >> 20} MiB collapsed, {HostHugePages.AnonHugeBytes() >> 20} MiB huge, " +
                $"in {Stopwatch.GetElapsedTime(hugeStart).TotalSeconds:F1} s");
        }
        // Ground truth counts only through the windows scored against it (see the callback): one
        // more random 2-byte increment per access over 2 B/page, the warm-up has no use for it.

        var ctx = run.Ctx;
        var target = new Target(pid);
        ctx.AddTarget(target);

        var design = new HotSetTotals(0, 0, 0);
        var window = new HotSetTotals(0, 0, 0);
        double rateErrSum = 0, regionsSum = 0;
        int nrWindows = 0, nrGtWindows = 0, gtStride = 0;
        ulong windowStartUs = 0;
        long scoringNs = 0;
        bool stopping = false;
        double? reactionS = null;
        ctx.Aggregated = c =>
        {
            if (stopping) return;
            long s0 = ThreadCpuClock.NowNs();
            ulong nowUs = run.NowUs;
            // Reaction: the first window that ends after the move (it may have begun before it)
            // and finds >= ReactionRecall of the new hot region.
            if (moving && reactionS is null && nowUs > moveUs
                && ScoreAgainstRange(target, hotStart, hotEnd, o.HotMinNrAccesses).Recall >= o.ReactionRecall)
                reactionS = (nowUs - moveUs) / 1e6;
            AccessWindow? w = machine.GroundTruth?.CloseWindow(nowUs * 1000);
            if (windowStartUs >= warmupUs)
            {
                if (gtStride == 0)
                {
                    ulong expected = Math.Max(o.DurationUs / Math.Max(c.Attrs.AggrIntervalUs, 1), 1);
                    gtStride = (int)Math.Max(1, (expected + (ulong)Math.Max(o.MaxGroundTruthWindows, 1) - 1) / (ulong)Math.Max(o.MaxGroundTruthWindows, 1));
                }
                var d = ScoreAgainstRange(target, hotStart, hotEnd, o.HotMinNrAccesses);
                design = design.Add(d.TrueHotBytes, d.PredictedHotBytes, d.CorrectBytes);
                regionsSum += target.NrRegions;
                if (nrGtWindows < o.MaxGroundTruthWindows && nrWindows % gtStride == 0)
                {
                    if (w is null)
                        throw new InvalidOperationException("a ground-truth window was not counted from its start");
                    uint minNr = o.HotMinNrAccesses;
                    var g = AccuracyScore.HotSet(machine, w, pid, target, r => r.NrAccesses >= minNr);
                    window = window.Add(g.TrueHotBytes, g.PredictedHotBytes, g.CorrectBytes);
                    rateErrSum += AccuracyScore.RegionRateError(machine, w, pid, target, DamonCore.NrSamplesPerAggr(c.Attrs));
                    nrGtWindows++;
                }
                nrWindows++;
            }
            windowStartUs = nowUs;
            if (w is not null)
            {
                // 2 bytes per page (512 MiB at 1 TiB): reuse them for the next window.
                machine.GroundTruth!.Recycle(w);
            }
            // Count the window starting now only if it will be scored against ground truth: the
            // first scored one (its stride is not known yet), then every gtStride-th.
            bool nextGt = nowUs >= warmupUs && nrGtWindows < o.MaxGroundTruthWindows
                && (gtStride == 0 || nrWindows % gtStride == 0);
            if (nextGt) machine.EnableGroundTruth();
            else machine.DisableGroundTruth();
            scoringNs += ThreadCpuClock.NowNs() - s0;
        };

        run.Start();
        run.RunUntil(warmupUs, cancel);
        Progress?.Invoke($"{label}: warm-up done at {warmupUs / 1e6:F0} s simulated " +
            $"(sampling {ctx.Attrs.SampleIntervalUs / 1000.0:F1} ms, aggregation {ctx.Attrs.AggrIntervalUs / 1000.0:F0} ms, {target.NrRegions} regions)");
        ulong endUs = warmupUs + o.DurationUs;
        // Enough windows to score, but never more than MinWindows+1 of the longest aggregation past the duration.
        ulong capUs = endUs + (ulong)(o.MinWindows + 1) * 20UL * 10_000_000UL;
        // A moving hot set: on until the reaction is seen, but never past ReactionCapUs after the move.
        ulong reactionEndUs = moving ? moveUs + o.ReactionCapUs : 0;
        while (true)
        {
            ulong untilUs;
            if (run.NowUs < endUs) untilUs = endUs;
            else if (nrWindows < o.MinWindows && run.NowUs < capUs) untilUs = capUs;
            else if (moving && reactionS is null && run.NowUs < reactionEndUs) untilUs = reactionEndUs;
            else break;
            run.RunUntil(Math.Min(run.NowUs + 1_000_000, untilUs), cancel);
        }
        double simS = run.NowUs / 1e6;
        ulong nrAccesses = 0;
        foreach (var th in machine.Threads) nrAccesses += th.NrAccesses;
        // Stopping advances the world to each kdamond's next wake (up to a whole sampling
        // interval, >1 s when tuned) and may complete an aggregation: neither belongs to the run.
        stopping = true;
        run.Stop();
        var result = new AccuracyCaseResult
        {
            FootprintBytes = footprintBytes,
            Mode = mode,
            Motion = motion,
            ReactionS = reactionS,
            ReactionLimitS = moving ? (run.NowUs - moveUs) / 1e6 : null,
            HotBytes = hotBytes,
            Design = design,
            Window = window,
            RateError = nrGtWindows == 0 ? null : rateErrSum / nrGtWindows,
            NrWindows = nrWindows,
            NrGroundTruthWindows = nrGtWindows,
            MeanNrRegions = nrWindows == 0 ? 0 : regionsSum / nrWindows,
            SampleIntervalUs = ctx.Attrs.SampleIntervalUs,
            AggrIntervalUs = ctx.Attrs.AggrIntervalUs,
            SimulatedS = simS,
            AccessesPerSimS = nrAccesses / simS,
            EngineMsPerSimS = run.EngineNs(scoringNs) / 1e6 / simS,
            MachineMsPerSimS = run.WorldNs / 1e6 / simS,
            CpuClock = ThreadCpuClock.Name,
            WallS = Stopwatch.GetElapsedTime(caseStart).TotalSeconds,
            PopulateWallS = populateS,
            ScoringS = scoringNs / 1e9,
        };
        // The full row, so a long run that is interrupted still leaves its finished cases behind.
        Progress?.Invoke($"{label}: done in {result.WallS:F1} s: recall {result.Design.Recall:P1}, " +
            $"precision {result.Design.Precision:P1}, window recall {result.Window.Recall:P1}, window precision {result.Window.Precision:P1}, " +
            $"rate error {result.RateError:P1}, reaction {ReactionText(result)}, {result.MeanNrRegions:F0} regions, {result.NrWindows} windows, " +
            $"engine {result.EngineMsPerSimS:F2} ms/sim s, machine {result.MachineMsPerSimS:F0} ms/sim s ({result.CpuClock})");
        return result;
    }

    /// <summary>
    /// Hot-set score against a known hot address range: predicted = bytes of the regions with
    /// nr_accesses ≥ <paramref name="minNrAccesses"/>, correct = their overlap with
    /// [<paramref name="hotStart"/>, <paramref name="hotEnd"/>), true = the range's size. Assumes
    /// every page of the target is resident (the benchmark populates them all).
    /// </summary>
    public static HotSetScore ScoreAgainstRange(Target t, ulong hotStart, ulong hotEnd, uint minNrAccesses)
    {
        ulong predicted = 0, correct = 0;
        for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
        {
            if (r.NrAccesses < minNrAccesses) continue;
            predicted += r.End - r.Start;
            ulong lo = Math.Max(r.Start, hotStart), hi = Math.Min(r.End, hotEnd);
            if (hi > lo) correct += hi - lo;
        }
        return new HotSetScore(hotEnd - hotStart, predicted, correct);
    }

    public static string Name(AccuracyMode mode) => mode switch
    {
        AccuracyMode.Tuned => "tuned",
        AccuracyMode.Ptp => "ptp",
        _ => "default",
    };

    public static string Name(HotSetMotion motion) => motion == HotSetMotion.Moving ? "moving" : "stable";

    /// <summary>Seconds, "never (> N s)" when no window after the move reached the recall, "-" for a stable hot set.</summary>
    public static string ReactionText(AccuracyCaseResult r) =>
        r.ReactionS is { } s ? s.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)
        : r.ReactionLimitS is { } lim ? $"never (> {lim.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)} s)" : "-";

    internal static string Fmt(ulong bytes) => bytes switch
    {
        >= 1UL << 40 when bytes % (1UL << 40) == 0 => $"{bytes >> 40} TiB",
        >= 1UL << 30 when bytes % (1UL << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1UL << 20 when bytes % (1UL << 20) == 0 => $"{bytes >> 20} MiB",
        _ => $"{bytes} B",
    };
}
