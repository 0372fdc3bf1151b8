namespace Damon.Guest.Cases;

/// <summary>The guest's NUMA shape as launch.sh builds it: node0 with the CPUs, node1 CPU-less, HMAT tiers.</summary>
public static class NumaCases
{
    private const string NodeRoot = "/sys/devices/system/node";
    private const string TierRoot = "/sys/devices/virtual/memory_tiering";

    public static IEnumerable<GuestCase> All() =>
    [
        new("numa/two_nodes_node1_cpuless", TwoNodes),
        new("numa/hmat_node1_attributes", HmatNode1),
        new("numa/node1_lower_tier", Node1LowerTier),
    ];

    private static CaseResult TwoNodes(GuestContext ctx)
    {
        string online = Sysfs.Read($"{NodeRoot}/online");
        if (online != "0-1") return CaseResult.Fail($"{NodeRoot}/online is '{online}', expected '0-1'");
        var cpus0 = Sysfs.ParseList(Sysfs.Read($"{NodeRoot}/node0/cpulist"));
        var cpus1 = Sysfs.ParseList(Sysfs.Read($"{NodeRoot}/node1/cpulist"));
        int nrCpus = Environment.ProcessorCount;
        if (cpus0.Count != nrCpus) return CaseResult.Fail($"node0 has {cpus0.Count} CPUs, expected all {nrCpus}");
        if (cpus1.Count != 0) return CaseResult.Fail($"node1 has CPUs {string.Join(",", cpus1)}, expected none");
        return CaseResult.Pass();
    }

    // launch.sh: initiator node0 -> node1 latency 100 ns, bandwidth 2G bytes/s (the kernel shows MB/s: 2048).
    private static CaseResult HmatNode1(GuestContext ctx)
    {
        string dir = $"{NodeRoot}/node1/access0/initiators";
        string? latency = Sysfs.ReadIfExists($"{dir}/read_latency"), bandwidth = Sysfs.ReadIfExists($"{dir}/read_bandwidth");
        if (latency is null || bandwidth is null) return CaseResult.Fail($"{dir} has no read_latency/read_bandwidth (HMAT missing)");
        return latency == "100" && bandwidth == "2048"
            ? CaseResult.Pass()
            : CaseResult.Fail($"node1 read_latency={latency} read_bandwidth={bandwidth}, expected 100 and 2048");
    }

    // A higher memory_tierN id is a larger abstract distance, i.e. a lower (slower) tier.
    private static CaseResult Node1LowerTier(GuestContext ctx)
    {
        if (!Directory.Exists(TierRoot)) return CaseResult.Fail($"{TierRoot} is missing");
        var tierOf = new Dictionary<int, int>();
        foreach (string dir in Directory.GetDirectories(TierRoot, "memory_tier*"))
        {
            int id = int.Parse(Path.GetFileName(dir)["memory_tier".Length..]);
            foreach (int node in Sysfs.ParseList(Sysfs.Read($"{dir}/nodelist"))) tierOf[node] = id;
        }
        if (!tierOf.TryGetValue(0, out int tier0) || !tierOf.TryGetValue(1, out int tier1))
            return CaseResult.Fail($"nodes not both in a memory tier ({string.Join(" ", tierOf.Select(kv => $"node{kv.Key}=tier{kv.Value}"))})");
        return tier1 > tier0
            ? CaseResult.Pass()
            : CaseResult.Fail($"node1 is in memory_tier{tier1}, node0 in memory_tier{tier0}: node1 is not the lower tier");
    }
}
