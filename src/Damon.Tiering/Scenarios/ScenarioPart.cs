using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Composite;

namespace Damon.Tiering.Scenarios;

/// <summary>
/// One workload of a scenario file, as the simulator runs it: the catalog workload behind a host
/// that records the processes it creates (for migratepages and the hot-set series) and, with
/// <c>membind</c>, binds every mapping it makes to one node (numactl --membind: MPOL_BIND on the
/// part's mmaps and heap, through the workload catalog's <see cref="MembindHost"/>), and with
/// <c>thp</c> gives its anonymous mmaps that THP mode (<see cref="ThpMode"/>). The seed passes through unchanged, so a part runs exactly as the bare workload.
/// </summary>
public sealed class ScenarioPart(IWorkload inner, int? membindNode, IReadOnlyList<PageMove> moves, ThpMode thp = ThpMode.Madvise) : IWorkload
{
    private readonly List<int> _pids = [];
    private PartHost? _host;

    public IWorkload Inner { get; } = inner;
    /// <summary>The membind node, unless placement is off.</summary>
    public int? MembindNode => PlacementOff ? null : membindNode;
    /// <summary>
    /// Set before Setup for the all-fast baseline: no membind and no moves, so every page stays
    /// where first touch puts it (the machine's fast node, which then holds everything).
    /// </summary>
    public bool PlacementOff { get; set; }
    public IReadOnlyList<PageMove> Moves { get; } = moves;
    /// <summary>The THP mode the part's mappings get; set before Setup to override the file's (the thp=never baseline).</summary>
    public ThpMode Thp { get; set; } = thp;
    /// <summary>The processes the part created, in creation order.</summary>
    public IReadOnlyList<int> Pids => _pids;

    public string Name => Inner.Name;

    public void Setup(IWorkloadHost host) => Inner.Setup(Wrap(host));

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs) =>
        Inner.NextBatch(Wrap(host), tid, nowNs, batch, out computeNs);

    private PartHost Wrap(IWorkloadHost host)
    {
        if (_host is null || !ReferenceEquals(_host.Outer, host))
        {
            // numactl --membind: the catalog's own MembindHost (mmaps and brk bound to the node).
            IWorkloadHost bound = MembindNode is int n ? new MembindHost(host, host as SimMachine, n) : host;
            _host = new PartHost(host, bound, this);
        }
        return _host;
    }

    /// <summary>
    /// migratepages: every mapped page of the part's processes to <paramref name="node"/>, page by
    /// page in address order (a folio moves whole). Not charged to the application: another
    /// process does it. Adds the pages moved per source node to <paramref name="movedFrom"/>.
    /// </summary>
    public void MigrateTo(SimMachine m, int node, ulong[] movedFrom)
    {
        if (PlacementOff) return;
        foreach (int pid in _pids)
            foreach (var vma in m.Process(pid).Vmas)
                for (ulong a = vma.Start; a < vma.End; a += PageSizes.PageSize)
                    if (m.TryTranslate(pid, a, out uint frame) && m.NodeOfFrame(frame) is int src && src != node)
                        movedFrom[src] += m.MigrateFolio(frame, node, out _, this);
    }

    /// <summary>Records the part's processes; <paramref name="inner"/> is the (possibly membind-wrapped) <paramref name="outer"/>.</summary>
    private sealed class PartHost(IWorkloadHost outer, IWorkloadHost inner, ScenarioPart part) : IWorkloadHost
    {
        public IWorkloadHost Outer => outer;
        public ulong Seed => inner.Seed;

        public int CreateProcess(string name, ulong memcgId = 0)
        {
            int pid = inner.CreateProcess(name, memcgId);
            part._pids.Add(pid);
            return pid;
        }

        public int CreateThread(int pid, int cpu) => inner.CreateThread(pid, cpu);

        public ulong Mmap(int pid, ulong sizeBytes, MapFlags flags = MapFlags.Anon, MemPolicy? policy = null) =>
            inner.Mmap(pid, sizeBytes, ThpModes.Apply(part.Thp, flags), policy);

        public ulong Brk(int pid, ulong growBytes) => inner.Brk(pid, growBytes);
        public void Munmap(int pid, ulong addr, ulong sizeBytes) => inner.Munmap(pid, addr, sizeBytes);
    }
}
