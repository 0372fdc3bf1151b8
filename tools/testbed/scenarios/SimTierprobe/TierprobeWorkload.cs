using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;

namespace Damon.Testbed.SimTierprobe;

/// <summary>
/// tierprobe.c on the simulated machine: one anonymous mapping of base pages, every page written
/// once and then moved to <see cref="StartNode"/> (tierprobe's first touch + move_pages), done
/// during Setup by a thread of its own that then finishes, so the probe's thread starts at t=0 with
/// everything placed. The probe's thread writes every hot page in address order, over and over, and
/// every <see cref="ColdPeriodNs"/> (0: never) writes every cold page once. With clearRefs (tierprobe -r, its
/// `echo 1 > /proc/self/clear_refs`) every page's accessed bits are cleared after the placement.
/// </summary>
public sealed class TierprobeWorkload(ulong totalBytes, ulong hotOffsetBytes, ulong hotBytes, int startNode, ulong coldPeriodNs, ulong cpuNsPerAccess,
    bool clearRefs = false)
    : IWorkload
{
    private const ulong Page = PageSizes.PageSize;
    private int _setupTid = -1, _probeTid = -1;
    private ulong _hotCursor, _coldCursor, _nextColdNs;
    private bool _coldPass;

    public string Name => $"tierprobe({totalBytes >> 20}MiB,hot {hotBytes >> 20}MiB@{hotOffsetBytes >> 20}MiB)";
    public int StartNode => startNode;
    public ulong ColdPeriodNs => coldPeriodNs;
    public int Pid { get; private set; }
    public ulong Base { get; private set; }
    public ulong HotStart => Base + hotOffsetBytes;
    public ulong HotEnd => HotStart + hotBytes;
    public ulong End => Base + totalBytes;
    /// <summary>Pages on <see cref="StartNode"/> after the placement (tierprobe's placed=).</summary>
    public ulong NrPlaced { get; private set; }

    public void Setup(IWorkloadHost host)
    {
        var m = host as SimMachine ?? throw new InvalidOperationException("tierprobe needs the simulated machine as host");
        Pid = m.CreateProcess("tierprobe");
        _setupTid = m.CreateThread(Pid, 0);
        Base = m.Mmap(Pid, totalBytes);
        var th = m.Thread(_setupTid);
        var batch = new MemAccess[256];
        for (ulong off = 0; off < totalBytes;)
        {
            int n = 0;
            for (; n < batch.Length && off < totalBytes; n++, off += Page)
                batch[n] = new MemAccess(Base + off, true);
            m.RunBatch(th, batch.AsSpan(0, n), 0);
        }
        // move_pages(2) of every page; its cost is before t=0, as tierprobe's placement is.
        for (ulong a = Base; a < End; a += Page)
        {
            if (m.TryTranslate(Pid, a, out uint frame))
                m.MigrateFolio(frame, startNode, out _);
            NrPlaced += m.NodeOfAddr(Pid, a) == startNode ? 1UL : 0;
            if (clearRefs && m.TryTranslate(Pid, a, out uint placedFrame))
                m.MakeCold(placedFrame);
        }
        _probeTid = m.CreateThread(Pid, 0);
        _nextColdNs = coldPeriodNs;
    }

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
    {
        computeNs = 0;
        if (tid != _probeTid)
            return 0;
        if (!_coldPass && coldPeriodNs > 0 && nowNs >= _nextColdNs)
        {
            _coldPass = true;
            _coldCursor = 0;
            _nextColdNs += coldPeriodNs;
        }
        int n = 0;
        if (_coldPass)
        {
            for (; n < batch.Length && _coldCursor < totalBytes; _coldCursor += Page)
            {
                ulong a = Base + _coldCursor;
                if (a < HotStart || a >= HotEnd)
                    batch[n++] = new MemAccess(a, true);
            }
            _coldPass = _coldCursor < totalBytes;
        }
        for (; n < batch.Length; n++)
        {
            batch[n] = new MemAccess(HotStart + _hotCursor, true);
            _hotCursor = (_hotCursor + Page) % hotBytes;
        }
        computeNs = (ulong)n * cpuNsPerAccess;
        return n;
    }
}
