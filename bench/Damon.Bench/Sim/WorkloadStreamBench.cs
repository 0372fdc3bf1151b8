using BenchmarkDotNet.Attributes;
using Damon.Sim.Traces;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Gups;

namespace Damon.Bench.Sim;

/// <summary>
/// How fast workloads produce accesses, without a machine behind them: GUPS generation (issue 4
/// asks the whole GUPS path to reach ≥ 100 M accesses/s, so generation must be well above) and
/// decoding of a pre-converted binary trace (target ≥ 20 M accesses/s). Per access.
/// </summary>
public class WorkloadStreamBench
{
    private const int BatchSize = 4096;
    private const int BatchesPerInvoke = 64;
    private readonly MemAccess[] _batch = new MemAccess[BatchSize];
    private GupsWorkload _gups = null!;
    private StubHost _host = null!;
    private string _tracePath = "";
    private TraceReplayWorkload? _replay;
    private StubHost _replayHost = null!;

    private sealed class StubHost : IWorkloadHost
    {
        private ulong _next = 0x7f00_0000_0000UL;
        private int _tids;
        public ulong Seed => 1;
        public int CreateProcess(string name, ulong memcgId = 0) => 0;
        public int CreateThread(int pid, int cpu) => _tids++;
        public ulong Mmap(int pid, ulong sizeBytes, MapFlags flags = MapFlags.Anon, MemPolicy? policy = null)
        {
            _next = (_next - sizeBytes) & ~((2UL << 20) - 1);
            return _next;
        }
        public ulong Brk(int pid, ulong growBytes) => 0x5555_5555_4000UL;
        public void Munmap(int pid, ulong addr, ulong sizeBytes) { }
    }

    [GlobalSetup]
    public void Setup()
    {
        _host = new StubHost();
        _gups = new GupsWorkload(new GupsOptions { SizeBytes = 1UL << 30, HotBytes = 1UL << 20, Populate = false, DurationNs = 0 });
        _gups.Setup(_host);

        _tracePath = Path.Combine(Path.GetTempPath(), $"damon-bench-{Environment.ProcessId}.dtrace");
        var recHost = new StubHost();
        using (var rec = new TraceRecorder(new GupsWorkload(new GupsOptions
        {
            SizeBytes = 1UL << 30, HotBytes = 100UL << 20, Populate = false, DurationNs = 0, UpdatesPerThread = 4_000_000,
        }), _tracePath))
        {
            rec.Setup(recHost);
            while (rec.NextBatch(recHost, 0, 0, _batch, out _) > 0) { }
        }
    }

    private void OpenReplay()
    {
        _replay?.Dispose();
        _replayHost = new StubHost();
        _replay = new TraceReplayWorkload(_tracePath);
        _replay.Setup(_replayHost);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _replay?.Dispose();
        File.Delete(_tracePath);
    }

    [Benchmark(OperationsPerInvoke = BatchSize * BatchesPerInvoke)]
    public int GupsGeneration()
    {
        int n = 0;
        for (int b = 0; b < BatchesPerInvoke; b++) n += _gups.NextBatch(_host, 0, 0, _batch, out _);
        return n;
    }

    // The 8 M-access trace is reopened when it runs out (about every 30 invocations; the reopen
    // reads one small setup block, noise next to 256 K decoded accesses).
    [Benchmark(OperationsPerInvoke = BatchSize * BatchesPerInvoke)]
    public int TraceReplay()
    {
        int n = 0;
        for (int b = 0; b < BatchesPerInvoke; b++)
        {
            int k = _replay?.NextBatch(_replayHost, 0, 0, _batch, out _) ?? 0;
            if (k == 0)
            {
                OpenReplay();
                k = _replay!.NextBatch(_replayHost, 0, 0, _batch, out _);
            }
            n += k;
        }
        return n;
    }
}
