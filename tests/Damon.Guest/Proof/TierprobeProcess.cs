using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Damon.Guest.Proof;

/// <summary>
/// A running tierprobe (tools/testbed/workloads/tierprobe.c, on the guest's PATH from the test bed's bin share, or
/// $TIERPROBE): started, its header line read (pid, hot range, placement), then its samples read one by one.
/// Disposing kills it if it is still running.
/// </summary>
public sealed class TierprobeProcess : IDisposable
{
    private readonly Process _p;
    // Its output is drained as it comes, read or not: a probe blocked on a full pipe would stop touching its pages.
    private readonly BlockingCollection<TierprobeSample> _samples = [];
    private readonly Task _drain;

    private TierprobeProcess(Process p, Dictionary<string, string> header)
    {
        _p = p;
        _drain = Task.Run(() =>
        {
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null)
                if (TierprobeSample.TryParse(line) is { } s) _samples.Add(s);
            _samples.CompleteAdding();
        });
        _ = p.StandardError.ReadToEndAsync();
        Header = header;
        Pid = int.Parse(header["pid"], CultureInfo.InvariantCulture);
        string[] hot = header["hot"].Split('-');
        HotStart = Convert.ToUInt64(hot[0], 16);
        HotEnd = Convert.ToUInt64(hot[1], 16);
        Base = Convert.ToUInt64(header["base"], 16);
        End = Convert.ToUInt64(header["end"], 16);
        TotalPages = long.Parse(header["total_pages"], CultureInfo.InvariantCulture);
        Placed = long.Parse(header["placed"], CultureInfo.InvariantCulture);
    }

    public Dictionary<string, string> Header { get; }
    public int Pid { get; }
    public ulong Base { get; }
    public ulong End { get; }
    public ulong HotStart { get; }
    public ulong HotEnd { get; }
    public long TotalPages { get; }
    /// <summary>Pages on the start node after its move_pages placement.</summary>
    public long Placed { get; }
    public bool HasExited => _p.HasExited;

    /// <summary>The probe binary: $TIERPROBE, else the first tierprobe on PATH; null when there is none.</summary>
    public static string? Find()
    {
        string? env = Environment.GetEnvironmentVariable("TIERPROBE");
        if (!string.IsNullOrEmpty(env)) return File.Exists(env) ? env : null;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string p = Path.Combine(dir, "tierprobe");
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>Starts the probe and waits for its header (placement done); throws with the probe's own words if it fails.</summary>
    public static TierprobeProcess Start(string exe, string args)
    {
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {exe}");
        string? line;
        while ((line = p.StandardOutput.ReadLine()) is not null)
        {
            if (line.StartsWith("tierprobe pid=", StringComparison.Ordinal))
                return new TierprobeProcess(p, TierprobeSample.Fields(line));
        }
        p.WaitForExit();
        throw new InvalidOperationException($"tierprobe {args} exited {p.ExitCode} before placing its pages: {p.StandardError.ReadToEnd().Trim()}");
    }

    /// <summary>The next sample, or null when the probe has ended (its duration is over or it was killed).</summary>
    public TierprobeSample? Next() => _samples.TryTake(out var s, Timeout.Infinite) ? s : null;

    /// <summary>
    /// Reads samples until <see cref="HotBeforeCold.Judge"/> decides or the probe ends; the verdict, or a failure
    /// naming the last sample when neither threshold was crossed.
    /// </summary>
    public (bool Passed, string Why) JudgeHotBeforeCold()
    {
        TierprobeSample? last = null;
        while (Next() is { } s)
        {
            last = s;
            if (HotBeforeCold.Judge(s) is { } verdict) return verdict;
        }
        return (false, last is { } l ? $"the hot set never reached 90 % on node0; last sample {l}" : "tierprobe printed no sample");
    }

    public void Kill()
    {
        if (!_p.HasExited) _p.Kill();
        _p.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _drain.Wait(TimeSpan.FromSeconds(10));
        _p.Dispose();
        _samples.Dispose();
    }
}
