using Damon.Sim.Workloads.Rng;

namespace Damon.Sim.Workloads.Churn;

/// <summary>
/// Periodic hot/cold churn, like the artificial hot↔cold swap in SJ Park's self-tuned DAMON tiering
/// evaluation: the footprint is cut into units; HotFraction of them are hot; every PeriodNs of
/// simulated time MoveFraction of the hot units swap places with randomly chosen cold units.
/// Accesses hit a random line of a random hot unit with probability HotProb, else of a cold unit.
/// </summary>
public sealed class ChurnWorkload : SyntheticWorkload
{
    private const ulong LineSz = 64;

    private readonly ChurnOptions _o;
    private readonly uint[] _perm;        // _perm[0.._nrHot) are the hot units
    private readonly ulong _nrUnits, _nrHot, _nrMoves;
    private Xoshiro256 _churnRng;
    private ulong _epoch;
    private ulong _base;
    private Xoshiro256[] _rng = [];

    public ChurnWorkload(ChurnOptions options)
        : base("churn", options.Threads, options.DurationNs, options.ComputeNsPerAccess)
    {
        _o = options;
        if (options.UnitBytes % LineSz != 0) throw new ArgumentException("churn: unit must be a multiple of 64 bytes");
        _nrUnits = options.SizeBytes / options.UnitBytes;
        if (_nrUnits < 2) throw new ArgumentException("churn: size must hold at least two units");
        if (_nrUnits > uint.MaxValue) throw new ArgumentException("churn: too many units; use a larger unit");
        _nrHot = Math.Clamp((ulong)Math.Round(options.HotFraction * _nrUnits), 1, _nrUnits - 1);
        _nrMoves = (ulong)Math.Round(options.MoveFraction * _nrHot);
        _perm = new uint[_nrUnits];
    }

    public ChurnOptions Options => _o;
    public ulong Start => _base;
    public ulong NrUnits => _nrUnits;
    public ulong NrHotUnits => _nrHot;

    /// <summary>Number of periods applied so far.</summary>
    public ulong Epoch => _epoch;

    /// <summary>The hot units now (unit i covers [Start + i·unit, Start + (i+1)·unit)).</summary>
    public IEnumerable<uint> HotUnits => _perm.Take((int)_nrHot);

    protected override void SetupMemory(IWorkloadHost host, int pid)
    {
        _base = host.Mmap(pid, _nrUnits * _o.UnitBytes, _o.Thp ? MapFlags.Thp : MapFlags.Anon);
        _churnRng = new Xoshiro256(SplitMix64.Derive(Seed, 0xC4C4));
        for (uint i = 0; i < _perm.Length; i++) _perm[i] = i;
        // The initial hot set is a random choice of units, not the first ones.
        for (ulong i = 0; i < _nrHot; i++)
        {
            ulong j = i + _churnRng.NextBelow(_nrUnits - i);
            (_perm[i], _perm[j]) = (_perm[j], _perm[i]);
        }
        _rng = new Xoshiro256[Threads.NrThreads];
        for (int t = 0; t < _rng.Length; t++) _rng[t] = new Xoshiro256(SplitMix64.Derive(Seed, (ulong)t));
    }

    // The hot set is shared by all threads: the first thread whose clock enters a new period
    // applies the swaps, so the sequence of hot sets depends only on the seed.
    private void AdvanceTo(ulong epoch)
    {
        while (_epoch < epoch)
        {
            for (ulong m = 0; m < _nrMoves; m++)
            {
                ulong h = _churnRng.NextBelow(_nrHot);
                ulong c = _nrHot + _churnRng.NextBelow(_nrUnits - _nrHot);
                (_perm[h], _perm[c]) = (_perm[c], _perm[h]);
            }
            _epoch++;
        }
    }

    protected override int Fill(IWorkloadHost host, int thread, ulong elapsedNs, Span<MemAccess> batch)
    {
        AdvanceTo(elapsedNs / _o.PeriodNs);
        ref Xoshiro256 rng = ref _rng[thread];
        ulong hotThreshold = _o.HotProb >= 1.0 ? ulong.MaxValue : (ulong)(_o.HotProb * ulong.MaxValue);
        ulong readThreshold = _o.ReadFraction >= 1.0 ? ulong.MaxValue : (ulong)(_o.ReadFraction * ulong.MaxValue);
        ulong linesPerUnit = _o.UnitBytes / LineSz;
        ulong nrCold = _nrUnits - _nrHot;
        for (int i = 0; i < batch.Length; i++)
        {
            ulong slot = rng.NextU64() < hotThreshold ? rng.NextBelow(_nrHot) : _nrHot + rng.NextBelow(nrCold);
            ulong addr = _base + _perm[slot] * _o.UnitBytes + rng.NextBelow(linesPerUnit) * LineSz;
            batch[i] = new MemAccess(addr, rng.NextU64() >= readThreshold);
        }
        return batch.Length;
    }
}
