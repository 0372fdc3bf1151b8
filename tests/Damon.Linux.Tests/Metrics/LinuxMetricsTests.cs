using Damon.Linux.Metrics;
using Damon.Linux.Procfs;
using Xunit;

namespace Damon.Linux.Tests.Metrics;

public class LinuxMetricsTests
{
    private static LinuxMetrics TwoNode(string cgroup = "cgroup") => new(
        FixturePath.Of("twonode", "proc"), FixturePath.Of("twonode", "sys"), FixturePath.Of("twonode", cgroup));

    [Fact]
    public void Free_mem_rate_is_memfree_per_mille_of_memtotal_rounded_down()
    {
        // 710656 kB free of 1021952 kB: 695.39 per mille.
        Assert.Equal(695UL, TwoNode().FreeMemRatePermil());
    }

    [Fact]
    public void Node_memory_comes_from_each_nodes_meminfo()
    {
        var m = TwoNode();
        Assert.True(m.TryGetNodeMem(0, out ulong t0, out ulong f0));
        Assert.Equal((497664UL * 1024, 301056UL * 1024), (t0, f0));
        Assert.True(m.TryGetNodeMem(1, out ulong t1, out ulong f1));
        Assert.Equal((524288UL * 1024, 409600UL * 1024), (t1, f1));
        Assert.False(m.TryGetNodeMem(2, out _, out _));
        Assert.False(m.TryGetNodeMem(-1, out _, out _));
    }

    [Fact]
    public void Lru_sizes_and_psi_come_from_proc()
    {
        var m = TwoNode();
        m.GetLruSizes(out ulong active, out ulong inactive);
        Assert.Equal((51200UL * 1024, 71680UL * 1024), (active, inactive));
        Assert.Equal(4242UL, m.SomeMemPsiTotalUs());
    }

    [Fact]
    public void Memcg_node_usage_is_the_lru_bytes_of_the_v2_numa_stat()
    {
        var m = TwoNode();
        Assert.Equal(CgroupMemoryVersion.V2, m.MemoryHierarchy.Version);
        ulong id = m.Memcgs.IdOf("/w");
        Assert.Equal("/w", m.Memcgs.PathOf(id));
        Assert.True(m.TryGetMemcgNodeUsage(id, 0, out ulong n0));
        Assert.Equal(6344448UL + 100000000 + 4096 + 0, n0);
        Assert.True(m.TryGetMemcgNodeUsage(id, 1, out ulong n1));
        Assert.Equal(4873984UL + 100000000, n1);
        Assert.False(m.TryGetMemcgNodeUsage(id + 1_000_000_007, 0, out _));
    }

    [Fact]
    public void A_hybrid_host_keeps_memory_in_v1_and_its_pages_become_bytes()
    {
        var m = TwoNode("cgroupv1");
        Assert.Equal(CgroupMemoryVersion.V1, m.MemoryHierarchy.Version);
        Assert.Equal(FixturePath.Of("twonode", "cgroupv1", "memory"), m.MemoryHierarchy.Root);
        ulong id = m.Memcgs.IdOf("/job");
        Assert.True(m.TryGetMemcgNodeUsage(id, 1, out ulong n1));
        Assert.Equal((2UL + 8) * 4096, n1);
        Assert.True(m.TryGetMemcgNodeUsage(m.Memcgs.IdOf("/"), 0, out ulong root0));
        Assert.Equal((200UL + 100) * 4096, root0);
    }

    [Fact]
    public void No_memory_controller_is_said_and_memcg_paths_are_refused()
    {
        using var dir = new TempDir();
        var h = CgroupMemoryHierarchy.Detect(dir.Path);
        Assert.Equal(CgroupMemoryVersion.None, h.Version);
        var e = Assert.Throws<Damon.Config.ConfigException>(() => new CgroupMemcgResolver(h).IdOf("/x"));
        Assert.Contains("no memory controller under " + dir.Path, e.Message);
    }

    [Fact]
    public void Numa_stat_items_parse_exactly()
    {
        var s = CgroupNumaStat.Read(FixturePath.Of("twonode", "cgroup", "w", "memory.numa_stat"));
        Assert.Equal(106344448UL, s.BytesOn("anon", 0));
        Assert.Equal(104873984UL, s.BytesOn("anon", 1));
        var stat = CgroupMemoryStat.Read(FixturePath.Of("twonode", "cgroup", "w", "memory.stat"));
        Assert.Equal(211218432UL, stat["anon"]);
        var e = Assert.Throws<LinuxSourceException>(() => CgroupNumaStat.Parse("anon N0=1 X\n", "ns"));
        Assert.Equal("ns: line 1: anon: expected N<node>=<value>, found 'X'", e.Message);
    }

    [Fact]
    public void Topology_has_distances_cpus_tiers_and_hmat()
    {
        var nodes = TwoNode().Nodes();
        Assert.Equal([0, 1], nodes.Select(n => n.Nid));
        Assert.Equal([0, 1], nodes[0].Cpus);
        Assert.Empty(nodes[1].Cpus);
        Assert.Equal([10, 20], nodes[0].Distances);
        Assert.Equal([20, 10], nodes[1].Distances);
        Assert.Equal((4, 225), (nodes[0].MemoryTier!.Value, nodes[1].MemoryTier!.Value));
        Assert.Null(nodes[0].Access0);
        Assert.Equal(new HmatAccess(100, 100, 2048, 2048), nodes[1].Access0);
        Assert.Equal(51200UL * 1024, nodes[0].ActiveBytes);
        Assert.Equal(10240UL * 1024, nodes[1].InactiveBytes);
    }

    [Fact]
    public void Host_files_parse_to_their_exact_values()
    {
        var mi = Meminfo.Read(FixturePath.Of("host", "meminfo"));
        Assert.Equal((24683584UL * 1024, 18714364UL * 1024, 1249112UL * 1024, 4300952UL * 1024),
            (mi.MemTotalBytes, mi.MemFreeBytes, mi.ActiveBytes, mi.InactiveBytes));
        var node = Meminfo.Read(FixturePath.Of("host", "node0-meminfo"));
        Assert.Equal((24683584UL * 1024, 18714416UL * 1024, 4301396UL * 1024), (node.MemTotalBytes, node.MemFreeBytes, node.InactiveBytes));
        var psi = PressureStall.Read(FixturePath.Of("host", "pressure-memory"));
        Assert.Equal(123496935UL, psi.Some.TotalUs);
        Assert.Equal(115325962UL, psi.Full!.Value.TotalUs);
        var vm = VmstatSnapshot.Read(FixturePath.Of("host", "vmstat"));
        Assert.Equal(192, vm.Counters.Count);
        Assert.Equal((4678604UL, 455427UL, 0UL), (vm["nr_free_pages"], vm.PgmigrateSuccess, vm.PgpromoteSuccess));
        Assert.True(vm.Has("pgdemote_khugepaged"));
    }

    [Fact]
    public void Vmstat_deltas_subtract_counter_by_counter()
    {
        var before = VmstatSnapshot.Parse("pgpromote_success 10\npgdemote_kswapd 5\nnr_free_pages 100\n", "a");
        var after = VmstatSnapshot.Read(FixturePath.Of("twonode", "proc", "vmstat"));
        var d = after.Delta(before);
        Assert.Equal(16375UL, d.PgpromoteSuccess);
        Assert.Equal(34401UL, d.PgdemoteKswapd);
        Assert.Equal(34401UL + 6432, d.PgdemoteTotal);
        Assert.Equal(16384UL, d.NumaPagesMigrated); // absent before: counted from 0
        Assert.Equal(177564UL, d["nr_free_pages"]);
    }

    [Fact]
    public void Bad_meminfo_and_psi_lines_are_one_line_errors()
    {
        Assert.Equal("mi: line 2: MemFree: expected an unsigned value, found 'lots'",
            Assert.Throws<LinuxSourceException>(() => Meminfo.Parse("MemTotal: 1 kB\nMemFree: lots kB\n", "mi")).Message);
        Assert.Equal("psi: expected 'some|full avg10=X avg60=X avg300=X total=N', found 'some total=1'",
            Assert.Throws<LinuxSourceException>(() => PressureStall.Parse("some total=1\n", "psi")).Message);
        Assert.Equal("mi: has no MemTotal field", Assert.Throws<LinuxSourceException>(() => Meminfo.Parse("MemFree: 1 kB\n", "mi").MemTotalBytes).Message);
    }

    [Fact]
    public void This_hosts_metrics_read_without_error()
    {
        var m = new LinuxMetrics();
        Assert.InRange(m.FreeMemRatePermil(), 1UL, 1000UL);
        Assert.True(m.TryGetNodeMem(0, out ulong total, out ulong free));
        Assert.True(free <= total && total > 0);
        Assert.NotEqual(CgroupMemoryVersion.None, m.MemoryHierarchy.Version);
    }
}
