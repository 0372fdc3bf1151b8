using Damon.Config.Engine;
using Damon.Config.Schema;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Host;
using Damon.Host.Snapshots;
using Damon.Linux.Backend;
using Damon.Linux.Sysfs;
using Damon.Modules.Config;
using Damon.Modules.Tier;

namespace Damon.Guest.Proof;

/// <summary>
/// Damon on the guest's real kernel through the Linux backend (src/Damon.Linux), started as the CLI would start it,
/// over the default DAMON sysfs root (writable only in the marked guest) unless a root is given: TIER (the module's
/// staged context, damon_tier_apply_parameters on /proc/iomem's biggest System RAM, started exclusively) or plain
/// vaddr monitoring of pids. Kernel mode: the kernel runs the schemes; user mode: the kernel monitors and Damon runs
/// the schemes, acting with move_pages. The backend's run loop runs on a thread of its own until <see cref="Stop"/>.
/// </summary>
public sealed class DamonRun : IDisposable
{
    private readonly LinuxBackend _backend;
    private readonly Thread _thread;
    private readonly StringWriter _notices;
    private readonly Lock _lock = new();
    private AggregationSnapshot? _last;
    private int _nrAggregations;
    private bool _stopped;

    private DamonRun(LinuxBackend backend, StringWriter notices)
    {
        _backend = backend;
        _notices = notices;
        _thread = new Thread(RunLoop) { IsBackground = true, Name = "damon-run" };
        backend.Aggregated += s => { lock (_lock) { _last = s; _nrAggregations++; } };
    }

    public LinuxBackend Backend => _backend;
    public Exception? Failure { get; private set; }
    public RunEnd? End { get; private set; }
    public int NrAggregations { get { lock (_lock) return _nrAggregations; } }
    /// <summary>The last aggregation the backend reported: the kernel's regions as Damon sees them.</summary>
    public AggregationSnapshot? Last { get { lock (_lock) return _last; } }
    /// <summary>The backend's one-line notices (dropped targets, move_pages failures by errno); read after <see cref="Stop"/>.</summary>
    public string Notices => _notices.ToString();

    /// <summary>Starts TIER with the parameters of <paramref name="paramsFile"/>; throws the backend's one-line refusal.</summary>
    public static DamonRun Tier(LinuxBackendMode mode, string paramsFile, string? sysfsRoot = null)
    {
        var p = ModuleParamsFile.Read(paramsFile, TierParams.Default);
        var layout = new ProcIomemLayout();
        var staged = new TierModule(p, layout).BuildParamContext(new StagingOps());
        return Start(mode, sysfsRoot, layout,
            b => b.Start([new ContextRequest(new EngineContext(OperationsId.Paddr, staged), TierParams.ModuleName)], exclusive: true));
    }

    /// <summary>
    /// One vaddr context monitoring <paramref name="pids"/> (damo's default intervals and region counts) with one
    /// 'stat' scheme of damo's default access pattern (every region), so that in user mode Damon's own DAMOS visits
    /// every target each aggregation (and notices one whose process is gone).
    /// </summary>
    public static DamonRun Vaddr(LinuxBackendMode mode, params int[] pids) => Vaddr(mode, new SchemeSpec { Action = "stat" }, pids);

    /// <summary>One vaddr context monitoring <paramref name="pids"/> with <paramref name="scheme"/>.</summary>
    public static DamonRun Vaddr(LinuxBackendMode mode, SchemeSpec scheme, params int[] pids) =>
        Start(mode, null, new ProcIomemLayout(), b => b.Start(new KdamondsSpec
        {
            Kdamonds = [new KdamondSpec { Contexts = [new ContextSpec
            {
                Ops = "vaddr", Targets = [.. pids.Select(p => new TargetSpec { Pid = p })], Schemes = [scheme],
            }] }],
        }));

    private static DamonRun Start(LinuxBackendMode mode, string? sysfsRoot, ProcIomemLayout layout, Action<LinuxBackend> start)
    {
        var notices = new StringWriter();
        var backend = new LinuxBackend(new LinuxBackendOptions
        {
            Mode = mode, Tree = SysfsRoot.Open(sysfsRoot), Layout = layout, Notices = TextWriter.Synchronized(notices),
        });
        try
        {
            var run = new DamonRun(backend, notices);
            start(backend);
            run._thread.Start();
            return run;
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }

    private void RunLoop()
    {
        try
        {
            End = _backend.Run(RunLimit.UntilStopped, CancellationToken.None);
        }
        catch (Exception e)
        {
            Failure = e;
        }
    }

    /// <summary>Stops the kdamond (the kernel's state off) and waits for the run loop.</summary>
    public void Stop()
    {
        if (_stopped) return;
        _stopped = true;
        _backend.Stop();
        _thread.Join(TimeSpan.FromSeconds(60));
    }

    public void Dispose()
    {
        Stop();
        _backend.Dispose();
    }

    /// <summary>The paddr operations the module's staging checks for; the backend runs the real ones.</summary>
    private sealed class StagingOps : DamonOperations
    {
        public override OperationsId Id => OperationsId.Paddr;
        public override OpsCallbacks Callbacks => OpsCallbacks.None;
    }
}
