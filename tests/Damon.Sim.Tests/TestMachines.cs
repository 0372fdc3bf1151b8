using Damon.Sim.Machine;
using Damon.Sim.Workloads;

namespace Damon.Sim.Tests;

/// <summary>Small machines and helpers for driving them without a workload.</summary>
internal static class TestMachines
{
    public const ulong MiB = 1UL << 20;

    /// <summary>
    /// The default two-tier machine, small. Caches are off unless asked for: the kernel-fidelity
    /// tests' exact expectations assume the flat model (every access sets the accessed bit and
    /// costs its node's latency); the cache model's own tests pass <paramref name="caches"/>.
    /// </summary>
    public static MachineSpec TwoTier(ulong dramMiB = 64, ulong cxlMiB = 256, bool linuxDefault = false, bool caches = false) =>
        MachineSpec.DefaultTwoTier(dramMiB * MiB, cxlMiB * MiB) with { LinuxDefault = linuxDefault, Caches = caches };

    /// <summary>A machine with one process (pid 1) and one thread (tid 1) on CPU 0.</summary>
    public static SimMachine WithProcess(MachineSpec spec, out int pid, out int tid, ulong memcgId = 0)
    {
        var m = new SimMachine(spec, seed: 7);
        pid = m.CreateProcess("test", memcgId);
        tid = m.CreateThread(pid, 0);
        return m;
    }

    /// <summary>Touch every page of [addr, addr + len) once from <paramref name="tid"/>.</summary>
    public static void Touch(SimMachine m, int tid, ulong addr, ulong len, bool write = false)
    {
        var batch = new List<MemAccess>();
        for (ulong a = addr; a < addr + len; a += 4096)
            batch.Add(new MemAccess(a, write));
        m.RunBatch(m.Thread(tid), batch.ToArray(), 0);
    }

    public static ulong PagesOnNode(SimMachine m, int pid, ulong addr, ulong len, int nid)
    {
        ulong n = 0;
        for (ulong a = addr; a < addr + len; a += 4096)
            if (m.NodeOfAddr(pid, a) == nid) n++;
        return n;
    }
}

/// <summary>
/// One process, one thread: a mapping of <paramref name="sizeBytes"/> of which
/// [hotOffset, hotOffset + hotBytes) gets <paramref name="hotPermil"/> of the accesses, chosen by
/// its own xorshift generator so runs are reproducible. With <c>populate</c> it first writes every
/// page in address order.
/// </summary>
internal sealed class HotRangeWorkload(ulong sizeBytes, ulong hotOffset, ulong hotBytes, uint hotPermil = 900,
    ulong computeNsPerAccess = 20, MapFlags flags = MapFlags.Anon, int nrThreads = 1, bool populate = false) : IWorkload
{
    private ulong _rng;
    private ulong _populated;
    public string Name => "hot-range";
    public int Pid { get; private set; }
    public ulong Base { get; private set; }

    public void Setup(IWorkloadHost host)
    {
        _rng = host.Seed * 0x9E3779B97F4A7C15UL | 1;
        Pid = host.CreateProcess("hot-range");
        for (int i = 0; i < nrThreads; i++)
            host.CreateThread(Pid, i);
        Base = host.Mmap(Pid, sizeBytes, flags);
    }

    private ulong Next()
    {
        _rng ^= _rng << 13;
        _rng ^= _rng >> 7;
        _rng ^= _rng << 17;
        return _rng;
    }

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
    {
        if (populate && _populated < sizeBytes)
        {
            // Touch every page once, in address order (like memset after mmap).
            int n = 0;
            for (; n < batch.Length && _populated < sizeBytes; n++, _populated += 4096)
                batch[n] = new MemAccess(Base + _populated, true);
            computeNs = 0;
            return n;
        }
        for (int i = 0; i < batch.Length; i++)
        {
            ulong r = Next();
            ulong off = (r >> 32) % 1000 < hotPermil
                ? hotOffset + (r & 0xffff_ffff) % hotBytes
                : (r & 0xffff_ffff) * 4096 % sizeBytes;
            batch[i] = new MemAccess(Base + (off & ~7UL), (r & 3) == 0);
        }
        computeNs = (ulong)batch.Length * computeNsPerAccess;
        return batch.Length;
    }
}
