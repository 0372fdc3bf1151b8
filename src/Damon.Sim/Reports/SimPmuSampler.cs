using Damon.Core.Monitoring;
using Damon.Core.Sampling;
using Damon.Core.Util;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;

namespace Damon.Sim.Reports;

/// <summary>What a <see cref="SimPmuSampler"/>'s period counts.</summary>
public enum PmuPeriodUnit
{
    /// <summary>One sample every N memory accesses of a thread (IBS op sampling, PEBS by event count).</summary>
    Accesses,
    /// <summary>One sample every N CPU cycles of a thread's simulated time (IBS fetch / cycle-based sampling).</summary>
    Cycles,
}

/// <summary>
/// A PMU-like sampler: reports one of every <see cref="Period"/> accesses — or the access running
/// when every <see cref="Period"/> cycles of a thread's simulated time have passed — with its
/// virtual and physical address, CPU, tid, pid and write flag, to every added context (like perf
/// IBS / PEBS load-latency samples handed to damon_report_access). Counting is per thread; with a
/// seed each thread's first sample falls at a random point of its first period (the hardware
/// randomises the low period bits), without one at its end. Deterministic either way.
/// </summary>
public sealed class SimPmuSampler
{
    private readonly SimMachine _machine;
    private readonly DamonRandom? _random;
    private readonly Dictionary<SimThread, ulong> _next = [];
    private readonly List<DamonContext> _contexts = [];
    private readonly ulong _periodNs;

    /// <param name="period">Accesses or cycles between two samples of one thread; at least 1.</param>
    /// <param name="cpuGhz">Clock rate turning cycles into simulated nanoseconds (<see cref="PmuPeriodUnit.Cycles"/>).</param>
    /// <param name="sampleCostNs">Simulated time one sample costs the sampled thread (the PMU interrupt).</param>
    public SimPmuSampler(SimMachine machine, ulong period, PmuPeriodUnit unit = PmuPeriodUnit.Accesses,
        double cpuGhz = 2.0, ulong? seed = null, ulong sampleCostNs = 0)
    {
        if (period == 0)
            throw new ArgumentOutOfRangeException(nameof(period), "a PMU sample period must be at least 1");
        if (unit == PmuPeriodUnit.Cycles && !(cpuGhz > 0))
            throw new ArgumentOutOfRangeException(nameof(cpuGhz), "the CPU clock must be positive");
        _machine = machine;
        Period = period;
        Unit = unit;
        SampleCostNs = sampleCostNs;
        _random = seed is { } s ? new DamonRandom(s) : null;
        _periodNs = unit == PmuPeriodUnit.Cycles ? Math.Max(1, (ulong)Math.Round(period / cpuGhz)) : 0;
    }

    public ulong Period { get; }
    public PmuPeriodUnit Unit { get; }
    public ulong SampleCostNs { get; }
    public ulong NrSamples { get; private set; }

    /// <summary>Report samples to <paramref name="ctx"/> too.</summary>
    public void AddContext(DamonContext ctx)
    {
        if (!_contexts.Contains(ctx))
            _contexts.Add(ctx);
    }

    /// <summary>Called by the machine after it ran a batch of <paramref name="th"/>'s accesses.</summary>
    internal void OnBatch(SimThread th, ReadOnlySpan<MemAccess> batch, ulong clockBeforeNs)
    {
        if (batch.Length == 0)
            return;
        if (Unit == PmuPeriodUnit.Accesses)
            SampleByCount(th, batch);
        else
            SampleByTime(th, batch, clockBeforeNs);
    }

    private ulong FirstOffset(ulong span) => _random is null ? span : 1 + _random.Next(0, span);

    /// <summary>_next holds how many more accesses until the thread's next sample (1 = the next one).</summary>
    private void SampleByCount(SimThread th, ReadOnlySpan<MemAccess> batch)
    {
        if (!_next.TryGetValue(th, out ulong left))
            left = FirstOffset(Period);
        ulong n = (ulong)batch.Length, pos = 0;
        while (left <= n - pos)
        {
            pos += left;
            Sample(th, batch[(int)(pos - 1)]);
            left = Period;
        }
        _next[th] = left - (n - pos);
    }

    /// <summary>
    /// _next holds the thread time of its next sample. The batch's accesses are taken as evenly
    /// spread over the time the batch ran, so a sample time names one of them.
    /// </summary>
    private void SampleByTime(SimThread th, ReadOnlySpan<MemAccess> batch, ulong beforeNs)
    {
        ulong afterNs = th.ClockNs;
        if (!_next.TryGetValue(th, out ulong nextNs))
            nextNs = beforeNs + FirstOffset(_periodNs) - 1;
        ulong spanNs = Math.Max(afterNs - beforeNs, 1);
        while (nextNs < afterNs)
        {
            ulong at = nextNs < beforeNs ? 0 : (ulong)((UInt128)(nextNs - beforeNs) * (ulong)batch.Length / spanNs);
            Sample(th, batch[(int)Math.Min(at, (ulong)batch.Length - 1)]);
            nextNs += _periodNs;
        }
        _next[th] = nextNs;
    }

    private void Sample(SimThread th, in MemAccess acc)
    {
        NrSamples++;
        ulong paddr = 0;
        if (_machine.TryTranslate(th.Process.Pid, acc.Addr, out uint frame))
            paddr = ((ulong)frame << PageSizes.PageShift) | (acc.Addr & (PageSizes.PageSize - 1));
        var report = new DamonAccessReport(Paddr: paddr, Vaddr: acc.Addr, Size: 1, Cpu: th.Cpu, Tid: th.Tid, IsWrite: acc.Write, Pid: th.Process.Pid);
        foreach (var ctx in _contexts)
            DamonReports.ReportAccess(ctx, report);
        if (SampleCostNs != 0)
        {
            th.StallNs += SampleCostNs;
            th.ClockNs += SampleCostNs;
        }
    }
}
