using Damon.Sim.Workloads.Rng;

namespace Damon.Sim.Workloads.Masim;

/// <summary>
/// Runs a masim config the way masim.c does, in simulated time: regions are allocated (small ones
/// on the heap like malloc below glibc's 128 KiB mmap threshold, the rest mmapped), regions with a
/// data file are written once, then each phase repeatedly picks a pattern by weight and makes
/// <see cref="AccessesPerPick"/> accesses with it until the phase's time has passed, checking the
/// clock only between picks as exec_phase() does.
/// </summary>
public sealed class MasimWorkload : SyntheticWorkload
{
    /// <summary>glibc's default M_MMAP_THRESHOLD: smaller mallocs come from the brk heap.</summary>
    public const ulong MallocMmapThresholdBytes = 128 * 1024;

    private const ulong PageSz = 4096;

    private readonly MasimConfig _config;
    private readonly ulong[] _regionStart;
    private readonly ulong[][] _lastOffset;   // per phase, per pattern (struct access.last_offset)
    private Xoshiro256 _rng;

    // Progress of the single masim thread.
    private int _repeat;
    private int _phase = -1;
    private ulong _phaseStartNs;
    private int _pattern = -1;
    private long _remaining;        // masim accesses left in the current pick
    private int _initRegion;        // next region whose data file is still to be loaded
    private ulong _initOffset;
    private bool _pendingWrite;     // second half of a rw access that did not fit the last batch
    private ulong _pendingAddr;

    public MasimWorkload(MasimConfig config, int nrAccessesPerPick = 128 * 1024, int repeats = 1,
        bool hugetlb = false, int cpu = 0, double computeNsPerAccess = 1.0)
        : base("masim", new ThreadPlacement(1, [cpu]), 0, computeNsPerAccess)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nrAccessesPerPick, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        foreach (var phase in config.Phases)
        {
            // masim would spin for the phase's time without touching a region; an access stream
            // cannot express time without accesses (a batch of 0 ends the thread).
            if (phase.TotalProbability == 0)
                throw new WorkloadFormatException(config.Path, phase.Line,
                    $"phase '{phase.Name}' has total probability 0; the simulator cannot run a phase without accesses");
        }
        _config = config;
        AccessesPerPick = nrAccessesPerPick;
        Repeats = repeats;
        HugeTlb = hugetlb;
        _regionStart = new ulong[config.Regions.Count];
        _lastOffset = config.Phases.Select(p => new ulong[p.Patterns.Count]).ToArray();
    }

    public MasimConfig Config => _config;
    public int AccessesPerPick { get; }
    public int Repeats { get; }
    public bool HugeTlb { get; }

    /// <summary>Start address of each region once set up (index as in the config).</summary>
    public IReadOnlyList<ulong> RegionStarts => _regionStart;

    /// <summary>Index of the phase running now (-1 before the first, Phases.Count when done).</summary>
    public int CurrentPhase => _phase;

    protected override void SetupMemory(IWorkloadHost host, int pid)
    {
        _rng = new Xoshiro256(SplitMix64.Derive(Seed, 0));
        var regions = _config.Regions;
        // malloc() packs small chunks into the heap with 16-byte alignment; one brk covers them.
        ulong heapBytes = 0;
        var heapOffset = new ulong[regions.Count];
        for (int i = 0; i < regions.Count; i++)
        {
            if (HugeTlb || regions[i].SizeBytes >= MallocMmapThresholdBytes) continue;
            heapOffset[i] = heapBytes;
            heapBytes += (regions[i].SizeBytes + 15) & ~15UL;
        }
        ulong heapStart = heapBytes > 0 ? host.Brk(pid, heapBytes) : 0;
        for (int i = 0; i < regions.Count; i++)
        {
            if (!HugeTlb && regions[i].SizeBytes < MallocMmapThresholdBytes)
                _regionStart[i] = heapStart + heapOffset[i];
            else
                _regionStart[i] = host.Mmap(pid, regions[i].SizeBytes, HugeTlb ? MapFlags.Thp : MapFlags.Anon);
        }
    }

    protected override int Fill(IWorkloadHost host, int thread, ulong elapsedNs, Span<MemAccess> batch)
    {
        int i = 0;
        if (_pendingWrite)
        {
            batch[i++] = new MemAccess(_pendingAddr, true);
            _pendingWrite = false;
        }
        // load_init_data(): the region is written once from its data file; one write per page.
        while (_initRegion < _config.Regions.Count && i < batch.Length)
        {
            var r = _config.Regions[_initRegion];
            if (r.DataFile is null || _initOffset >= r.SizeBytes) { _initRegion++; _initOffset = 0; continue; }
            batch[i++] = new MemAccess(_regionStart[_initRegion] + _initOffset, true);
            _initOffset += PageSz - ((_regionStart[_initRegion] + _initOffset) & (PageSz - 1));
        }
        if (i > 0) return i;

        if (_remaining == 0 && !NextPick(elapsedNs)) return 0;

        var phase = _config.Phases[_phase];
        var pat = phase.Patterns[_pattern];
        ulong start = _regionStart[pat.RegionIndex];
        ulong size = _config.Regions[pat.RegionIndex].SizeBytes;
        ulong[] lastOffset = _lastOffset[_phase];
        bool rw = pat.RwMode == MasimRwMode.ReadWrite;
        bool write = pat.RwMode == MasimRwMode.WriteOnly;
        long todo = _remaining;
        int len = batch.Length;
        if (pat.Random)
        {
            while (todo > 0 && i < len)
            {
                ulong addr = start + _rng.NextBelow(size);
                if (rw)
                {
                    batch[i++] = new MemAccess(addr, false);
                    if (i == len) { _pendingWrite = true; _pendingAddr = addr; todo--; break; }
                    batch[i++] = new MemAccess(addr, true);
                }
                else batch[i++] = new MemAccess(addr, write);
                todo--;
            }
        }
        else
        {
            ulong offset = lastOffset[_pattern];
            ulong stride = pat.StrideBytes;
            while (todo > 0 && i < len)
            {
                offset += stride;
                if (offset >= size) offset = 0;
                ulong addr = start + offset;
                if (rw)
                {
                    batch[i++] = new MemAccess(addr, false);
                    if (i == len) { _pendingWrite = true; _pendingAddr = addr; todo--; break; }
                    batch[i++] = new MemAccess(addr, true);
                }
                else batch[i++] = new MemAccess(addr, write);
                todo--;
            }
            lastOffset[_pattern] = offset;
        }
        _remaining = todo;
        return i;
    }

    /// <summary>
    /// exec_phase(): after each pick's accesses, leave the phase once its time has passed; then
    /// draw the next pattern by weight. Returns false when every phase of every repeat is done.
    /// </summary>
    private bool NextPick(ulong elapsedNs)
    {
        if (_phase == _config.Phases.Count) return false;
        if (_phase < 0 || elapsedNs - _phaseStartNs > (ulong)_config.Phases[_phase].TimeMs * 1_000_000UL)
        {
            _phase++;
            if (_phase == _config.Phases.Count)
            {
                if (++_repeat == Repeats) return false;   // _phase stays at Count: done
                _phase = 0;
            }
            _phaseStartNs = elapsedNs;
        }
        var phase = _config.Phases[_phase];
        int randn = (int)_rng.NextBelow((ulong)phase.TotalProbability);
        for (int p = 0; p < phase.Patterns.Count; p++)
        {
            if (randn < phase.Patterns[p].Probability) { _pattern = p; break; }
            randn -= phase.Patterns[p].Probability;
        }
        _remaining = AccessesPerPick;
        return true;
    }
}
