using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Tiering.Harness;
using Damon.Tiering.Policy;

namespace Damon.Tiering.Colloid;

/// <summary>
/// Colloid (SOSP'24, tiering.md §2.7): place pages so that the tiers' loaded access latencies are
/// equal instead of packing the hottest pages into the fast tier. Each quantum it reads both
/// tiers' loaded latency (Colloid derives it from queue occupancy and request rate, Little's law;
/// here the machine's loaded-latency model gives the same quantity for reads from the application's
/// socket) and the share p of the application's accesses the fast tier served. When the fast
/// tier is slower by more than ε it moves access probability Δp = min(MaxShift, p·(L_f−L_s)/(L_f+L_s))
/// to the slow tier by demoting the fast tier's hottest pages; when it is faster and the slow tier
/// holds hot pages, it promotes the slow tier's hottest pages by the mirrored Δp, while the fast
/// node has room. Hotness is HeMem's kind of per-page access count, taken from the quantum's
/// per-page counts (PEBS without sampling loss). Moves are asynchronous and bounded per quantum.
/// </summary>
public sealed class ColloidPolicy(ColloidParams? p = null) : TieringPolicyBase
{
    public ColloidParams Params { get; } = p ?? new ColloidParams();
    public override string Name => "colloid";
    public override ulong TickIntervalUs => Params.QuantumMs * 1000;
    public override bool NeedsGroundTruth => true;

    /// <summary>Pages demoted and promoted for latency balance.</summary>
    public ulong NrDemotedPages { get; private set; }
    public ulong NrPromotedPages { get; private set; }

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    protected override void OnAttach() => Machine.EnableGroundTruth();

    protected override void OnTick(ulong nowUs)
    {
        var w = Machine.GroundTruth!.CloseWindow(nowUs * 1000);
        try
        {
            Balance(w);
        }
        finally
        {
            Machine.GroundTruth.Recycle(w);
        }
    }

    private void Balance(Damon.Sim.GroundTruth.AccessWindow w)
    {
        var fast = Hot(w, Nodes.Fast, out ulong fastAcc);
        var slow = Hot(w, Nodes.Slow, out ulong slowAcc);
        ulong total = fastAcc + slowAcc;
        if (total == 0) return;
        double lf = Machine.Latency.LatencyNs(0, Nodes.Fast, write: false);
        double ls = Machine.Latency.LatencyNs(0, Nodes.Slow, write: false);
        double pFast = (double)fastAcc / total;
        if (lf > ls * (1 + Params.Epsilon))
        {
            double dp = Math.Min(Params.MaxShift, pFast * (lf - ls) / (lf + ls));
            NrDemotedPages += Move(fast, dp * total, Nodes.Slow, ulong.MaxValue);
        }
        else if (ls > lf * (1 + Params.Epsilon) && slowAcc > 0)
        {
            double dp = Math.Min(Params.MaxShift, (1 - pFast) * (ls - lf) / (lf + ls));
            Machine.TryGetNodeMem(Nodes.Fast, out _, out ulong freeBytes);
            NrPromotedPages += Move(slow, dp * total, Nodes.Fast, freeBytes >> PageSizes.PageShift);
        }
    }

    /// <summary>The application's accessed folios on a node, hottest first.</summary>
    private List<(uint Head, ulong Accesses, uint NrPages)> Hot(Damon.Sim.GroundTruth.AccessWindow w, int nid, out ulong sum)
    {
        var list = new List<(uint, ulong, uint)>();
        sum = 0;
        int prefillPid = Machine.Processes.FirstOrDefault(p => p.Name == PrefilledWorkload.ProcessName)?.Pid ?? -1;
        foreach (uint head in FramePages.MappedFolios(Machine, nid))
        {
            if (Machine.Frames.OwnerPid(head) == prefillPid) continue;
            uint nr = Machine.Frames.FolioNrPages(head);
            ulong acc = 0;
            for (uint i = 0; i < nr; i++) acc += w.Count(head + i);
            if (acc == 0) continue;
            sum += acc;
            list.Add((head, acc, nr));
        }
        // Hottest first; frame order breaks ties so the run is deterministic.
        list.Sort((a, b) => a.Item2 != b.Item2 ? b.Item2.CompareTo(a.Item2) : a.Item1.CompareTo(b.Item1));
        return list;
    }

    /// <summary>Move hottest-first folios until their accesses reach <paramref name="mass"/>, within the byte budget and <paramref name="roomPages"/>.</summary>
    private ulong Move(List<(uint Head, ulong Accesses, uint NrPages)> folios, double mass, int dst, ulong roomPages)
    {
        ulong budget = Math.Min(Params.MoveBytesPerQuantum >> PageSizes.PageShift, roomPages);
        ulong moved = 0;
        double movedMass = 0;
        foreach (var f in folios)
        {
            if (movedMass >= mass || moved + f.NrPages > budget) break;
            moved += MigrateAsync(f.Head, dst);
            movedMass += f.Accesses;
        }
        return moved;
    }
}
