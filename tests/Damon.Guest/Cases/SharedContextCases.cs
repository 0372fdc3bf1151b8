using System.Globalization;
using System.Text.RegularExpressions;
using Damon.Guest.Proof;

namespace Damon.Guest.Cases;

/// <summary>
/// Issue 16's Linux half: `damon start --mode user` with two modules (DAMON_RECLAIM and TIER, configs/damon-*-guest-user.yaml)
/// in ONE shared context (DAMON-X) on the guest's real kernel. The kernel must show one kdamond with one paddr context
/// over the modules' union (one target: the kernel takes no more for paddr), Damon runs both
/// modules' schemes in the conflict rule's order (TIER's promotion, RECLAIM's pageout, then TIER's demotion (SharedContext.ConflictRank),
/// whatever the --module order), each module's scheme acts where its regions qualify (TIER promotes tierprobe's hot set from node 1;
/// RECLAIM pages out a cold, clean file mapping: the guest has no swap, so anonymous pages cannot leave memory), and
/// --timeout and Ctrl+C end the run with no kdamond left. Removing or re-tuning one module while the other runs is
/// not offered by `damon start --mode user` (no run-time control verb reaches a user-mode run; `damon sim
/// --module_commit` does it on the simulator), so no case claims it here.
/// </summary>
public static class SharedContextCases
{
    private const string Kdamonds = KernelVaddrView.Kdamonds;
    private static readonly string[] ModuleArgs =
    [
        "--module", "damon_reclaim", "--module", "damon_tier",
        "--module_params", "reclaim=configs/damon-reclaim-guest-user.yaml",
        "--module_params", "tier=configs/damon-tier-guest-user.yaml",
    ];
    /// <summary>A bound for the CLI's start under TCG beside the suite's tickers, not a pace: alone it took 33 s to start on a loaded host.</summary>
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(240);
    /// <summary>How long a kdamond thread may take to exit after 'off' (KdamondsReset's bound).</summary>
    private static readonly TimeSpan OffBound = TimeSpan.FromSeconds(60);
    /// <summary>A bound for RECLAIM's pageout of the cold file after TIER decided, not a pace: min_age is 4 s.</summary>
    private static readonly TimeSpan ReclaimBound = TimeSpan.FromSeconds(60);
    private const int ColdFileMib = 16;

    /// <summary>"t=10.0 s: damon_x (paddr): 37 regions; migrate_hot tried 40 (1.2 GiB) applied 12 (48.000 MiB), ..."</summary>
    private static readonly Regex Status = new(
        @"^t=(?<t>[0-9.]+) s: damon_x \(paddr\): (?<regions>\d+) regions; "
        + @"migrate_hot tried (?<ht>\d+) \([^)]*\) applied (?<ha>\d+) \((?<hasz>[^)]*)\), "
        + @"pageout tried (?<pt>\d+) \([^)]*\) applied (?<pa>\d+) \((?<pasz>[^)]*)\), "
        + @"migrate_cold tried (?<ct>\d+) \([^)]*\) applied (?<ca>\d+) \((?<casz>[^)]*)\)$", RegexOptions.CultureInvariant);

    public static IEnumerable<GuestCase> All() =>
    [
        new("damon-x/user_reclaim_tier_one_kdamond_until_timeout", ProofCases.Isolated(OneKdamondUntilTimeout)),
    ];

    /// <summary>
    /// Open (run with --open, not in CI; docs/testbed.md). 6.12, 2026-12-02 20:40 UTC: through the CLI TIER's
    /// migrate_hot was tried on the hot set's regions (45 regions, 6.6 MiB in 90 s) but applied 0 B, and tierprobe saw
    /// 0 of 2048 hot pages on node 0; `damon start --mode user --module damon_tier` alone did the same (tried 5, 8.5 MiB,
    /// applied 0 B, a run where the kernel's NUMA balancing was on and moved the hot pages first), while the same
    /// configuration run in-process (proof/tier_user_mode_hot_before_cold) passes; a plausible reason, not measured:
    /// the regions tried were pages already on node 0 and the probe, beside two .NET processes, never looked hot. RECLAIM
    /// paged out 2232 of the cold file's 4096 pages in its first round, then its 128 MiB/s quota went to older regions
    /// of free memory (hence quota_sz 1 GiB in configs/damon-reclaim-guest-user.yaml since, not yet run).
    /// </summary>
    public static IEnumerable<GuestCase> Open() =>
    [
        new("damon-x/user_reclaim_tier_both_act_until_ctrl_c", ProofCases.Isolated(BothActUntilCtrlC)),
    ];

    // The kdamond the shared context writes, read from the kernel while it runs; --timeout ends it with exit 0.
    private static CaseResult OneKdamondUntilTimeout(GuestContext ctx)
    {
        if (DamonCli.Missing("start") is { } missing) return CaseResult.Skip(missing);
        using var damon = DamonCliProcess.Start(["start", "--mode", "user", "--timeout", "6", .. ModuleArgs]);
        string? started = damon.WaitForLine("started ", StartBound);
        const string expectStarted = "started 1 context(s) in user mode (damon_x (paddr)); Damon runs the schemes until 6 s, Ctrl+C or SIGTERM";
        if (started != expectStarted)
            return CaseResult.Fail($"start line {Quote(started)}, expected {Quote(expectStarted)}; {Ended(damon)}");
        string? layout = SharedLayout();
        var exit = damon.WaitForExit(StartBound);
        if (layout is not null) return CaseResult.Fail(layout);
        if (exit is not ({ } e) || e.ExitCode != 0)
            return CaseResult.Fail($"--timeout 6: {(exit is null ? "still running" : $"exit {exit.Value.ExitCode}: {exit.Value.Stderr.Trim()}")}");
        var lines = damon.Lines;
        if (!Regex.IsMatch(lines[^1], @"^stopped after \d+\.\d s: timeout reached; kdamonds off$"))
            return CaseResult.Fail($"last line {Quote(lines[^1])}, expected 'stopped after N s: timeout reached; kdamonds off'");
        if (lines.Count < 2 || !Status.IsMatch(lines[^2]))
            return CaseResult.Fail($"final status {Quote(lines.Count < 2 ? null : lines[^2])}: expected the schemes in the conflict rule's order "
                + "(migrate_hot, pageout, migrate_cold) though RECLAIM was given first");
        return NoKdamondLeft("after --timeout");
    }

    // Each module acts: TIER's promotion of tierprobe's hot set (before its cold pages move) and RECLAIM's pageout of
    // a cold file mapping, both counted by the schemes' stats; Ctrl+C then ends the run with 130 and no kdamond left.
    private static CaseResult BothActUntilCtrlC(GuestContext ctx)
    {
        if (DamonCli.Missing("start") is { } missing) return CaseResult.Skip(missing);
        if (!Directory.Exists("/mnt/scratch")) return CaseResult.Skip("no writable /mnt/scratch share for the cold file (run-in-guest.sh mounts one)");
        ProofCases.NoKernelTiering();
        using var probe = ProofCases.StartProbe("-d 240", out string? skip);
        if (probe is null) return CaseResult.Skip(skip!);
        if (ProofCases.PlacedOnNode1(probe) is { Outcome: CaseOutcome.Fail } placed) return placed;
        using var cold = ColdFileMapping.Create("/mnt/scratch/damon-x-cold.bin", ColdFileMib);
        ulong presentAtStart = cold.PresentPages();
        if (presentAtStart * 10 < cold.NrPages * 9)
            return CaseResult.Fail($"the cold file's mapping has only {presentAtStart} of {cold.NrPages} pages present after its read");
        using var damon = DamonCliProcess.Start(["start", "--mode", "user", .. ModuleArgs]);
        if (damon.WaitForLine("started ", StartBound) is null)
            return CaseResult.Fail($"no start line: {Ended(damon)}");
        var (hotFirst, why) = probe.JudgeHotBeforeCold();
        ulong present = cold.PresentPages();
        Console.WriteLine($"  damon-x: TIER decided: {why}; {present} of {cold.NrPages} cold file pages present");
        var until = DateTime.UtcNow + ReclaimBound;
        while (present * 10 > cold.NrPages && DateTime.UtcNow < until)
        {
            Thread.Sleep(1000);
            present = cold.PresentPages();
        }
        damon.Interrupt();
        var exit = damon.WaitForExit(StartBound);
        var lines = damon.Lines;
        string final = lines.Count >= 2 ? lines[^2] : "";
        string seen = $"TIER: {why}; RECLAIM: {present} of {cold.NrPages} cold file pages still present; final status {Quote(final)}";
        Console.WriteLine($"  damon-x {seen}");
        if (!hotFirst) return CaseResult.Fail(seen);
        if (present * 10 > cold.NrPages) return CaseResult.Fail($"{seen}: expected at most 10 % present within {ReclaimBound.TotalSeconds} s");
        if (exit is not ({ } e) || e.ExitCode != 130)
            return CaseResult.Fail($"Ctrl+C: {(exit is null ? "still running" : $"exit {exit.Value.ExitCode} (expected 130): {exit.Value.Stderr.Trim()}")}");
        if (!Regex.IsMatch(lines[^1], @"^stopped after \d+\.\d s: interrupted; kdamonds off$"))
            return CaseResult.Fail($"last line {Quote(lines[^1])}, expected 'stopped after N s: interrupted; kdamonds off'");
        var m = Status.Match(final);
        if (!m.Success) return CaseResult.Fail($"final status {Quote(final)} is not migrate_hot, pageout, migrate_cold in that order");
        ulong Num(string g) => ulong.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        if (Num("ha") == 0) return CaseResult.Fail($"{seen}: TIER's migrate_hot applied to no region");
        if (Num("pa") == 0) return CaseResult.Fail($"{seen}: RECLAIM's pageout applied to no region");
        return NoKdamondLeft("after Ctrl+C");
    }

    /// <summary>
    /// Null when the admin tree is one kdamond on, with one paddr context over the modules' union and only user mode's
    /// monitoring scheme in the kernel. RECLAIM monitors all System RAM (first start to last end of /proc/iomem's
    /// System RAM), TIER the biggest System RAM resource; the kernel takes one paddr target only, so the union is one
    /// target whose regions are the union cut at TIER's edges.
    /// </summary>
    private static string? SharedLayout()
    {
        var ram = SystemRam();
        var big = ram.MaxBy(r => r.End - r.Start);
        ulong[] cuts = [.. new[] { ram.Min(r => r.Start), ram.Max(r => r.End), big.Start, big.End }.Distinct().Order()];
        string c = $"{Kdamonds}/0/contexts/0";
        var expect = new List<(string What, string Path, string Expected)>
        {
            ("nr_kdamonds", $"{Kdamonds}/nr_kdamonds", "1"),
            ("state", $"{Kdamonds}/0/state", "on"),
            ("nr_contexts", $"{Kdamonds}/0/contexts/nr_contexts", "1"),
            ("operations", $"{c}/operations", "paddr"),
            ("nr_targets", $"{c}/targets/nr_targets", "1"),
            ("nr_regions", $"{c}/targets/0/regions/nr_regions", (cuts.Length - 1).ToString(CultureInfo.InvariantCulture)),
            // User mode runs the modules' schemes in Damon; the kernel gets the one stat scheme it reads regions from.
            ("nr_schemes", $"{c}/schemes/nr_schemes", "1"),
            ("scheme 0 action", $"{c}/schemes/0/action", "stat"),
        };
        for (int i = 0; i + 1 < cuts.Length; i++)
        {
            expect.Add(($"region {i} start", $"{c}/targets/0/regions/{i}/start", cuts[i].ToString(CultureInfo.InvariantCulture)));
            expect.Add(($"region {i} end", $"{c}/targets/0/regions/{i}/end", cuts[i + 1].ToString(CultureInfo.InvariantCulture)));
        }
        var wrong = expect.Select(s => (s.What, Got: Sysfs.ReadIfExists(s.Path) ?? "(absent)", s.Expected))
            .Where(s => s.Got != s.Expected).Select(s => $"{s.What} {s.Got} (expected {s.Expected})").ToList();
        var threads = KdamondsReset.RunningThreads();
        if (threads.Count != 1) wrong.Add($"kdamond threads [{string.Join(", ", threads)}] (expected one)");
        return wrong.Count == 0 ? null : $"the shared context's kdamond: {string.Join("; ", wrong)}";
    }

    /// <summary>The top-level System RAM resources of /proc/iomem, [start, end).</summary>
    private static List<(ulong Start, ulong End)> SystemRam()
    {
        var ram = new List<(ulong Start, ulong End)>();
        foreach (string line in File.ReadAllLines("/proc/iomem"))
        {
            if (line.StartsWith(' ') || !line.EndsWith(" : System RAM", StringComparison.Ordinal)) continue;
            string[] b = line[..line.IndexOf(' ', StringComparison.Ordinal)].Split('-');
            ram.Add((ulong.Parse(b[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                ulong.Parse(b[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) + 1));
        }
        return ram;
    }

    /// <summary>Pass when every kdamond thread is gone within the bound and no kdamond of the tree is on.</summary>
    private static CaseResult NoKdamondLeft(string when)
    {
        var until = DateTime.UtcNow + OffBound;
        while (KdamondsReset.RunningThreads().Count > 0 && DateTime.UtcNow < until)
            Thread.Sleep(200);
        var threads = KdamondsReset.RunningThreads();
        var on = KdamondsReset.On();
        return threads.Count == 0 && on.Count == 0 ? CaseResult.Pass()
            : CaseResult.Fail($"{when}: kdamond threads [{string.Join(", ", threads)}], kdamonds on [{string.Join(", ", on)}]");
    }

    private static string Ended(DamonCliProcess damon)
    {
        var exit = damon.WaitForExit(TimeSpan.FromSeconds(5));
        return exit is { } e ? $"damon exited {e.ExitCode}: {e.Stderr.Trim()} {string.Join(" | ", damon.Lines)}" : "damon still running, no such line";
    }

    private static string Quote(string? s) => s is null ? "(none)" : $"'{s}'";
}
