using System.Globalization;
using System.Text;
using Damon.Config.Schema;
using Damon.Host;
using Damon.Host.Snapshots;
using Damon.Linux.Backend;
using Damon.Linux.Sysfs;

namespace Damon.Cli.Linux;

/// <summary>
/// `damon start --mode user`: the kernel monitors, Damon's engine runs the schemes, so the
/// kdamonds live only as long as this process. It runs in the foreground until Ctrl+C, SIGTERM,
/// --timeout or the monitored processes' exit, printing one status line per
/// <see cref="StatusEvery"/> of run time, and turns the kdamonds off before it returns.
/// </summary>
internal static class UserModeRun
{
    public static readonly TimeSpan StatusEvery = TimeSpan.FromSeconds(5);

    public static int Run(ISysfsTree tree, LinuxMachine machine, KdamondsSpec? spec, ContextRequest? module, ulong? timeoutUs,
        TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        using var backend = new LinuxBackend(new LinuxBackendOptions
        {
            Mode = LinuxBackendMode.User, Tree = tree, Layout = machine.Layout, Notices = stderr,
        });
        var places = module is not null ? backend.Start([module], exclusive: true) : backend.Start(spec!);
        var regions = new Dictionary<BackendContext, int>();
        backend.Aggregated += s => regions[s.Context] = s.Targets.Sum(t => t.Regions.Count);
        stdout.Write(string.Create(CultureInfo.InvariantCulture,
            $"started {places.Count} context(s) in user mode ({string.Join(", ", places.Select(p => p.Label))}); "
            + $"Damon runs the schemes until {(timeoutUs is ulong t ? $"{t / 1e6:0.###} s, " : "")}Ctrl+C or SIGTERM\n"));
        ulong nextUs = (ulong)StatusEvery.TotalMicroseconds;
        backend.SliceEnded += slice =>
        {
            if (slice.NowUs < nextUs)
                return;
            nextUs = slice.NowUs + (ulong)StatusEvery.TotalMicroseconds;
            stdout.Write(StatusLine(backend.Status(triedRegions: false, cancel), places, regions, slice.NowUs));
        };
        // From Ctrl+C on, turning the kdamonds off is pending: the forced exit waits for it, so no
        // kdamond is left monitoring for a process that is gone.
        IDisposable? stopping = null;
        RunEnd end;
        using (cancel.Register(() => Volatile.Write(ref stopping, PendingSaves.Enter())))
            end = backend.Run(timeoutUs is ulong limit ? RunLimit.ForUs(limit) : RunLimit.UntilStopped, cancel);
        string final;
        try
        {
            final = StatusLine(backend.Status(triedRegions: false, CancellationToken.None), places, regions, end.EndUs);
        }
        finally
        {
            backend.Stop();
            Volatile.Read(ref stopping)?.Dispose();
        }
        stdout.Write(final);
        string why = end.Reason switch
        {
            RunEndReason.TargetsGone => "the monitored processes exited",
            RunEndReason.Cancelled => "interrupted",
            _ => "timeout reached",
        };
        stdout.Write(string.Create(CultureInfo.InvariantCulture, $"stopped after {end.EndUs / 1e6:0.0} s: {why}; kdamonds off\n"));
        return end.Reason == RunEndReason.Cancelled ? ExitCodes.Interrupted : ExitCodes.Ok;
    }

    private static string Sz(ulong? bytes) => Damon.Records.Text.DamoFormat.Sz(bytes ?? 0, false);

    /// <summary>
    /// "t=10.0 s: damon_tier (paddr): 37 regions; migrate_hot tried 40 (1.2 GiB) applied 12 (48.000 MiB), migrate_cold tried 0 (0 B) applied 0 (0 B)".
    /// </summary>
    private static string StatusLine(KdamondsSpec status, IReadOnlyList<BackendContext> places, Dictionary<BackendContext, int> regions, ulong nowUs)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var contexts = status.Kdamonds.SelectMany(k => k.Contexts).ToList();
        for (int i = 0; i < places.Count; i++)
        {
            var p = places[i];
            sb.Append(inv, $"t={nowUs / 1e6:0.0} s: {p.Label}: {regions.GetValueOrDefault(p)} regions");
            if (i < contexts.Count)
            {
                var schemes = contexts[i].Schemes.Select(s => string.Create(inv,
                    $"{s.Action} tried {s.Stats?.NrTried ?? 0} ({Sz(s.Stats?.SzTried)}) applied {s.Stats?.NrApplied ?? 0} ({Sz(s.Stats?.SzApplied)})"));
                string joined = string.Join(", ", schemes);
                if (joined.Length > 0)
                    sb.Append("; ").Append(joined);
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
