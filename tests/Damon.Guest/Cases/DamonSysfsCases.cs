namespace Damon.Guest.Cases;

/// <summary>The guest kernel's DAMON sysfs interface is there and idle (read-only checks).</summary>
public static class DamonSysfsCases
{
    private const string Kdamonds = "/sys/kernel/mm/damon/admin/kdamonds";

    public static IEnumerable<GuestCase> All() =>
    [
        new("damon/sysfs_kdamonds", KdamondsDir),
        new("damon/stat_disabled", StatDisabled),
        new("damon/no_kdamond_running", NoKdamondRunning),
    ];

    private static CaseResult KdamondsDir(GuestContext ctx)
    {
        string? nr = Sysfs.ReadIfExists($"{Kdamonds}/nr_kdamonds");
        if (nr is null) return CaseResult.Fail($"{Kdamonds}/nr_kdamonds is missing (no DAMON_SYSFS)");
        return nr == "0" ? CaseResult.Pass() : CaseResult.Fail($"nr_kdamonds is {nr} in a fresh guest, expected 0");
    }

    // 7.x kernels build DAMON_STAT with DAMON_STAT_ENABLED_DEFAULT=y; launch.sh turns it off on the command line.
    private static CaseResult StatDisabled(GuestContext ctx)
    {
        const string param = "/sys/module/damon_stat/parameters/enabled";
        string? enabled = Sysfs.ReadIfExists(param);
        if (enabled is null) return CaseResult.Skip("this kernel has no damon_stat");
        return enabled == "N" ? CaseResult.Pass() : CaseResult.Fail($"{param} is '{enabled}', expected 'N' (damon_stat.enabled=N)");
    }

    private static CaseResult NoKdamondRunning(GuestContext ctx)
    {
        var running = Proof.KdamondsReset.RunningThreads();
        return running.Count == 0
            ? CaseResult.Pass()
            : CaseResult.Fail($"kernel threads already running: {string.Join(", ", running)}");
    }
}
