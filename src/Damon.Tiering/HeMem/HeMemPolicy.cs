using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads.Rng;
using Damon.Tiering.Policy;

namespace Damon.Tiering.HeMem;

/// <summary>
/// HeMem-style tiering (tiering.md §2.5): every access has a 1/period chance of being sampled (PEBS);
/// each sampled access bumps its page's counter; when any counter reaches the cooling threshold,
/// every counter is halved. A policy thread, every 10 ms, promotes hot pages (counter ≥ threshold)
/// from the slow tier, demoting cold ones (counter below threshold, least-counted first) to make
/// room, promoting at most PEBS_KSWAPD_MIGRATE_RATE bytes per pass; the copies are asynchronous
/// (background account).
/// HeMem manages 2 MiB pages: counters and moves are per 2 MiB block of virtual memory (all its base
/// pages move together). Samples come from the machine's per-page access counts, drained every
/// <see cref="HeMemParams.SampleDrainMs"/>.
/// </summary>
public sealed class HeMemPolicy(HeMemParams? p = null) : TieringPolicyBase
{
    private const int BlockShift = 9;                        // 2 MiB of 4 KiB pages
    private readonly Dictionary<ulong, uint> _count = [];   // block key → sampled accesses
    private readonly HashSet<ulong> _hotOnSlow = [];
    private Xoshiro256 _rng;
    private ulong _nextDrainUs, _nextPolicyUs;

    public HeMemParams Params { get; } = p ?? new HeMemParams();
    public override string Name => "hemem";
    public override ulong TickIntervalUs => Params.PolicyIntervalMs * 1000;
    public override bool NeedsGroundTruth => true;
    public ulong NrSamples { get; private set; }
    public ulong NrCoolings { get; private set; }

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    protected override void OnAttach()
    {
        _rng = new Xoshiro256(SplitMix64.Derive(Machine.Seed, 0x4E4E_0001UL));
        Machine.EnableGroundTruth();
    }

    /// <summary>A block's counter, for tests.</summary>
    public uint CountOf(ulong blockKey) => _count.TryGetValue(blockKey, out uint c) ? c : 0;

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
            Migrate();
        }
    }

    private void Drain(Damon.Sim.GroundTruth.AccessWindow w)
    {
        foreach (int nid in new[] { Nodes.Fast, Nodes.Slow })
            foreach (uint head in FramePages.MappedFolios(Machine, nid))
            {
                uint nr = Machine.Frames.FolioNrPages(head);
                ulong accesses = 0;
                for (uint i = 0; i < nr; i++) accesses += w.Count(head + i);
                if (accesses == 0) continue;
                ulong samples = accesses / Params.SamplePeriod;
                if (_rng.NextDouble() * Params.SamplePeriod < accesses % Params.SamplePeriod) samples++;
                if (samples > 0) Sample(BlockKey(FramePages.PageKey(Machine, head)), (uint)samples, nid == Nodes.Slow);
            }
    }

    /// <summary>Count <paramref name="samples"/> sampled accesses to a page; cool every counter when one reaches the cooling threshold.</summary>
    internal void Sample(ulong key, uint samples, bool onSlow)
    {
        NrSamples += samples;
        _count.TryGetValue(key, out uint c);
        c += samples;
        _count[key] = c;
        if (c >= Params.HotThreshold && onSlow) _hotOnSlow.Add(key);
        if (c >= Params.CoolingThreshold)
        {
            NrCoolings++;
            foreach (var k in _count.Keys.ToList())
            {
                uint v = _count[k] >> 1;
                if (v == 0) _count.Remove(k); else _count[k] = v;
            }
            _hotOnSlow.RemoveWhere(k => CountOf(k) < Params.HotThreshold);
        }
    }

    private void Migrate()
    {
        if (_hotOnSlow.Count == 0) return;
        ulong budget = Params.MigrateBytesPerPass;
        ulong moved = 0;
        List<uint>? coldOnFast = null;
        int coldNext = 0;
        foreach (ulong key in _hotOnSlow.ToList())
        {
            if (moved >= budget) break;
            _hotOnSlow.Remove(key);
            var p = Machine.TryGetProcess(FramePages.PidOfKey(key));
            if (p is null) continue;
            ulong first = FramePages.VpageOfKey(key) << BlockShift;
            for (ulong vp = first; vp < first + (1UL << BlockShift); vp++)
            {
                uint e = p.PageTable.Get(vp);
                if (e == 0 || e >= PageTable.SwapBit || Machine.NodeOfFrame(e - 1) != Nodes.Slow) continue;
                if (Machine.Node(Nodes.Fast).NrFree == 0)
                {
                    coldOnFast ??= ColdOnFast();
                    // Only promotions count against the rate, as pebs.c's migrated_bytes does.
                    while (coldNext < coldOnFast.Count && Machine.Node(Nodes.Fast).NrFree == 0)
                        MigrateAsync(coldOnFast[coldNext++], Nodes.Slow);
                    if (Machine.Node(Nodes.Fast).NrFree == 0)
                    {
                        // HeMem puts the page back on the hot list when DRAM has no cold page to evict.
                        _hotOnSlow.Add(key);
                        return;
                    }
                }
                moved += (ulong)MigrateAsync(e - 1, Nodes.Fast) << PageSizes.PageShift;
            }
        }
    }

    /// <summary>HeMem's cold list: fast-tier pages below the hot threshold, least counted first.</summary>
    private List<uint> ColdOnFast() =>
        FramePages.MappedFolios(Machine, Nodes.Fast)
            .Select(f => (f, c: CountOf(BlockKey(FramePages.PageKey(Machine, f)))))
            .Where(x => x.c < Params.HotThreshold)
            .OrderBy(x => x.c).Select(x => x.f).ToList();
}
