namespace Damon.Guest.Proof;

/// <summary>
/// The guest's DAMON admin tree between cases. A stopped backend leaves its kdamonds directories behind (state off,
/// nr_kdamonds unchanged: damo's stop does the same), and the contract cases and the Linux backend cases run before
/// the proof cases, so a case that needs the kernel to itself first resets such a tree, and every proof case turns
/// off and removes what it set up in a finally (<see cref="Reset"/>), even when it fails. Guest only.
/// </summary>
public static class KdamondsReset
{
    private const string Kdamonds = KernelVaddrView.Kdamonds;

    /// <summary>How long a kdamond may take to exit after 'off' under TCG on a loaded host (its thread ends
    /// asynchronously; nr_kdamonds answers EBUSY until it has).</summary>
    private static readonly TimeSpan OffBound = TimeSpan.FromSeconds(60);

    /// <summary>The running kdamond threads by their comm ("kdamond.0"), read from /proc.</summary>
    public static IReadOnlyList<string> RunningThreads() =>
        [.. Directory.GetDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d => { try { return File.ReadAllText($"{d}/comm").Trim(); } catch (IOException) { return ""; } })
            .Where(comm => comm.StartsWith("kdamond", StringComparison.Ordinal))];

    /// <summary>The kdamonds of the admin tree whose state is on.</summary>
    public static IReadOnlyList<int> On()
    {
        int n = int.Parse(Sysfs.Read($"{Kdamonds}/nr_kdamonds"), System.Globalization.CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(0, n).Where(k => Sysfs.ReadIfExists($"{Kdamonds}/{k}/state") == "on")];
    }

    /// <summary>
    /// Turns every kdamond of the admin tree off, waits (bounded) until their threads are gone and writes
    /// nr_kdamonds 0. Returns what it found on (empty when nothing ran); throws when the tree cannot be emptied.
    /// </summary>
    public static IReadOnlyList<int> Reset()
    {
        GuestOnly();
        var on = On();
        foreach (int k in on)
        {
            try { File.WriteAllText($"{Kdamonds}/{k}/state", "off"); }
            catch (IOException) { /* it turned itself off (target gone) between the read and the write */ }
        }
        var started = DateTime.UtcNow;
        while (true)
        {
            try
            {
                if (Sysfs.Read($"{Kdamonds}/nr_kdamonds") != "0")
                    File.WriteAllText($"{Kdamonds}/nr_kdamonds", "0");
                if (RunningThreads().Count == 0) return on;
            }
            catch (IOException) when (DateTime.UtcNow - started < OffBound)
            {
                // EBUSY: a kdamond is still exiting (the kernel refuses nr_kdamonds while one runs).
            }
            if (DateTime.UtcNow - started >= OffBound)
                throw new InvalidOperationException($"the DAMON admin tree still has nr_kdamonds {Sysfs.Read($"{Kdamonds}/nr_kdamonds")}, "
                    + $"threads [{string.Join(", ", RunningThreads())}] {OffBound.TotalSeconds} s after 'off'");
            Thread.Sleep(200);
        }
    }

    /// <summary>
    /// Null when no kdamond runs (a stopped tree left by an earlier case is removed first); otherwise what runs: a
    /// case must not share the kernel's DAMON with a kdamond it did not start.
    /// </summary>
    public static string? CleanStart()
    {
        GuestOnly();
        var on = On();
        var threads = RunningThreads();
        if (on.Count > 0 || threads.Count > 0)
            return $"a kdamond left running by an earlier case: kdamonds on [{string.Join(", ", on)}], threads [{string.Join(", ", threads)}]";
        Reset();
        return Sysfs.Read($"{Kdamonds}/nr_kdamonds") == "0" ? null : "nr_kdamonds is not 0 after the reset";
    }

    private static void GuestOnly()
    {
        if (!File.ReadAllText("/proc/cmdline").Split(' ', '\n').Contains(GuestContext.MarkerWord))
            throw new InvalidOperationException("KdamondsReset writes DAMON sysfs and runs only in the test-bed guest");
    }
}
