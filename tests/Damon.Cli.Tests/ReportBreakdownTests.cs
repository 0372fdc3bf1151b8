using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Sampling;
using Damon.Host;
using Damon.Host.Engine;
using Damon.Host.Records;
using Damon.Records.IO;
using Damon.Records.Model;
using Damon.Sim.Machine;
using SimRun = Damon.Sim.Running.Simulation;
using Damon.Sim.Workloads;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary>
/// <c>report access --breakdown</c> and <c>--access_of</c> on records of simulated runs with the
/// page_fault primitive: each range's accesses are attributed to the thread (CPU, node, read or
/// write) that made them, through the engine, the snapshot, the record file and the report.
/// </summary>
public class ReportBreakdownTests
{
    private const ulong MiB = 1UL << 20;
    private const ulong AreaSz = 8 * MiB;

    /// <summary>Two DRAM nodes, a socket of four CPUs on each (CPUs 0-3 node 0, 4-7 node 1).</summary>
    private static MachineSpec TwoSockets() => MachineSpec.DefaultTwoTier(256 * MiB, 256 * MiB) with
    {
        Nodes = [new NodeSpec(0, 256 * MiB, 90, 90, 72, 0), new NodeSpec(1, 256 * MiB, 90, 90, 72, 0)],
        Sockets = [new SocketSpec(0, 0, [0, 1, 2, 3]), new SocketSpec(1, 1, [4, 5, 6, 7])],
        LinuxDefault = false,
    };

    private const string TwoSocketsFile = """
        {
          "name": "two-socket",
          "nodes": [
            { "id": 0, "capacity": "256MiB", "read_latency_ns": 90, "write_latency_ns": 90, "bandwidth_gbps": 72, "tier": 0 },
            { "id": 1, "capacity": "256MiB", "read_latency_ns": 90, "write_latency_ns": 90, "bandwidth_gbps": 72, "tier": 0 }
          ],
          "sockets": [ { "node": 0, "cpus": 4 }, { "node": 1, "cpus": 4 } ],
          "distances": [[10, 20], [20, 10]]
        }
        """;

    /// <summary>
    /// Thread 0 (CPU 0, socket 0) writes every page of area A in turn, thread 1 (CPU 4, socket 1)
    /// reads every page of area B; a 64 MiB mapping nobody touches lies between them, wider than
    /// the largest region (80 MiB / min_nr_regions 10 = 8 MiB), so no region can hold both areas.
    /// </summary>
    private sealed class WriterAndReader() : SyntheticWorkload("writer-reader", new ThreadPlacement(2, [0, 4]), durationNs: 0, computeNsPerAccess: 5)
    {
        private readonly ulong[] _next = new ulong[2];
        public ulong[] Base { get; } = new ulong[2];

        protected override void SetupMemory(IWorkloadHost host, int pid)
        {
            Base[0] = host.Mmap(pid, AreaSz);
            host.Mmap(pid, 64 * MiB, MapFlags.Anon);
            Base[1] = host.Mmap(pid, AreaSz);
        }

        protected override int Fill(IWorkloadHost host, int thread, ulong elapsedNs, Span<MemAccess> batch)
        {
            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = new MemAccess(Base[thread] + _next[thread], Write: thread == 0);
                _next[thread] = (_next[thread] + 4096) % AreaSz;
            }
            return batch.Length;
        }
    }

    private static bool Overlaps(DamonRegion r, ulong start) => (ulong)r.Start < start + AreaSz && start < (ulong)r.End;

    /// <summary>Records 2 s of the workload through the snapshot and the record collector, as damon record does.</summary>
    private static (string Path, WriterAndReader W, int[] Tids) Record(TempDir dir)
    {
        var w = new WriterAndReader();
        var sim = new SimRun(TwoSockets(), w, seed: 21);
        var tids = sim.Machine.Threads.Where(t => t.Process.Pid == w.Pid).Select(t => t.Tid).ToArray();
        var ctx = sim.AddContext(OperationsId.Vaddr, new MonitoringAttrs
        {
            SampleIntervalUs = 5_000,
            AggrIntervalUs = 100_000,
            MinNrRegions = 10,
            MaxNrRegions = 1000,
            SampleControl = new DamonSampleControl { PrimitivesEnabled = new(PageTable: false, PageFault: true) },
        });
        sim.AddVaddrTarget(ctx, w.Pid);
        var place = new BackendContext(0, 0, OperationsId.Vaddr);
        var collector = new RecordCollector { CpuToNode = new Dictionary<int, int> { [0] = 0, [1] = 0, [2] = 0, [3] = 0, [4] = 1, [5] = 1, [6] = 1, [7] = 1 } };
        sim.Snapshot += (c, nowUs) => collector.Add(EngineSnapshot.Capture(place, c, nowUs));
        sim.RunFor(2_000_000);
        sim.Stop();
        string path = dir.File("damon.data");
        RecordFiles.Write(collector.Records, path, RecordFileFormat.JsonCompressed);
        return (path, w, tids);
    }

    [Fact]
    public async Task each_area_s_accesses_are_attributed_to_its_thread_cpu_node_and_kind()
    {
        using var dir = new TempDir();
        var (path, w, tids) = Record(dir);
        var record = Assert.Single(RecordFiles.Read(path));
        Assert.Equal(20, record.Snapshots.Count);

        // In the record: a region of area A counts only thread 0's writes on CPU 0, one of area B
        // only thread 1's reads on CPU 4, and the breakdown accounts for every counted access.
        var expected = new Dictionary<string, List<string>> { ["thread"] = [], ["cpu"] = [], ["node"] = [], ["rw"] = [] };
        int nrHot = 0;
        foreach (var region in record.Snapshots.SelectMany(s => s.Regions))
        {
            var by = region.AccessesBy!;
            Assert.Equal(region.NrAccessesSamples, by.NrAttributed);
            bool a = Overlaps(region, w.Base[0]), b = Overlaps(region, w.Base[1]);
            Assert.False(a && b, $"region {region} holds both areas");
            if (by.NrAttributed == 0)
            {
                foreach (var list in expected.Values) list.Add("no access");
                continue;
            }
            Assert.True(a || b, $"region {region} outside both areas was accessed");
            int t = a ? 0 : 1;
            long n = by.NrAttributed;
            Assert.Equal(new SortedDictionary<int, long> { [tids[t]] = n }, by.Tids);
            Assert.Equal(new SortedDictionary<int, long> { [t == 0 ? 0 : 4] = n }, by.Cpus);
            Assert.Equal((t == 0 ? n : 0, t == 0 ? 0 : n), (by.Writes, by.Reads));
            expected["thread"].Add($"{tids[t]} 100 %");
            expected["cpu"].Add($"{(t == 0 ? 0 : 4)} 100 %");
            expected["node"].Add($"{t} 100 %");
            expected["rw"].Add(t == 0 ? "write 100 %" : "read 100 %");
            nrHot++;
        }
        Assert.True(nrHot >= 2 * record.Snapshots.Count, $"{nrHot} accessed regions");

        // The report prints those shares on each region line, in the record's order (by address).
        foreach (var (kind, shares) in expected)
        {
            var r = await DamonCli.Run("report", "access", "--input", path, "--breakdown", kind);
            Assert.Equal("", r.Err);
            Assert.Equal(0, r.ExitCode);
            var suffixes = r.Out.Split('\n').Where(l => l.Contains(" addr ", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf($" by {kind}: ", StringComparison.Ordinal) + kind.Length + 6)..]).ToList();
            Assert.Equal(shares, suffixes);
        }

        // The heatmap of one key: thread 0's accesses are the writes, thread 1's the reads of node 1.
        async Task<string> Raw(string key)
        {
            var r = await DamonCli.Run("report", "heatmap", "--input", path, "--output", "raw", "--draw_range", "all", "--access_of", key);
            Assert.Equal(0, r.ExitCode);
            return r.Out;
        }
        Assert.Equal(await Raw("write"), await Raw($"tid={tids[0]}"));
        Assert.Equal(await Raw("read"), await Raw("node=1"));
        Assert.Equal(await Raw("read"), await Raw("cpu=4"));
        Assert.NotEqual(await Raw("read"), await Raw("write"));
    }

    [Fact]
    public async Task damon_record_with_the_page_fault_primitive_attributes_each_gups_slice_to_its_thread()
    {
        using var dir = new TempDir();
        string machine = dir.File("two-socket.json");
        File.WriteAllText(machine, TwoSocketsFile);
        string path = dir.File("damon.data");
        var rec = await DamonCli.Run("record", "--machine", machine, "--workload", "gups:size=64M,threads=2,cpus=0;4",
            "--sample_primitives", "page_fault", "--duration", "1", "--out", path);
        Assert.Equal(0, rec.ExitCode);

        var record = Assert.Single(RecordFiles.Read(path));
        Assert.Equal(new SortedDictionary<int, int> { [0] = 0, [1] = 0, [2] = 0, [3] = 0, [4] = 1, [5] = 1, [6] = 1, [7] = 1 }, record.CpuToNode);
        // Each thread updates only its own 32 MiB slice, the lower one thread 0 (CPU 0, node 0): in
        // every snapshot, by address, the regions' owners run thread 0's, at most one region both
        // touched (one that straddles the slice boundary), then thread 1's; nothing else.
        var tids = record.Snapshots.SelectMany(s => s.Regions).SelectMany(r => r.AccessesBy!.Tids.Keys).Distinct().Order().ToArray();
        Assert.Equal(2, tids.Length);
        foreach (var snapshot in record.Snapshots)
        {
            var owners = snapshot.Regions.OrderBy(r => r.Start).Where(r => r.AccessesBy!.NrAttributed > 0)
                .Select(r => r.AccessesBy!.Tids.Count == 1 ? (r.AccessesBy.Tids.ContainsKey(tids[0]) ? 0 : 2) : 1).ToList();
            Assert.True(owners.Count(o => o == 1) <= 1, string.Join(",", owners));
            Assert.Equal(owners.Order(), owners);
            foreach (var r in snapshot.Regions)
            {
                var by = r.AccessesBy!;
                Assert.Equal(r.NrAccessesSamples, by.NrAttributed);
                // Thread 0 runs on CPU 0, thread 1 on CPU 4: the CPU shares are the thread shares.
                Assert.Equal(by.Tids.GetValueOrDefault(tids[0]), by.Cpus.GetValueOrDefault(0));
                Assert.Equal(by.Tids.GetValueOrDefault(tids[1]), by.Cpus.GetValueOrDefault(4));
            }
        }
        var node = await DamonCli.Run("report", "access", "--input", path, "--breakdown", "node");
        Assert.Equal(0, node.ExitCode);
        Assert.Contains(" by node: 0 100 %", node.Out);
        Assert.Contains(" by node: 1 100 %", node.Out);
    }

    [Fact]
    public async Task a_record_without_the_breakdown_is_an_input_error_and_bad_options_usage_errors()
    {
        using var dir = new TempDir();
        string path = dir.File("damon.data");
        Assert.Equal(0, (await DamonCli.Run("record", "--workload", "gups:size=16M", "--duration", "0.3", "--out", path)).ExitCode);
        string missing = $"damon: {path}: this record has no per-CPU/thread access breakdown (recorded with the page_table primitive); record with --sample_primitives page_fault\n";
        foreach (var args in new string[][]
        {
            ["report", "access", "--input", path, "--breakdown", "cpu"],
            ["report", "access", "--input", path, "--access_of", "write"],
            ["report", "heatmap", "--input", path, "--access_of", "tid=1"],
        })
        {
            var r = await DamonCli.Run(args);
            Assert.Equal(3, r.ExitCode);
            Assert.Equal(missing, r.Err);
        }

        foreach (var (args, message) in new (string[] Args, string Message)[]
        {
            (["report", "access", "--input", path, "--access_of", "cpu"], "damon: --access_of cpu: cpu takes a non-negative number (cpu=N)\n"),
            (["report", "heatmap", "--input", path, "--access_of", "writes"], "damon: --access_of writes: not one of cpu=N, node=N, tid=N, write or read\n"),
            (["report", "access", "--input", path, "--breakdown", "rw", "--json"],
                "damon: --breakdown rw: adds to the region lines of the styled report; it cannot be combined with --json or --raw_form\n"),
            (["report", "access", "--input", path, "--breakdown", "rw", "--style", "temperature-sz-hist"],
                "damon: --breakdown rw: the temperature-sz-hist output has no region lines to add it to (use the detailed, simple-boxes, hot or cold style)\n"),
        })
        {
            var r = await DamonCli.Run(args);
            Assert.Equal(2, r.ExitCode);
            Assert.Equal(message, r.Err);
        }
    }
}
