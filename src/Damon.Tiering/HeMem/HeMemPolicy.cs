using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads.Rng;
using Damon.Tiering.Policy;

namespace Damon.Tiering.HeMem;

/// <summary>
/// HeMem's PEBS policy as the artifact's <c>src/pebs.c</c> does it (cuhk-mass/hemem): every access
/// has a 1/period chance of being sampled (PEBS); a sample bumps its 2 MiB page's counter, and the
/// page is hot at HOT_READ_THRESHOLD (4) samples. Cooling is lazy: when the sampled counter exceeds
/// PEBS_COOLING_THRESHOLD (10, strictly), the global clock ticks, and each page's counter is
/// halved once per missed tick the next time it is sampled (<c>accesses &gt;&gt;= global_clock −
/// local_clock</c>, after the hot check, as pebs_scan_thread orders it); a partial cooling pass
/// over the hot list moves pages the clock has cooled to the cold list. The policy thread, every
/// 10 ms, dequeues the slow tier's hot list in FIFO order, drops a page whose counter has fallen
/// below the threshold, and promotes the rest, demoting the oldest page of the fast tier's FIFO cold
/// list when there is no free room and putting the hot page back when there is no cold one; at most
/// PEBS_KSWAPD_MIGRATE_RATE bytes are promoted per pass. Copies are asynchronous (background
/// account). A fast-tier page joins the cold list when first seen there (pebs_allocate_page's
/// dram_cold_list; pages seen in one drain join in frame order) or when it cools.
/// HeMem manages 2 MiB pages: counters and moves are per 2 MiB block of virtual memory (all its base
/// pages move together). Samples come from the machine's per-page access counts, drained every
/// <see cref="HeMemParams.SampleDrainMs"/>.
/// </summary>
public sealed class HeMemPolicy(HeMemParams? p = null) : TieringPolicyBase
{
    private const int BlockShift = 9;                        // 2 MiB of 4 KiB pages

    /// <summary>A page's accesses[] and local_clock.</summary>
    private struct PageCounter
    {
        public uint Accesses;
        public ulong LocalClock;
    }

    private readonly Dictionary<ulong, PageCounter> _count = [];   // block key → counter
    private readonly BlockFifo _nvmHot = new(), _dramHot = new(), _dramCold = new();
    private ulong _globalClock;
    private bool _needCool;
    private Xoshiro256 _rng;
    private ulong _nextDrainUs, _nextPolicyUs;

    public HeMemParams Params { get; } = p ?? new HeMemParams();
    public override string Name => "hemem";
    public override ulong TickIntervalUs => Params.PolicyIntervalMs * 1000;
    public override bool NeedsGroundTruth => true;
    public ulong NrSamples { get; private set; }
    /// <summary>Ticks of global_clock.</summary>
    public ulong NrCoolings => _globalClock;

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    protected override void OnAttach()
    {
        _rng = new Xoshiro256(SplitMix64.Derive(Machine.Seed, 0x4E4E_0001UL));
        Machine.EnableGroundTruth();
    }

    /// <summary>A block's counter as cooled by the global clock (what a fresh sample would see), for tests.</summary>
    public uint CountOf(ulong blockKey) => _count.TryGetValue(blockKey, out var c) ? Cooled(c) : 0;

    /// <summary>Whether a block is on the slow tier's hot list.</summary>
    public bool IsHotOnSlow(ulong blockKey) => _nvmHot.Contains(blockKey);

    private uint Cooled(PageCounter c) => c.Accesses >> (int)Math.Min(31, _globalClock - c.LocalClock);

    /// <summary>(pid, 2 MiB block) of a page key.</summary>
    public static ulong BlockKey(ulong pageKey) =>
        (pageKey & ~((1UL << 40) - 1)) | (FramePages.VpageOfKey(pageKey) >> BlockShift);

    protected override void OnTick(ulong nowUs)
    {
        if (nowUs >= _nextDrainUs)
        {
            _nextDrainUs = nowUs + Params.SampleDrainMs * 1000;
            var w = Machine.GroundTruth!.CloseWindow(nowUs * 1000);
            Drain(w);
            Machine.GroundTruth.Recycle(w);
        }
        if (nowUs >= _nextPolicyUs)
        {
            _nextPolicyUs = nowUs + Params.PolicyIntervalMs * 1000;
            if (Migrate())
                PartialCool();
        }
    }

    private void Drain(Damon.Sim.GroundTruth.AccessWindow w)
    {
        foreach (int nid in new[] { Nodes.Fast, Nodes.Slow })
            foreach (uint head in FramePages.MappedFolios(Machine, nid))
            {
                uint nr = Machine.Frames.FolioNrPages(head);
                ulong key = BlockKey(FramePages.PageKey(Machine, head));
                if (nid == Nodes.Fast && !_dramHot.Contains(key))
                    _dramCold.Enqueue(key);
                ulong accesses = 0;
                for (uint i = 0; i < nr; i++) accesses += w.Count(head + i);
                if (accesses == 0) continue;
                ulong samples = accesses / Params.SamplePeriod;
                if (_rng.NextDouble() * Params.SamplePeriod < accesses % Params.SamplePeriod) samples++;
                if (samples > 0) Sample(key, (uint)samples, nid == Nodes.Slow);
            }
    }

    /// <summary>
    /// pebs_scan_thread for <paramref name="samples"/> samples of one page: count, send a hot or
    /// cold request on the raw counter, then apply the pending cooling and tick the clock when the
    /// counter exceeds the cooling threshold.
    /// </summary>
    internal void Sample(ulong key, uint samples, bool onSlow)
    {
        _count.TryGetValue(key, out var c);
        for (uint s = 0; s < samples; s++)
        {
            NrSamples++;
            c.Accesses++;
            if (c.Accesses >= Params.HotThreshold)
                MakeHot(key, onSlow);
            else
                MakeCold(key, onSlow);
            c.Accesses >>= (int)Math.Min(31, _globalClock - c.LocalClock);
            c.LocalClock = _globalClock;
            if (c.Accesses > Params.CoolingThreshold)
            {
                _globalClock++;
                _needCool = true;
            }
        }
        _count[key] = c;
    }

    /// <summary>make_hot: onto the hot list of the page's tier.</summary>
    private void MakeHot(ulong key, bool onSlow)
    {
        if (onSlow)
            _nvmHot.Enqueue(key);
        else
        {
            _dramCold.Remove(key);
            _dramHot.Enqueue(key);
        }
    }

    /// <summary>make_cold: a hot page goes to the tail of its tier's cold list.</summary>
    private void MakeCold(ulong key, bool onSlow)
    {
        if (onSlow)
            _nvmHot.Remove(key);
        else if (_dramHot.Remove(key))
            _dramCold.Enqueue(key);
    }

    /// <summary>partial_cool_peek_and_move on both hot lists, after a clock tick.</summary>
    private void PartialCool()
    {
        if (!_needCool) return;
        _needCool = false;
        foreach (ulong key in _nvmHot.ToList())
            if (CountOf(key) < Params.HotThreshold) MakeCold(key, onSlow: true);
        foreach (ulong key in _dramHot.ToList())
            if (CountOf(key) < Params.HotThreshold) MakeCold(key, onSlow: false);
    }

    /// <summary>One policy pass; false when it stopped because no fast page was cold (pebs.c's goto out).</summary>
    private bool Migrate()
    {
        ulong budget = Params.MigrateBytesPerPass;
        ulong moved = 0;
        for (int i = 0, passes = _nvmHot.Count; i < passes && moved < budget && _nvmHot.Dequeue() is ulong key; i++)
        {
            // "it has been cooled": the raw counter, as the policy thread reads it.
            if (!_count.TryGetValue(key, out var c) || c.Accesses < Params.HotThreshold) continue;
            var p = Machine.TryGetProcess(FramePages.PidOfKey(key));
            if (p is null) continue;
            _dramCold.Remove(key);                            // never its own victim
            ulong first = FramePages.VpageOfKey(key) << BlockShift;
            for (ulong vp = first; vp < first + (1UL << BlockShift); vp++)
            {
                uint e = p.PageTable.Get(vp);
                if (e == 0 || e >= PageTable.SwapBit || Machine.NodeOfFrame(e - 1) != Nodes.Slow) continue;
                if (Machine.Node(Nodes.Fast).NrFree == 0 && !DemoteOldestCold())
                {
                    // All DRAM pages are hot: the page goes back on the hot list, the pass ends.
                    _nvmHot.Enqueue(key);
                    return false;
                }
                // Only promotions count against the rate, as pebs.c's migrated_bytes does.
                moved += (ulong)MigrateAsync(e - 1, Nodes.Fast) << PageSizes.PageShift;
            }
            _dramHot.Enqueue(key);
        }
        return true;
    }

    /// <summary>dequeue_fifo(&amp;dram_cold_list) and pebs_migrate_down: false when no cold page is left on the fast tier.</summary>
    private bool DemoteOldestCold()
    {
        while (_dramCold.Dequeue() is ulong key)
        {
            var p = Machine.TryGetProcess(FramePages.PidOfKey(key));
            if (p is null) continue;
            uint demoted = 0;
            ulong first = FramePages.VpageOfKey(key) << BlockShift;
            for (ulong vp = first; vp < first + (1UL << BlockShift); vp++)
            {
                uint e = p.PageTable.Get(vp);
                if (e != 0 && e < PageTable.SwapBit && Machine.NodeOfFrame(e - 1) == Nodes.Fast)
                    demoted += MigrateAsync(e - 1, Nodes.Slow);
            }
            if (demoted > 0) return true;
        }
        return false;
    }
}
