using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Reports;
using Damon.Tiering.Policy;

namespace Damon.Tiering.HeMem;

/// <summary>
/// HeMem's PEBS policy as the artifact's <c>src/pebs.c</c> does it (cuhk-mass/hemem). The machine's
/// PEBS (<see cref="SimMachine.EnablePebs"/>) samples, per thread, one in SAMPLE_PERIOD of three
/// events, as pebs_init programs them: loads that miss the LLC and are served by the fast node
/// (MEM_LOAD_L3_MISS_RETIRED.LOCAL_DRAM, DRAMREAD), loads served by the slow node
/// (MEM_LOAD_RETIRED.LOCAL_PMM, NVMREAD; REMOTE_DRAM in the trees that emulate the slow tier with a
/// remote socket), and every retired store (MEM_INST_RETIRED.ALL_STORES, WRITE, cache hits too).
/// A load the LLC serves is no event, so a cache-resident hot set is invisible to the read counters.
/// A sample bumps its 2 MiB page's counter of that event; the page is hot at HOT_WRITE_THRESHOLD (4)
/// store samples or HOT_READ_THRESHOLD (4) load samples of both kinds together. Cooling is lazy:
/// when the sampled event's counter exceeds PEBS_COOLING_THRESHOLD (10, strictly), the global
/// clock ticks, and the sampled counter is halved once per missed tick the next time it is sampled
/// (<c>accesses[j] &gt;&gt;= global_clock − local_clock</c>, after the hot check, as
/// pebs_scan_thread orders it; the page's local clock then moves on, so its other counters skip
/// those halvings, as in pebs.c); a partial cooling pass over the hot list moves pages the clock
/// has cooled to the cold list. The policy thread, every 10 ms, dequeues the slow tier's hot list
/// in FIFO order, drops a page whose counters have fallen below both thresholds, and promotes the
/// rest, demoting the oldest page of the fast tier's FIFO cold list when there is no free room and
/// putting the hot page back when there is no cold one; at most PEBS_KSWAPD_MIGRATE_RATE bytes are
/// promoted per pass. Copies are asynchronous (background account). A fast-tier page joins the cold
/// list when first seen there (pebs_allocate_page's dram_cold_list; pages seen in one walk join in
/// frame order) or when it cools. HeMem manages 2 MiB pages: counters and moves are per 2 MiB block
/// of virtual memory (all its base pages move together).
/// </summary>
public sealed class HeMemPolicy(HeMemParams? p = null) : TieringPolicyBase
{
    private const int BlockShift = 9;                        // 2 MiB of 4 KiB pages

    /// <summary>A page's accesses[NPBUFTYPES] and local_clock.</summary>
    private sealed class PageCounter
    {
        public readonly uint[] Accesses = new uint[(int)HeMemEvent.Count];
        public ulong LocalClock;
    }

    private readonly Dictionary<ulong, PageCounter> _count = [];   // block key → counter
    private readonly BlockFifo _nvmHot = new(), _dramHot = new(), _dramCold = new();
    private ulong _globalClock;
    private bool _needCool;
    private SimPebs _pebs = null!;
    private ulong _nextDrainUs, _nextPolicyUs;

    public HeMemParams Params { get; } = p ?? new HeMemParams();
    public override string Name => "hemem";
    public override ulong TickIntervalUs => Params.PolicyIntervalMs * 1000;
    public ulong NrSamples { get; private set; }
    /// <summary>Ticks of global_clock.</summary>
    public ulong NrCoolings => _globalClock;

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    protected override void OnAttach() => _pebs = Machine.EnablePebs(Params.SamplePeriod);

    /// <summary>A block's load samples (both kinds) as cooled by the global clock (what a fresh sample would see), for tests.</summary>
    public uint CountOf(ulong blockKey) =>
        _count.TryGetValue(blockKey, out var c) ? Cooled(c, HeMemEvent.DramRead) + Cooled(c, HeMemEvent.NvmRead) : 0;

    /// <summary>A block's store samples as cooled by the global clock, for tests.</summary>
    public uint WriteCountOf(ulong blockKey) => _count.TryGetValue(blockKey, out var c) ? Cooled(c, HeMemEvent.Write) : 0;

    /// <summary>Whether a block is on the slow tier's hot list.</summary>
    public bool IsHotOnSlow(ulong blockKey) => _nvmHot.Contains(blockKey);

    private uint Cooled(PageCounter c, HeMemEvent j) => c.Accesses[(int)j] >> (int)Math.Min(31, _globalClock - c.LocalClock);

    /// <summary>The hot test of pebs.c on counters <paramref name="write"/> and <paramref name="reads"/>.</summary>
    private bool Hot(uint write, uint reads) => write >= Params.HotWriteThreshold || reads >= Params.HotReadThreshold;

    private bool RawHot(PageCounter c) =>
        Hot(c.Accesses[(int)HeMemEvent.Write], c.Accesses[(int)HeMemEvent.DramRead] + c.Accesses[(int)HeMemEvent.NvmRead]);

    /// <summary>(pid, 2 MiB block) of a page key.</summary>
    public static ulong BlockKey(ulong pageKey) =>
        (pageKey & ~((1UL << 40) - 1)) | (FramePages.VpageOfKey(pageKey) >> BlockShift);

    protected override void OnTick(ulong nowUs)
    {
        if (nowUs >= _nextDrainUs)
        {
            _nextDrainUs = nowUs + Params.SampleDrainMs * 1000;
            ListNewFastPages();
        }
        if (nowUs >= _nextPolicyUs)
        {
            _nextPolicyUs = nowUs + Params.PolicyIntervalMs * 1000;
            ReadSamples();
            if (Migrate())
                PartialCool();
        }
    }

    /// <summary>Fast-tier blocks HeMem does not list yet join the cold list, in frame order.</summary>
    private void ListNewFastPages()
    {
        foreach (uint head in FramePages.MappedFolios(Machine, Nodes.Fast))
        {
            ulong key = BlockKey(FramePages.PageKey(Machine, head));
            if (!_dramHot.Contains(key))
                _dramCold.Enqueue(key);
        }
    }

    /// <summary>
    /// pebs_scan_thread over the records written since the last read, oldest first: a record of a
    /// page on neither tier is not HeMem's (other_pages_cnt); the list a hot page joins is the one
    /// of the tier the page is on now (page-&gt;in_dram), the counter the one of the event.
    /// </summary>
    private void ReadSamples()
    {
        foreach (var s in _pebs.Drain())
        {
            int nid = Machine.NodeOfAddr(s.Pid, s.Vaddr);
            if (nid != Nodes.Fast && nid != Nodes.Slow) continue;
            var ev = s.Store ? HeMemEvent.Write : s.Node == Nodes.Fast ? HeMemEvent.DramRead : HeMemEvent.NvmRead;
            Sample(BlockKey(FramePages.PageKey(s.Pid, s.Vaddr >> PageSizes.PageShift)), 1, nid == Nodes.Slow, ev);
        }
    }

    /// <summary>
    /// pebs_scan_thread for <paramref name="samples"/> samples of one event on one page: count, send
    /// a hot or cold request on the raw counters, then apply the pending cooling to the sampled
    /// counter and tick the clock when it exceeds the cooling threshold. Without
    /// <paramref name="ev"/> a sample is a load from the page's tier.
    /// </summary>
    internal void Sample(ulong key, uint samples, bool onSlow, HeMemEvent? ev = null)
    {
        var j = (int)(ev ?? (onSlow ? HeMemEvent.NvmRead : HeMemEvent.DramRead));
        if (!_count.TryGetValue(key, out var c))
            _count[key] = c = new PageCounter();
        for (uint s = 0; s < samples; s++)
        {
            NrSamples++;
            c.Accesses[j]++;
            if (RawHot(c))
                MakeHot(key, onSlow);
            else
                MakeCold(key, onSlow);
            c.Accesses[j] >>= (int)Math.Min(31, _globalClock - c.LocalClock);
            c.LocalClock = _globalClock;
            if (c.Accesses[j] > Params.CoolingThreshold)
            {
                _globalClock++;
                _needCool = true;
            }
        }
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
            if (!Hot(WriteCountOf(key), CountOf(key))) MakeCold(key, onSlow: true);
        foreach (ulong key in _dramHot.ToList())
            if (!Hot(WriteCountOf(key), CountOf(key))) MakeCold(key, onSlow: false);
    }

    /// <summary>One policy pass; false when it stopped because no fast page was cold (pebs.c's goto out).</summary>
    private bool Migrate()
    {
        ulong budget = Params.MigrateBytesPerPass;
        ulong moved = 0;
        for (int i = 0, passes = _nvmHot.Count; i < passes && moved < budget && _nvmHot.Dequeue() is ulong key; i++)
        {
            // "it has been cooled": the raw counters, as the policy thread reads them.
            if (!_count.TryGetValue(key, out var c) || !RawHot(c)) continue;
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
