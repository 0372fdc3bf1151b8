using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Rng;

namespace Damon.Tiering.Thp;

/// <summary>[<see cref="StartNs"/>, <see cref="EndNs"/>) of simulated time in which a reader reads.</summary>
public readonly record struct ThpWindow(ulong StartNs, ulong EndNs);

/// <summary>
/// Runs a <see cref="ThpReaderSpec"/>. Between windows the thread waits: the simulator has no
/// sleep, so it writes one page of its own 4 KiB mapping (not a THP, outside the measured data) per
/// <see cref="WaitStepNs"/> of CPU, and counts those accesses in <see cref="NrWaitAccesses"/> and
/// their whole thread time — the CPU step and the write's memory time, TLB walk and first-touch
/// fault included — in <see cref="WaitNsAt"/>, so the bench can leave them out of its time per
/// access. After its last window the thread finishes.
/// </summary>
public sealed class ThpReaderWorkload(ThpReaderSpec spec) : IWorkload
{
    /// <summary>One waiting access per simulated millisecond: ~1,000 accesses a second to one page.</summary>
    public const ulong WaitStepNs = 1_000_000;

    private ulong _base, _waitPage, _nextInit, _rng;
    /// <summary>Thread time at which the wait batch whose end is not known yet began.</summary>
    private ulong? _waitSinceNs;

    public ThpReaderSpec Spec { get; } = spec;
    public string Name => ThpReaderSpec.Name;
    public int Pid { get; private set; }
    /// <summary>Thread time of the wait batches that have ended (the thread asked for its next batch).</summary>
    public ulong WaitNs { get; private set; }
    public ulong NrWaitAccesses { get; private set; }

    /// <summary>
    /// Thread time spent waiting, <paramref name="threadClockNs"/> (the thread's clock now) closing
    /// a wait batch still open. A batch's cost is known only once the machine has run it: the
    /// reader has one thread, so the batch ends where the thread's next batch (or its clock) starts.
    /// </summary>
    public ulong WaitNsAt(ulong threadClockNs) => WaitNs + (_waitSinceNs is { } s ? threadClockNs - s : 0);

    public void Setup(IWorkloadHost host)
    {
        Pid = host.CreateProcess(ThpReaderSpec.Name);
        host.CreateThread(Pid, Spec.Cpu);
        _base = host.Mmap(Pid, Spec.SizeBytes, Spec.MadviseHugepage ? MapFlags.Thp : MapFlags.Anon);
        _waitPage = host.Mmap(Pid, PageSizes.PageSize);
        // The pid is mixed in so that two readers of a scenario do not walk their pages in
        // lockstep; | 1 because xorshift's state must not be 0.
        _rng = SplitMix64.Derive(host.Seed, (ulong)Pid) | 1;
    }

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
    {
        if (_waitSinceNs is { } since)
        {
            WaitNs += nowNs - since;
            _waitSinceNs = null;
        }
        ulong nrTouched = Spec.NrTouchedPages, every = Spec.TouchEveryPages;
        int n = 0;
        computeNs = 0;
        while (n < batch.Length && _nextInit < nrTouched)
            batch[n++] = new MemAccess(_base + _nextInit++ * every * PageSizes.PageSize, true);
        if (n > 0)
        {
            computeNs = (ulong)n * Spec.ComputeNsPerAccess;
            return n;
        }
        ulong? waitUntil = null;
        foreach (var w in Spec.Active)
        {
            if (nowNs >= w.EndNs) continue;
            if (nowNs < w.StartNs) { waitUntil = w.StartNs; break; }
            waitUntil = 0;
            break;
        }
        if (waitUntil is null)
            return 0;
        if (waitUntil > 0)
        {
            batch[0] = new MemAccess(_waitPage, true);
            computeNs = Math.Min(WaitStepNs, waitUntil.Value - nowNs);
            _waitSinceNs = nowNs;
            NrWaitAccesses++;
            return 1;
        }
        for (; n < batch.Length; n++)
        {
            ulong r = Next(ref _rng);
            ulong page = r % nrTouched;
            ulong line = (r >> 40) & 63;
            batch[n] = new MemAccess(_base + page * every * PageSizes.PageSize + line * 64, false);
        }
        computeNs = (ulong)n * Spec.ComputeNsPerAccess;
        return n;
    }

    private static ulong Next(ref ulong x)
    {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    }
}
