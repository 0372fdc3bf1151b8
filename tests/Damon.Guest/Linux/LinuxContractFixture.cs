using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Damon.Host.Contract;
using Damon.Linux.Backend;
using Damon.Linux.Metrics;
using Damon.Linux.Sysfs;

namespace Damon.Guest.Linux;

/// <summary>
/// The host contract's test bed on the guest's real kernel: the hot/cold workload is the test
/// bed's static <c>hotcold</c> (on PATH from /mnt/bin), started as a child process and killed when
/// the backend is disposed (or after <see cref="HotColdWorkload.LifetimeUs"/>); the backend is a
/// <see cref="LinuxBackend"/> in the fixture's mode on the guest's own DAMON sysfs (writable only
/// in the marked guest). The machine's memory is the nodes' MemTotal.
/// </summary>
public sealed partial class LinuxContractFixture(LinuxBackendMode mode) : IContractFixture
{
    public string Name => $"linux-{(mode == LinuxBackendMode.Kernel ? "kernel" : "user")}";

    // A snapshot round (the update_schemes_tried_regions write, which 6.12 answers on a 100 ms
    // polling step and 6.14+ right after the apply, then the region reads and the event) took
    // 70-250 ms in the TCG guest on an idle 2-core host (up to ~870 ms at load 40). A snapshot's
    // time is taken after its reads, so two snapshots' gap strays from the aggregation interval by
    // the difference of their rounds: 400 ms covers the idle CI machine with room.
    public ulong TimeSlackUs => 400_000UL;

    // One round must fit inside an aggregation, or no backend can report every aggregation: 1 s
    // aggregations (with 50 ms samples: 20 per window, as the simulator's 5 ms / 100 ms).
    public ContractIntervals Intervals { get; } = new(50_000, 1_000_000);

    public int MaxEventsAfterStop => 1;

    [GeneratedRegex(@"hotcold pid=(\d+) base=0x([0-9a-f]+) end=0x([0-9a-f]+) hot=0x([0-9a-f]+)-0x([0-9a-f]+)")]
    private static partial Regex Banner();

    public ContractTarget Start(HotColdWorkload w)
    {
        const ulong MiB = 1 << 20;
        var psi = new ProcessStartInfo("hotcold")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { w.SizeBytes / MiB, w.HotBytes / MiB, 0UL })
            psi.ArgumentList.Add(a.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add(w.StartNode.ToString(CultureInfo.InvariantCulture));
        var proc = Process.Start(psi) ?? throw new InvalidOperationException("hotcold did not start");
        string line = proc.StandardOutput.ReadLine() ?? throw new InvalidOperationException("hotcold printed nothing");
        var m = Banner().Match(line);
        if (!m.Success)
            throw new InvalidOperationException($"hotcold's banner is '{line}'");
        ulong Hex(int g) => ulong.Parse(m.Groups[g].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var backend = new LinuxBackend(new LinuxBackendOptions { Mode = mode, Tree = SysfsRoot.Open(null) });
        ulong total = new LinuxMetrics().Nodes().Aggregate(0UL, (a, n) => a + n.TotalBytes);
        return new WorkloadTarget(backend, proc, w.LifetimeUs, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            Hex(2), Hex(3), Hex(4), Hex(5), total).Target;
    }

    private static void Kill(Process p)
    {
        try
        {
            if (!p.HasExited)
            {
                p.Kill();
                p.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
        }
    }

    /// <summary>The contract target, with the workload killed when the backend is disposed.</summary>
    private sealed class WorkloadTarget
    {
        public WorkloadTarget(LinuxBackend backend, Process proc, ulong? lifetimeUs, int pid, ulong start, ulong end, ulong hotStart, ulong hotEnd, ulong total)
        {
            Target = new ContractTarget(new KillOnDispose(backend, proc, lifetimeUs), pid, start, end, hotStart, hotEnd, total);
        }

        public ContractTarget Target { get; }
    }

    /// <summary>
    /// The backend as the cases see it; disposing it also ends the workload process. A lifetime is
    /// counted from the first Start: counted from the process's start, a slow guest (the backend's
    /// setup, the vaddr settle) let it end before the kdamond was on, and 7.x refused the gone
    /// pid's "on" with EINVAL.
    /// </summary>
    private sealed class KillOnDispose(LinuxBackend inner, Process proc, ulong? lifetimeUs) : Damon.Host.IDamonBackend
    {
        private bool _lifetimeStarted;

        private T StartingLifetime<T>(T started)
        {
            if (lifetimeUs is ulong us && !_lifetimeStarted)
            {
                _lifetimeStarted = true;
                _ = Task.Delay(TimeSpan.FromMicroseconds(us)).ContinueWith(_ => Kill(proc), TaskScheduler.Default);
            }
            return started;
        }

        public string Name => inner.Name;
        public Damon.Host.BackendCapabilities Capabilities => inner.Capabilities;
        public ulong NowUs => inner.NowUs;
        public IReadOnlyList<Damon.Host.BackendContext> Contexts => inner.Contexts;
        public Damon.Host.Engine.IEngineHost? EngineHost => inner.EngineHost;

        public event Action<Damon.Host.Snapshots.AggregationSnapshot>? Aggregated
        {
            add => inner.Aggregated += value;
            remove => inner.Aggregated -= value;
        }

        public event Action<Damon.Host.RunSlice>? SliceEnded
        {
            add => inner.SliceEnded += value;
            remove => inner.SliceEnded -= value;
        }

        public IReadOnlyList<Damon.Host.BackendContext> Start(Damon.Config.Schema.KdamondsSpec spec, Damon.Config.Engine.IMemcgResolver? memcgs = null) =>
            StartingLifetime(inner.Start(spec, memcgs));

        public IReadOnlyList<Damon.Host.BackendContext> Start(IReadOnlyList<Damon.Host.ContextRequest> contexts, bool exclusive) =>
            StartingLifetime(inner.Start(contexts, exclusive));

        public Damon.Host.RunEnd Run(Damon.Host.RunLimit limit, CancellationToken cancel) => inner.Run(limit, cancel);
        public Task Commit(Damon.Config.Schema.KdamondsSpec spec, Damon.Config.Engine.IMemcgResolver? memcgs = null) => inner.Commit(spec, memcgs);
        public void Stop() => inner.Stop();
        public Damon.Config.Schema.KdamondsSpec Status(bool triedRegions, CancellationToken cancel) => inner.Status(triedRegions, cancel);
        public Damon.Host.Metrics.NodeMetrics Nodes() => inner.Nodes();
        public Damon.Host.Metrics.ProcessNodeUsage? ProcessUsage(int pid) => inner.ProcessUsage(pid);

        public void Dispose()
        {
            inner.Dispose();
            Kill(proc);
            proc.Dispose();
        }
    }
}
