using Damon.Sim.Workloads.Catalog;

namespace Damon.Sim.Workloads.ColdBulk;

/// <summary>
/// A cold bulk allocation that creates fast-tier pressure, as in SK hynix's DAMON tiering
/// evaluation (mmap + memset of a large idle block before the application starts): one thread
/// writes every page of a SizeBytes mapping once, in address order, then exits. The mapping stays
/// (nothing unmaps it), so its pages occupy memory and are never touched again.
/// </summary>
public sealed class ColdBulkWorkload : SyntheticWorkload
{
    private const ulong PageSz = 4096;

    private ulong _base;
    private ulong _offset;

    public ColdBulkWorkload(ulong sizeBytes, bool thp = false, int cpu = 0, double computeNsPerPage = 300)
        : base("coldbulk", new ThreadPlacement(1, [cpu]), 0, computeNsPerPage)
    {
        if (sizeBytes < PageSz) throw new ArgumentException("coldbulk: size must be at least one page");
        SizeBytes = sizeBytes / PageSz * PageSz;
        Thp = thp;
    }

    public ulong SizeBytes { get; }
    public bool Thp { get; }
    public ulong Start => _base;

    public static readonly string[] Keys = ["size", "thp", "cpus", "cpuns"];

    public static ColdBulkWorkload From(WorkloadArgs a)
    {
        var w = new ColdBulkWorkload(
            a.GetMappedSize("size", 1UL << 30, PageSz),
            a.GetBool("thp", false),
            a.GetCpuList("cpus", [0])[0],
            a.GetDouble("cpuns", 300, 0, 1e9));
        a.RejectUnknown("coldbulk", Keys);
        return w;
    }

    protected override void SetupMemory(IWorkloadHost host, int pid) =>
        _base = host.Mmap(pid, SizeBytes, Thp ? MapFlags.Thp : MapFlags.Anon);

    protected override int Fill(IWorkloadHost host, int thread, ulong elapsedNs, Span<MemAccess> batch)
    {
        int i = 0;
        while (i < batch.Length && _offset < SizeBytes)
        {
            batch[i++] = new MemAccess(_base + _offset, true);
            _offset += PageSz;
        }
        return i;
    }
}
