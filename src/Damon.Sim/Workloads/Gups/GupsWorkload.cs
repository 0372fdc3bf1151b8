using Damon.Sim.Workloads.Rng;

namespace Damon.Sim.Workloads.Gups;

/// <summary>
/// GUPS as HeMem runs it (cuhk-mass/hemem microbenchmarks/gups.c, gups-hotset-move.c): one
/// mapping split into equal per-thread slices; each thread's hot set is the first HotBytes/threads
/// of its slice; an update is a read-modify-write of one element (a read, then a write, of each
/// 64-byte line it covers). With <see cref="GupsOptions.MoveAtNs"/> the first quarter (MoveFraction)
/// of each hot set moves to just past its end, as gups-hotset-move.c does after 150 s.
/// </summary>
public sealed class GupsWorkload : SyntheticWorkload
{
    private const ulong LineSz = 64;
    private const ulong PageSz = 4096;

    private readonly GupsOptions _o;
    private readonly ulong _eltsPerThread;
    private readonly ulong _hotElts;
    private readonly ulong _movedElts;
    private readonly int _linesPerElt;
    private readonly bool _alignedSingleLine;   // every element sits inside one line: the fast path applies
    private ulong _base;
    private ThreadState[] _state = [];

    private struct ThreadState
    {
        public Xoshiro256 Rng;
        public ulong SliceStart;
        public ulong PopulateOffset;
        public ulong Updates;
        public int BurstLeft;
        public PendingAccesses Pending;
    }

    public GupsWorkload(GupsOptions options)
        : base("gups", options.Threads, options.DurationNs, options.ComputeNsPerAccess)
    {
        _o = options;
        if (options.EltBytes == 0) throw new ArgumentException("gups: elt must be positive");
        _eltsPerThread = options.SizeBytes / (ulong)options.Threads.NrThreads / options.EltBytes;
        _hotElts = options.HotBytes / (ulong)options.Threads.NrThreads / options.EltBytes;
        if (_eltsPerThread == 0) throw new ArgumentException("gups: size is smaller than one element per thread");
        if (_hotElts == 0) throw new ArgumentException("gups: the hot set is smaller than one element per thread");
        if (_hotElts > _eltsPerThread) throw new ArgumentException("gups: the hot set is larger than the field");
        _movedElts = options.MoveAtNs == 0 ? 0 : (ulong)(_hotElts * options.MoveFraction);
        if (_hotElts + _movedElts > _eltsPerThread)
            throw new ArgumentException("gups: the moved part of the hot set would fall outside the thread's slice");
        _linesPerElt = (int)((options.EltBytes + LineSz - 1) / LineSz);
        _alignedSingleLine = options.EltBytes <= LineSz && LineSz % options.EltBytes == 0;
    }

    public GupsOptions Options => _o;

    /// <summary>Start of the field once set up.</summary>
    public ulong FieldStart => _base;

    /// <summary>Hot set of thread <paramref name="thread"/> before the move: [start, end).</summary>
    public (ulong Start, ulong End) HotRange(int thread)
    {
        ulong s = _base + (ulong)thread * _eltsPerThread * _o.EltBytes;
        return (s, s + _hotElts * _o.EltBytes);
    }

    /// <summary>Where the moved part of thread <paramref name="thread"/>'s hot set lands: [start, end).</summary>
    public (ulong Start, ulong End) MovedRange(int thread)
    {
        var (s, e) = HotRange(thread);
        return (e, e + _movedElts * _o.EltBytes);
    }

    protected override void SetupMemory(IWorkloadHost host, int pid)
    {
        _base = host.Mmap(pid, _o.SizeBytes, _o.Thp ? MapFlags.Thp : MapFlags.Anon);
        _state = new ThreadState[Threads.NrThreads];
        for (int t = 0; t < _state.Length; t++)
        {
            _state[t].Rng = new Xoshiro256(SplitMix64.Derive(Seed, (ulong)t));
            _state[t].SliceStart = _base + (ulong)t * _eltsPerThread * _o.EltBytes;
            _state[t].PopulateOffset = _o.Populate ? 0 : ulong.MaxValue;
            _state[t].Pending = new PendingAccesses();
            // gups.c starts each iteration with its hot burst, then one update anywhere.
            _state[t].BurstLeft = 8 + (int)(_state[t].Rng.NextU64() & 3);
        }
    }

    protected override bool InWarmup(int thread) => _state[thread].PopulateOffset < _eltsPerThread * _o.EltBytes;

    protected override int Fill(IWorkloadHost host, int thread, ulong elapsedNs, Span<MemAccess> batch)
    {
        ref ThreadState st = ref _state[thread];
        int i = 0;
        ulong sliceBytes = _eltsPerThread * _o.EltBytes;
        if (st.PopulateOffset < sliceBytes)
        {
            while (i < batch.Length && st.PopulateOffset < sliceBytes)
            {
                batch[i++] = new MemAccess(st.SliceStart + st.PopulateOffset, true);
                st.PopulateOffset += PageSz - ((st.SliceStart + st.PopulateOffset) & (PageSz - 1));
            }
            return i;
        }
        i = st.Pending.Drain(batch, 0);
        ulong limit = _o.UpdatesPerThread == 0 ? ulong.MaxValue : _o.UpdatesPerThread;
        if (i == batch.Length || st.Updates >= limit) return i;

        bool moved = _movedElts != 0 && elapsedNs >= _o.MoveAtNs;
        ulong moveBelow = moved ? _movedElts : 0;
        if (_alignedSingleLine) i = FillSingleLine(ref st, batch, i, limit, moveBelow);
        // Whatever room is left (less than one whole update on the fast path): stage one update
        // and emit its head; the rest opens the next batch.
        while (i < batch.Length && st.Updates < limit)
        {
            var op = st.Pending.Stage(2 * (_linesPerElt + 1));
            int n = GenerateUpdate(ref st, op, moveBelow);
            st.Pending.Trim(n);
            i = st.Pending.Drain(batch, i);
        }
        return i;
    }

    // The hot path: one read and one write per update, no calls but the inlined generator.
    private int FillSingleLine(ref ThreadState st, Span<MemAccess> batch, int i, ulong limit, ulong moveBelow)
    {
        var rng = st.Rng;
        ulong slice = st.SliceStart;
        ulong elt = _o.EltBytes;
        ulong hotElts = _hotElts, allElts = _eltsPerThread;
        ulong updates = st.Updates;
        int burstLeft = st.BurstLeft;
        bool burst = _o.Pattern == GupsPattern.Burst;
        ulong hotThreshold = (ulong)(_o.HotProb * ulong.MaxValue);
        if (_o.HotProb >= 1.0) hotThreshold = ulong.MaxValue;
        int last = batch.Length - 1;
        while (i < last && updates < limit)
        {
            bool hot;
            if (burst)
            {
                if (burstLeft == 0) { hot = false; burstLeft = 8 + (int)(rng.NextU64() & 3); }
                else { hot = true; burstLeft--; }
            }
            else hot = rng.NextU64() < hotThreshold;
            ulong idx;
            if (hot)
            {
                idx = rng.NextBelow(hotElts);
                if (idx < moveBelow) idx += hotElts;
            }
            else idx = rng.NextBelow(allElts);
            ulong addr = slice + idx * elt;
            batch[i] = new MemAccess(addr, false);
            batch[i + 1] = new MemAccess(addr, true);
            i += 2;
            updates++;
        }
        st.Rng = rng;
        st.Updates = updates;
        st.BurstLeft = burstLeft;
        return i;
    }

    // One update into dst: memcpy reads every line of the element, then writes every line.
    private int GenerateUpdate(ref ThreadState st, Span<MemAccess> dst, ulong moveBelow)
    {
        bool hot;
        if (_o.Pattern == GupsPattern.Burst)
        {
            if (st.BurstLeft == 0) { hot = false; st.BurstLeft = 8 + (int)(st.Rng.NextU64() & 3); }
            else { hot = true; st.BurstLeft--; }
        }
        else hot = st.Rng.NextU64() < (_o.HotProb >= 1.0 ? ulong.MaxValue : (ulong)(_o.HotProb * ulong.MaxValue));
        ulong idx;
        if (hot)
        {
            idx = st.Rng.NextBelow(_hotElts);
            if (idx < moveBelow) idx += _hotElts;
        }
        else idx = st.Rng.NextBelow(_eltsPerThread);
        ulong addr = st.SliceStart + idx * _o.EltBytes;
        ulong end = addr + _o.EltBytes;
        int i = 0;
        for (int pass = 0; pass < 2; pass++)
            for (ulong a = addr; a < end; a = (a & ~(LineSz - 1)) + LineSz)
                dst[i++] = new MemAccess(a, pass == 1);
        st.Updates++;
        return i;
    }
}
