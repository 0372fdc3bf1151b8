using Damon.Sim.Workloads.Rng;

namespace Damon.Sim.Workloads.Zipf;

/// <summary>
/// A YCSB-like key-value store: Keys values of ValueBytes laid out back to back (each slot rounded
/// up to a cache line) in one mapping, plus an 8-byte-per-key hash index in another. An operation
/// draws a key from a zipfian distribution (scrambled by default), reads its index slot, then
/// reads (GET) or writes (SET) every line of its value.
/// </summary>
public sealed class ZipfKvWorkload : SyntheticWorkload
{
    private const ulong LineSz = 64;
    private const ulong PageSz = 4096;

    private readonly ZipfKvOptions _o;
    private readonly ZipfianGenerator _zipf;
    private readonly ulong _slotBytes;
    private readonly int _linesPerValue;
    private ulong _values, _index;
    private State[] _state = [];

    private struct State
    {
        public Xoshiro256 Rng;
        public ulong LoadOffset;
        public ulong Ops;
        public PendingAccesses Pending;
    }

    public ZipfKvWorkload(ZipfKvOptions options)
        : base("zipf-kv", options.Threads, options.DurationNs, options.ComputeNsPerAccess)
    {
        if (options.ValueBytes == 0) throw new ArgumentException("zipf: value size must be positive");
        _o = options;
        _zipf = new ZipfianGenerator(options.Keys, options.Theta);
        if (options.ValueBytes > Catalog.WorkloadArgs.MaxOperationBytes)
            throw new ArgumentException($"zipf: value size {options.ValueBytes} is above {Catalog.WorkloadArgs.MaxOperationBytes} bytes");
        _slotBytes = SlotBytesOf(options.ValueBytes);
        // Specs are checked when parsed; this guards options built in code from wrapping addresses.
        if ((UInt128)options.Keys * (_slotBytes + (options.Index ? IndexSlotBytes : 0)) > Catalog.WorkloadArgs.UserSpaceBytes)
            throw new ArgumentException($"zipf: {options.Keys} keys do not fit the 128 TiB user address space");
        _linesPerValue = (int)(_slotBytes / LineSz);
    }

    public ZipfKvOptions Options => _o;
    /// <summary>Bytes of one hash-index slot (a pointer).</summary>
    public const ulong IndexSlotBytes = 8;

    /// <summary>A value's slot: its size rounded up to whole cache lines.</summary>
    public static ulong SlotBytesOf(ulong valueBytes) => (valueBytes + LineSz - 1) & ~(LineSz - 1);

    public ulong ValuesStart => _values;
    public ulong IndexStart => _index;
    public ulong SlotBytes => _slotBytes;

    /// <summary>The key that popularity rank <paramref name="rank"/> (0 = most popular) maps to.</summary>
    public ulong KeyOfRank(ulong rank) => _o.Scramble ? ZipfianGenerator.FnvHash64(rank) % _o.Keys : rank;

    /// <summary>Address of key <paramref name="key"/>'s value.</summary>
    public ulong ValueAddr(ulong key) => _values + key * _slotBytes;

    protected override void SetupMemory(IWorkloadHost host, int pid)
    {
        var flags = _o.Thp ? MapFlags.Thp : MapFlags.Anon;
        if (_o.Index) _index = host.Mmap(pid, _o.Keys * IndexSlotBytes, flags);
        _values = host.Mmap(pid, _o.Keys * _slotBytes, flags);
        _state = new State[Threads.NrThreads];
        for (int t = 0; t < _state.Length; t++)
        {
            _state[t].Rng = new Xoshiro256(SplitMix64.Derive(Seed, (ulong)t));
            // Only thread 0 loads; the others would rewrite the same values.
            _state[t].LoadOffset = _o.Load && t == 0 ? 0 : ulong.MaxValue;
            _state[t].Pending = new PendingAccesses();
        }
    }

    protected override bool InWarmup(int thread) => _state[thread].LoadOffset < _o.Keys * _slotBytes;

    protected override int Fill(IWorkloadHost host, int thread, ulong elapsedNs, Span<MemAccess> batch)
    {
        ref State st = ref _state[thread];
        int i = 0;
        ulong valuesBytes = _o.Keys * _slotBytes;
        if (st.LoadOffset < valuesBytes)
        {
            // The load phase writes every line; one write per page is what matters to page state
            // and keeps loading a large store cheap to simulate.
            while (i < batch.Length && st.LoadOffset < valuesBytes)
            {
                batch[i++] = new MemAccess(_values + st.LoadOffset, true);
                st.LoadOffset += PageSz - ((_values + st.LoadOffset) & (PageSz - 1));
            }
            return i;
        }
        i = st.Pending.Drain(batch, 0);
        ulong limit = _o.OpsPerThread == 0 ? ulong.MaxValue : _o.OpsPerThread;
        int need = _linesPerValue + (_o.Index ? 1 : 0);
        ulong readThreshold = _o.ReadFraction >= 1.0 ? ulong.MaxValue : (ulong)(_o.ReadFraction * ulong.MaxValue);
        var rng = st.Rng;
        ulong ops = st.Ops;
        while (i < batch.Length && ops < limit)
        {
            // Whole operations go straight into the batch; the last one may spill into Pending.
            bool fits = batch.Length - i >= need;
            Span<MemAccess> dst = fits ? batch.Slice(i, need) : st.Pending.Stage(need);
            int k = 0;
            ulong key = KeyOfRank(_zipf.Next(ref rng));
            if (_o.Index)
                dst[k++] = new MemAccess(_index + (ZipfianGenerator.FnvHash64(key ^ 0x5bd1e995UL) % _o.Keys) * IndexSlotBytes, false);
            bool write = rng.NextU64() >= readThreshold;
            ulong addr = _values + key * _slotBytes;
            for (int l = 0; l < _linesPerValue; l++)
                dst[k++] = new MemAccess(addr + (ulong)l * LineSz, write);
            ops++;
            i = fits ? i + need : st.Pending.Drain(batch, i);
        }
        st.Rng = rng;
        st.Ops = ops;
        return i;
    }
}
