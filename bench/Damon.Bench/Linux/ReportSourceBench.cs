using BenchmarkDotNet.Attributes;
using Damon.Core.Sampling;
using Damon.Linux.Reports;
using Damon.Linux.Syscalls;

namespace Damon.Bench.Linux;

/// <summary>
/// What a reported write costs the Linux report sources (docs/access-reports-linux.md), on this
/// process's own anonymous memory: the synchronous userfaultfd source's fault round trip (1,024
/// writes, each stopping until the handler un-protects its page; per write = mean / 1,024) and the
/// asynchronous source's PAGEMAP_SCAN of 64 MiB after a quarter of its pages were written (per page
/// scanned = mean / 16,384; the writes are in the measurement, as they are in every round a user runs).
/// A kernel without the feature throws at setup with the capability probe's reason.
/// </summary>
[MemoryDiagnoser]
public class ReportSourceBench
{
    private const ulong Page = 4096;
    public const int NrSyncWrites = 1024;
    public const ulong NrScanPages = 16384;

    private sealed class CountingSink : IAccessReportSink
    {
        public long Nr;
        public void Report(in DamonAccessReport report) => Interlocked.Increment(ref Nr);
    }

    private readonly CountingSink _sink = new();
    private AnonymousMapping _syncMap = null!, _asyncMap = null!;
    private UffdWpSyncSource _sync = null!;
    private UffdWpAsyncSource _async = null!;

    [GlobalSetup]
    public void Setup()
    {
        var caps = UffdCapabilities.Probe();
        if (!caps.Sync.Available) throw new InvalidOperationException($"damon: {caps.Sync}");
        if (!caps.Async.Available) throw new InvalidOperationException($"damon: {caps.Async}");
        _syncMap = new AnonymousMapping(NrSyncWrites * Page);
        _syncMap.Touch();
        _sync = UffdWpSyncSource.ForThisProcess(_sink);
        _sync.Add(_syncMap.Address, _syncMap.End);
        _asyncMap = new AnonymousMapping(NrScanPages * Page);
        _asyncMap.Touch();
        _async = UffdWpAsyncSource.ForThisProcess();
        _async.Add(_asyncMap.Address, _asyncMap.End);
    }

    [Benchmark]
    public long SyncWriteFaults()
    {
        _sync.ProtectAll();
        // libc stores, not managed ones: a managed thread stopped in a fault can deadlock the GC (docs/access-reports-linux.md).
        var writer = new Thread(() =>
        {
            for (ulong p = 0; p < NrSyncWrites; p++) LinuxThreads.NativeStore(_syncMap.Address + p * Page, 1);
        });
        writer.Start();
        writer.Join();
        return _sink.Nr;
    }

    [Benchmark]
    public int AsyncScanAQuarterWritten()
    {
        for (ulong p = 0; p < NrScanPages; p += 4) _asyncMap.Touch(p * Page, Page);
        return _async.Scan(_sink);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sync.Dispose();
        _async.Dispose();
        _syncMap.Dispose();
        _asyncMap.Dispose();
    }
}
