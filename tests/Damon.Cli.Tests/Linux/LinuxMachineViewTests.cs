using System.Text.Json;
using Xunit;

namespace Damon.Cli.Tests.Linux;

/// <summary>topology and numastat of a real machine, read from fixture sysfs and procfs roots laid out like the kernel's.</summary>
public sealed class LinuxMachineViewTests
{
    /// <summary>The test bed's guest: node0 with the CPUs, node1 CPU-less in a lower tier, HMAT numbers for node1.</summary>
    private static TempDir TwoNodeSysfs()
    {
        var dir = new TempDir();
        void Put(string rel, string text)
        {
            string path = Path.Combine(dir.Path, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        Put("devices/system/node/online", "0-1\n");
        Put("devices/system/node/node0/cpulist", "0-1\n");
        Put("devices/system/node/node1/cpulist", "\n");
        Put("devices/system/node/node0/distance", "10 20\n");
        Put("devices/system/node/node1/distance", "20 10\n");
        Put("devices/system/node/node0/meminfo", "Node 0 MemTotal:         524288 kB\nNode 0 MemFree:          262144 kB\nNode 0 Active:            65536 kB\nNode 0 Inactive:          32768 kB\nNode 0 HugePages_Total:     0\n");
        Put("devices/system/node/node1/meminfo", "Node 1 MemTotal:         524288 kB\nNode 1 MemFree:          522240 kB\nNode 1 Active:                0 kB\nNode 1 Inactive:           1024 kB\nNode 1 HugePages_Total:     0\n");
        Put("devices/system/node/node0/numastat", "numa_hit 25600\nnuma_miss 0\nnuma_foreign 0\ninterleave_hit 256\nlocal_node 25600\nother_node 0\n");
        Put("devices/system/node/node1/numastat", "numa_hit 512\nnuma_miss 256\nnuma_foreign 0\ninterleave_hit 0\nlocal_node 0\nother_node 512\n");
        Put("devices/system/node/node1/access0/initiators/read_latency", "100\n");
        Put("devices/system/node/node1/access0/initiators/write_latency", "100\n");
        Put("devices/system/node/node1/access0/initiators/read_bandwidth", "2048\n");
        Put("devices/system/node/node1/access0/initiators/write_bandwidth", "2048\n");
        Put("devices/virtual/memory_tiering/memory_tier4/nodelist", "0\n");
        Put("devices/virtual/memory_tiering/memory_tier22/nodelist", "1\n");
        return dir;
    }

    [Fact]
    public async Task Topology_of_a_two_node_sysfs()
    {
        using var sys = TwoNodeSysfs();
        var r = await DamonCli.Run("topology", "--sysfs_root", sys.Path);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            "available: 2 nodes (0-1)\n"
            + "node 0 cpus: 0 1\nnode 0 size: 512 MB\nnode 0 free: 256 MB\n"
            + "node 1 cpus:\nnode 1 size: 512 MB\nnode 1 free: 510 MB\n"
            + "node distances:\nnode   0   1 \n  0:  10  20 \n  1:  20  10 \n"
            + "node 0 memory tier: 4\n"
            + "node 1 memory tier: 22; access0: read 100 ns 2048 MB/s, write 100 ns 2048 MB/s\n", r.Out);

        var j = await DamonCli.Run("topology", "--backend", "linux", "--sysfs_root", sys.Path, "--json");
        using var doc = JsonDocument.Parse(j.Out);
        var node1 = doc.RootElement.GetProperty("nodes")[1];
        Assert.Equal(22, node1.GetProperty("memory_tier").GetInt32());
        Assert.Equal(0, node1.GetProperty("cpus").GetArrayLength());
        Assert.Equal(512UL << 20, node1.GetProperty("size_bytes").GetUInt64());
        Assert.Equal(100UL, node1.GetProperty("read_latency_ns").GetUInt64());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("nodes")[0].GetProperty("read_latency_ns").ValueKind);
        Assert.Equal(20, doc.RootElement.GetProperty("distances")[1][0].GetInt32());
    }

    [Fact]
    public async Task Numastat_counters_meminfo_and_a_process()
    {
        using var sys = TwoNodeSysfs();
        var r = await DamonCli.Run("numastat", "--sysfs_root", sys.Path);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            "Per-node numastat info (in MBs):\n"
            + "                         Node 0           Node 1            Total\n"
            + "                ---------------  ---------------  ---------------\n"
            + "numa_hit                 100.00             2.00           102.00\n"
            + "numa_miss                  0.00             1.00             1.00\n"
            + "numa_foreign               0.00             0.00             0.00\n"
            + "interleave_hit             1.00             0.00             1.00\n"
            + "local_node               100.00             0.00           100.00\n"
            + "other_node                 0.00             2.00             2.00\n", r.Out);

        var m = await DamonCli.Run("numastat", "--backend", "linux", "--sysfs_root", sys.Path, "-m");
        Assert.Equal(
            "Per-node system memory usage (in MBs):\n"
            + "                   Node 0           Node 1            Total\n"
            + "          ---------------  ---------------  ---------------\n"
            + "MemTotal           512.00           512.00          1024.00\n"
            + "MemFree            256.00           510.00           766.00\n"
            + "MemUsed            256.00             2.00           258.00\n"
            + "Active              64.00             0.00            64.00\n"
            + "Inactive            32.00             1.00            33.00\n", m.Out);

        using var proc = new TempDir();
        Directory.CreateDirectory(proc.File("4321"));
        File.WriteAllText(proc.File("4321/comm"), "hotcold\n");
        File.WriteAllText(proc.File("4321/numa_maps"),
            "7f0000000000 default anon=2048 dirty=2048 N0=512 N1=1536 kernelpagesize_kB=4\n"
            + "7f1000000000 default file=/usr/bin/hotcold mapped=4 N0=4 kernelpagesize_kB=4\n");
        var p = await DamonCli.Run("numastat", "--sysfs_root", sys.Path, "--procfs_root", proc.Path, "-p", "4321");
        Assert.Equal(0, p.ExitCode);
        Assert.Equal(
            "Per-node process memory usage (in MBs):\n"
            + "                         Node 0           Node 1            Total\n"
            + "                ---------------  ---------------  ---------------\n"
            + "4321 (hotcold)             2.02             6.00             8.02\n", p.Out);

        var gone = await DamonCli.Run("numastat", "--sysfs_root", sys.Path, "--procfs_root", proc.Path, "-p", "77");
        Assert.Equal((2, "damon: -p 77: no such process\n"), (gone.ExitCode, gone.Err));
    }

    [Fact]
    public async Task The_simulator_stays_the_default_and_mixing_is_a_usage_error()
    {
        var sim = await DamonCli.Run("topology");
        Assert.StartsWith("available: 2 nodes (0-1)\nnode 0 cpus: 0 1 2 3", sim.Out);
        using var sys = TwoNodeSysfs();
        var mixed = await DamonCli.Run("numastat", "--sysfs_root", sys.Path, "--workload", "gups:size=16M");
        Assert.Equal((2, "damon: --machine, --workload and DAMON options describe a simulated run; numastat of this machine takes none\n"), (mixed.ExitCode, mixed.Err));
        var simRoots = await DamonCli.Run("topology", "--backend", "sim", "--sysfs_root", sys.Path);
        Assert.Equal((2, "damon: --sysfs_root and --procfs_root are the real machine's; drop them or --backend sim\n"), (simRoots.ExitCode, simRoots.Err));
    }
}
