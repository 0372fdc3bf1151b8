using Damon.Sim.Workloads.Rng;

namespace Damon.Sim.Workloads.Gaussian;

/// <summary>
/// pmbench-like normal access pattern: each access picks a page from a normal distribution over
/// the footprint (mean and sigma as fractions of it; draws outside are redrawn, i.e. a truncated
/// normal) and touches a random 64-byte line in it; a share of the accesses are writes.
/// </summary>
public sealed class GaussianWorkload : SyntheticWorkload
{
    private const ulong PageSz = 4096;
    private const ulong LineSz = 64;

    private readonly GaussianOptions _o;
    private readonly ulong _nrPages;
    private ulong _base;
    private State[] _state = [];

    private struct State
    {
        public Xoshiro256 Rng;
        public double Spare;
        public bool HasSpare;
        public ulong Accesses;
    }

    public GaussianWorkload(GaussianOptions options)
        : base("gauss", options.Threads, options.DurationNs, options.ComputeNsPerAccess)
    {
        _o = options;
        _nrPages = options.SizeBytes / PageSz;
        if (_nrPages == 0) throw new ArgumentException("gauss: size must be at least one page");
    }

    public GaussianOptions Options => _o;
    public ulong Start => _base;

    protected override void SetupMemory(IWorkloadHost host, int pid)
    {
        _base = host.Mmap(pid, _nrPages * PageSz, _o.Thp ? MapFlags.Thp : MapFlags.Anon);
        _state = new State[Threads.NrThreads];
        for (int t = 0; t < _state.Length; t++)
            _state[t].Rng = new Xoshiro256(SplitMix64.Derive(Seed, (ulong)t));
    }

    protected override int Fill(IWorkloadHost host, int thread, ulong elapsedNs, Span<MemAccess> batch)
    {
        ref State st = ref _state[thread];
        ulong limit = _o.AccessesPerThread == 0 ? ulong.MaxValue : _o.AccessesPerThread;
        double meanPages = _o.Mean * _nrPages, sigmaPages = _o.Sigma * _nrPages;
        ulong readThreshold = _o.ReadFraction >= 1.0 ? ulong.MaxValue : (ulong)(_o.ReadFraction * ulong.MaxValue);
        int i = 0;
        while (i < batch.Length && st.Accesses < limit)
        {
            double page;
            do page = meanPages + sigmaPages * NextNormal(ref st);
            while (page < 0 || page >= _nrPages);
            ulong addr = _base + (ulong)page * PageSz + st.Rng.NextBelow(PageSz / LineSz) * LineSz;
            batch[i++] = new MemAccess(addr, st.Rng.NextU64() >= readThreshold);
            st.Accesses++;
        }
        return i;
    }

    // Box–Muller: two independent standard normals per pair of uniforms.
    private static double NextNormal(ref State st)
    {
        if (st.HasSpare) { st.HasSpare = false; return st.Spare; }
        double u1 = 1.0 - st.Rng.NextDouble();    // (0, 1]: log is finite
        double u2 = st.Rng.NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        (double sin, double cos) = Math.SinCos(2 * Math.PI * u2);
        st.Spare = r * sin;
        st.HasSpare = true;
        return r * cos;
    }
}
