using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;

namespace Damon.Tiering.Harness;

/// <summary>
/// The SK hynix set-up (tiering.md §2.2): a cold bulk allocation (mmap + memset) done before the
/// application starts, so it takes fast-tier memory first. The fill runs during Setup through the
/// machine's access path on its own thread, which then has nothing more to do.
/// </summary>
public sealed class PrefilledWorkload(IWorkload app, ulong coldBytes) : IWorkload
{
    public const string ProcessName = "coldbulk-prefill";
    private int _coldTid = -1;

    public string Name => $"prefill({coldBytes >> 20}MiB)+{app.Name}";

    public void Setup(IWorkloadHost host)
    {
        if (coldBytes > 0)
        {
            var m = host as SimMachine ?? throw new InvalidOperationException("the pre-fill needs the simulated machine as host");
            int pid = m.CreateProcess(ProcessName);
            _coldTid = m.CreateThread(pid, 0);
            ulong start = m.Mmap(pid, coldBytes);
            var th = m.Thread(_coldTid);
            var batch = new MemAccess[256];
            for (ulong off = 0; off < coldBytes;)
            {
                int n = 0;
                for (; n < batch.Length && off < coldBytes; n++, off += PageSizes.PageSize)
                    batch[n] = new MemAccess(start + off, true);
                m.RunBatch(th, batch.AsSpan(0, n), 0);
            }
            // The fill's time is not the application's: the cold thread starts the run finished.
        }
        app.Setup(host);
    }

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
    {
        if (tid == _coldTid)
        {
            computeNs = 0;
            return 0;
        }
        return app.NextBatch(host, tid, nowNs, batch, out computeNs);
    }
}
