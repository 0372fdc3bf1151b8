namespace Damon.Sim.Machine;

/// <summary>
/// A simulated machine: nodes, sockets, node distances, and the cost models. Immutable; build one
/// in code, take <see cref="DefaultTwoTier"/>, or load a machine file (<see cref="MachineFile"/>).
/// </summary>
public sealed record MachineSpec
{
    public string Name { get; init; } = "machine";
    public IReadOnlyList<NodeSpec> Nodes { get; init; } = [];
    public IReadOnlyList<SocketSpec> Sockets { get; init; } = [];
    /// <summary>SLIT-style distances, 10 = local; Distances[i][j] from node i to node j.</summary>
    public IReadOnlyList<int[]> Distances { get; init; } = [];
    public MigrationCostSpec Migration { get; init; } = new();
    public FaultCostSpec Faults { get; init; } = new();
    public SwapSpec Swap { get; init; } = new();
    public WatermarkSpec Watermarks { get; init; } = new();
    public LoadedLatencySpec LoadedLatency { get; init; } = new();
    /// <summary>The "Linux default" background: kswapd watermarks, LRU aging and reclaim.</summary>
    public bool LinuxDefault { get; init; } = true;
    /// <summary>Reclaim demotes to the next lower tier instead of swapping (numa/demotion_enabled).</summary>
    public bool DemotionEnabled { get; init; } = true;
    /// <summary>
    /// Model each socket's last-level cache and each thread's TLB (<see cref="SocketSpec.Cache"/>):
    /// LLC hits cost the hit latency whatever node holds the line, and the accessed bit is set only
    /// on a TLB miss. Off: the flat model, every access a memory access that sets the accessed bit.
    /// </summary>
    public bool Caches { get; init; } = true;

    /// <summary>
    /// One DRAM node with 16 CPUs and one CPU-less CXL node (tiering.md §3.1: 90 ns vs 220 ns idle,
    /// 72 GB/s vs 26 GB/s as in the AMD example there).
    /// </summary>
    public static MachineSpec DefaultTwoTier(ulong dramBytes = 32UL << 30, ulong cxlBytes = 64UL << 30) => new()
    {
        Name = "two-tier",
        Nodes =
        [
            new NodeSpec(0, dramBytes, 90, 90, 72, 0),
            new NodeSpec(1, cxlBytes, 220, 220, 26, 1),
        ],
        Sockets = [new SocketSpec(0, 0, Enumerable.Range(0, 16).ToArray())],
        Distances = [[10, 20], [20, 10]],
    };

    public int NrCpus => Sockets.Sum(s => s.Cpus.Length);

    /// <summary>Check every rule; throws <see cref="MachineSpecException"/> naming the field.</summary>
    public void Validate()
    {
        if (Nodes.Count == 0)
            throw new MachineSpecException("nodes", "at least one node is required");
        if (Nodes.Count > 64)
            throw new MachineSpecException("nodes", "at most 64 nodes are supported");
        ulong totalPages = 0;
        for (int i = 0; i < Nodes.Count; i++)
        {
            var n = Nodes[i];
            string f = $"nodes[{i}]";
            if (n.Id != i)
                throw new MachineSpecException($"{f}.id", $"node ids must be 0..{Nodes.Count - 1} in order (got {n.Id})");
            if (n.CapacityBytes == 0 || n.CapacityBytes % (2UL << 20) != 0)
                throw new MachineSpecException($"{f}.capacity", "must be a positive multiple of 2 MiB");
            if (n.ReadLatencyNs == 0)
                throw new MachineSpecException($"{f}.read_latency_ns", "must be > 0");
            if (n.WriteLatencyNs == 0)
                throw new MachineSpecException($"{f}.write_latency_ns", "must be > 0");
            if (!(n.BandwidthGBps > 0) || double.IsInfinity(n.BandwidthGBps))
                throw new MachineSpecException($"{f}.bandwidth_gbps", "must be a finite number > 0");
            if (n.Tier < 0)
                throw new MachineSpecException($"{f}.tier", "must be >= 0");
            totalPages += n.CapacityBytes >> 12;
        }
        if (totalPages >= (1UL << 31) - (ulong)Nodes.Count * (1UL << 18))
            throw new MachineSpecException("nodes", "total capacity must stay below 8 TiB");
        if (Sockets.Count == 0)
            throw new MachineSpecException("sockets", "at least one socket is required");
        var seenCpus = new HashSet<int>();
        for (int i = 0; i < Sockets.Count; i++)
        {
            var s = Sockets[i];
            string f = $"sockets[{i}]";
            if (s.Id != i)
                throw new MachineSpecException($"{f}.id", $"socket ids must be 0..{Sockets.Count - 1} in order (got {s.Id})");
            if (s.Node < 0 || s.Node >= Nodes.Count)
                throw new MachineSpecException($"{f}.node", $"must name an existing node (0..{Nodes.Count - 1})");
            if (s.Cpus.Length == 0)
                throw new MachineSpecException($"{f}.cpus", "a socket needs at least one CPU");
            foreach (int c in s.Cpus)
                if (c < 0 || !seenCpus.Add(c))
                    throw new MachineSpecException($"{f}.cpus", $"CPU {c} is negative or listed twice");
            if (Caches)
                s.Cache.Validate(f);
        }
        for (int c = 0; c < seenCpus.Count; c++)
            if (!seenCpus.Contains(c))
                throw new MachineSpecException("sockets", $"CPUs must be numbered 0..{seenCpus.Count - 1} without holes (missing {c})");
        if (Distances.Count != Nodes.Count)
            throw new MachineSpecException("distances", $"must be a {Nodes.Count}x{Nodes.Count} matrix");
        for (int i = 0; i < Nodes.Count; i++)
        {
            if (Distances[i].Length != Nodes.Count)
                throw new MachineSpecException($"distances[{i}]", $"must have {Nodes.Count} entries");
            for (int j = 0; j < Nodes.Count; j++)
            {
                int d = Distances[i][j];
                if (i == j && d != 10)
                    throw new MachineSpecException($"distances[{i}][{j}]", "a node's distance to itself must be 10");
                if (i != j && d <= 10)
                    throw new MachineSpecException($"distances[{i}][{j}]", "distances between nodes must be > 10");
                if (d > 254)
                    throw new MachineSpecException($"distances[{i}][{j}]", "must be <= 254");
            }
        }
        var w = Watermarks;
        if (!(w.MinPermil < w.LowPermil && w.LowPermil < w.HighPermil && w.HighPermil < 1000))
            throw new MachineSpecException("watermarks", "needs min_permil < low_permil < high_permil < 1000");
        var l = LoadedLatency;
        if (l.WindowUs == 0)
            throw new MachineSpecException("loaded_latency.window_us", "must be > 0");
        if (!(l.MaxUtilization > 0 && l.MaxUtilization < 1))
            throw new MachineSpecException("loaded_latency.max_utilization", "must be in (0, 1)");
        if (!(l.Smoothing > 0 && l.Smoothing <= 1))
            throw new MachineSpecException("loaded_latency.smoothing", "must be in (0, 1]");
        if (l.AccessBytes == 0)
            throw new MachineSpecException("loaded_latency.access_bytes", "must be > 0");
        if (!(Migration.CopyBandwidthGBps > 0))
            throw new MachineSpecException("migration.copy_bandwidth_gbps", "must be > 0");
        if (!(Migration.ThpCopyBandwidthGBps > 0))
            throw new MachineSpecException("migration.thp_copy_bandwidth_gbps", "must be > 0");
        if (Swap.CapacityBytes % 4096 != 0)
            throw new MachineSpecException("swap.capacity", "must be a multiple of 4 KiB");
    }
}
