using Damon.Guest.Proof;

namespace Damon.Guest.Cases;

/// <summary>
/// Issue 11's "Proof in the guest": real pages on real nodes, measured by tierprobe (tools/testbed/workloads/tierprobe.c)
/// from move_pages queries. (a)/(b) Damon's TIER puts 90 % of the hot pages on node 0 before 10 % of the cold ones
/// move, in user mode and in kernel mode; (c) the kernel's DAMON regions and Damon's view put the hot range on top;
/// (d) error paths; (e) damon record read back by damon report. The kernel's own NUMA-balancing tiering runs the same
/// check as the reference the Damon rows of docs/results/linux-guest.md are compared with.
/// </summary>
public static class ProofCases
{
    /// <summary>The issue's workload: 64 MiB, the first 8 MiB hot, everything first placed on node 1.</summary>
    private const string ProbeArgs = "-t 64 -h 8 -n 1 -c 0 -i 0.25";
    private const int ProbeSeconds = 30;
    private const string NumaBalancing = "/proc/sys/kernel/numa_balancing", Demotion = "/sys/kernel/mm/numa/demotion_enabled";

    public static IEnumerable<GuestCase> All() =>
    [
        new("proof/numab2_hot_before_cold", Numab2HotBeforeCold),
        new("proof/kernel_view_hot_on_top", KernelViewHotOnTop),
        new("proof/tier_user_mode_hot_before_cold", TierUserMode),
        new("proof/tier_kernel_mode_hot_before_cold", TierKernelMode),
        new("proof/damon_view_hot_on_top", DamonViewHotOnTop),
        new("proof/error_not_root", ErrorNotRoot),
        new("proof/error_no_damon", ErrorNoDamon),
        new("proof/error_target_exits", ErrorTargetExits),
        new("proof/error_move_pages_enomem", ErrorMovePagesEnomem),
        new("proof/record_report", RecordReport),
    ];

    private static TierprobeProcess? StartProbe(string extra, out string? skip)
    {
        string? exe = TierprobeProcess.Find();
        skip = exe is null ? "no tierprobe on PATH (tools/testbed/setup.sh builds it into the test bed's bin share)" : null;
        return exe is null ? null : TierprobeProcess.Start(exe, $"{ProbeArgs} {extra}");
    }

    private static CaseResult PlacedOnNode1(TierprobeProcess p) =>
        p.Placed == p.TotalPages ? CaseResult.Pass()
            : CaseResult.Fail($"tierprobe placed only {p.Placed} of {p.TotalPages} pages on node1");

    // numa_balancing=2 (NUMA_BALANCING_MEMORY_TIERING) with demotion on, the kernel's defaults otherwise: it promotes
    // on hint faults, which only touched pages take, so the cold pages must stay on node 1.
    private static CaseResult Numab2HotBeforeCold(GuestContext ctx)
    {
        string before = Sysfs.Read(NumaBalancing);
        string? demotion = Sysfs.ReadIfExists(Demotion);
        try
        {
            File.WriteAllText(NumaBalancing, "2");
            if (demotion is not null) File.WriteAllText(Demotion, "true");
            using var probe = StartProbe($"-d {ProbeSeconds}", out string? skip);
            if (probe is null) return CaseResult.Skip(skip!);
            if (PlacedOnNode1(probe) is { Outcome: CaseOutcome.Fail } placed) return placed;
            var (ok, why) = probe.JudgeHotBeforeCold();
            return ok ? CaseResult.Pass() : CaseResult.Fail($"numa_balancing=2: {why}");
        }
        finally
        {
            File.WriteAllText(NumaBalancing, before);
            if (demotion is not null) File.WriteAllText(Demotion, demotion == "true" ? "true" : "false");
        }
    }

    // (c), the kernel's half: a vaddr kdamond on the probe; its regions must put the hot 8 MiB on top.
    private static CaseResult KernelViewHotOnTop(GuestContext ctx)
    {
        File.WriteAllText(NumaBalancing, "0");
        using var probe = StartProbe("-d 60", out string? skip);
        if (probe is null) return CaseResult.Skip(skip!);
        var regions = KernelVaddrView.Monitor(probe.Pid, TimeSpan.FromSeconds(6));
        string? wrong = KernelVaddrView.HotOnTop(regions, probe.Base, probe.End, probe.HotStart, probe.HotEnd);
        return wrong is null ? CaseResult.Pass() : CaseResult.Fail($"kernel vaddr regions: {wrong}");
    }

    private static CaseResult TierUserMode(GuestContext ctx) => NeedsCli("start", "stop");

    private static CaseResult TierKernelMode(GuestContext ctx)
    {
        // DAMON_TIER's goals are node_mem_used_bp / node_mem_free_bp, which the kernel has from 6.16 on.
        if (!KernelAtLeast(6, 16)) return CaseResult.Skip($"kernel {Sysfs.Read(OsRelease)} lacks the node_mem_used_bp/node_mem_free_bp goal metrics (6.16+); user mode covers it");
        return NeedsCli("start", "stop");
    }

    private static CaseResult DamonViewHotOnTop(GuestContext ctx) => NeedsCli("start", "status", "stop");
    private static CaseResult ErrorNotRoot(GuestContext ctx) => NeedsCli("start");
    private static CaseResult ErrorNoDamon(GuestContext ctx) => NeedsCli("start");
    private static CaseResult ErrorTargetExits(GuestContext ctx) => NeedsCli("start", "stop");
    private static CaseResult ErrorMovePagesEnomem(GuestContext ctx) => NeedsCli("start", "stop");
    private static CaseResult RecordReport(GuestContext ctx) => NeedsCli("record", "report", "start");

    /// <summary>Skip while the CLI lacks the verbs; a case whose verbs exist but is not written yet is a failure.</summary>
    private static CaseResult NeedsCli(params string[] verbs) =>
        DamonCli.Missing(verbs) is { } why ? CaseResult.Skip(why)
            : CaseResult.Fail($"damon has {string.Join(", ", verbs)} now, but this case still has to be written against them");

    private const string OsRelease = "/proc/sys/kernel/osrelease";

    /// <summary>From the running kernel's release ("7.3.4+deb13-amd64").</summary>
    private static bool KernelAtLeast(int major, int minor)
    {
        string[] v = Sysfs.Read(OsRelease).Split('.', '-', '+');
        int ma = int.Parse(v[0]), mi = int.Parse(v[1]);
        return ma > major || (ma == major && mi >= minor);
    }
}
