using Damon.Sim.Memory;
using Damon.Sim.Workloads;

namespace Damon.Tiering.Thp;

/// <summary>
/// One process of a THP scenario: it maps <see cref="SizeBytes"/>, writes every
/// <see cref="TouchEveryPages"/>-th page once in address order (where the THP fault path decides
/// huge or base pages), then — unless <see cref="IdleAfterInit"/> — reads its touched pages
/// uniformly at random, one access per <see cref="ComputeNsPerAccess"/> of CPU.
/// </summary>
public sealed record ThpProcess(string Name, ulong SizeBytes, uint TouchEveryPages, ulong ComputeNsPerAccess, bool IdleAfterInit)
{
    /// <summary>Pages touched: the used memory of this process with base pages.</summary>
    public ulong NrTouchedPages => (SizeBytes / PageSizes.PageSize + TouchEveryPages - 1) / TouchEveryPages;
}

/// <summary>
/// The processes of a THP scenario, one thread each. With <c>thpAlways</c> their mappings ask
/// for THP at fault time (transparent_hugepage/enabled = always); otherwise never. Each thread's
/// random choices come from its own xorshift generator seeded from the machine seed, so runs with
/// one seed are identical whatever the policy does.
/// </summary>
public sealed class ThpWorkload(IReadOnlyList<ThpProcess> processes, bool thpAlways) : IWorkload
{
    private sealed class State
    {
        public required ThpProcess Spec;
        public int Pid;
        public ulong Base;
        public ulong NextInit;
        public ulong Rng;
    }

    private readonly Dictionary<int, State> _byTid = [];

    public string Name => thpAlways ? "thp-always" : "thp-never";
    public IReadOnlyList<ThpProcess> Processes { get; } = processes;
    /// <summary>Pids by process name, after setup.</summary>
    public Dictionary<string, int> Pids { get; } = [];

    public void Setup(IWorkloadHost host)
    {
        for (int i = 0; i < Processes.Count; i++)
        {
            var spec = Processes[i];
            int pid = host.CreateProcess(spec.Name);
            int tid = host.CreateThread(pid, i);
            ulong b = host.Mmap(pid, spec.SizeBytes, thpAlways ? MapFlags.Thp : MapFlags.Anon);
            _byTid[tid] = new State { Spec = spec, Pid = pid, Base = b, Rng = (host.Seed * 0x9E37_79B9_7F4A_7C15UL) ^ (ulong)(i + 1) * 0xBF58_476D_1CE4_E5B9UL | 1 };
            Pids[spec.Name] = pid;
        }
    }

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
    {
        var s = _byTid[tid];
        var spec = s.Spec;
        ulong nrTouched = spec.NrTouchedPages;
        int n = 0;
        computeNs = 0;
        while (n < batch.Length && s.NextInit < nrTouched)
        {
            batch[n++] = new MemAccess(s.Base + s.NextInit * spec.TouchEveryPages * PageSizes.PageSize, true);
            s.NextInit++;
        }
        if (n > 0)
        {
            computeNs = (ulong)n * spec.ComputeNsPerAccess;
            return n;
        }
        if (spec.IdleAfterInit)
            return 0;
        for (; n < batch.Length; n++)
        {
            ulong r = Next(ref s.Rng);
            ulong page = r % nrTouched;
            ulong line = (r >> 40) & 63;
            batch[n] = new MemAccess(s.Base + page * spec.TouchEveryPages * PageSizes.PageSize + line * 64, false);
        }
        computeNs = (ulong)n * spec.ComputeNsPerAccess;
        return n;
    }

    private static ulong Next(ref ulong x)
    {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    }
}
