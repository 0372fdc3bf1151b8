using Damon.Sim.Machine;
using Damon.Sim.Traces;
using Damon.Sim.Traces.Lackey;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Catalog;
using Damon.Sim.Workloads.ColdBulk;
using Damon.Sim.Workloads.Composite;
using Damon.Sim.Workloads.Gups;
using Damon.Sim.Workloads.Masim;
using Damon.Sim.Workloads.Zipf;
using Xunit;

namespace Damon.Sim.Tests.Workloads;

public class WorkloadCatalogTests
{
    [Fact]
    public void GupsSpecSetsItsOptions()
    {
        var w = Assert.IsType<GupsWorkload>(WorkloadCatalog.Create("gups:size=1G,hot=10%,threads=4,cpus=0-1,move=150s,pattern=prob"));
        Assert.Equal(1UL << 30, w.Options.SizeBytes);
        Assert.Equal((ulong)((1UL << 30) * 0.1), w.Options.HotBytes);
        Assert.Equal(4, w.Options.Threads.NrThreads);
        Assert.Equal([0, 1, 0, 1], Enumerable.Range(0, 4).Select(w.Options.Threads.CpuOf));
        Assert.Equal(150_000_000_000UL, w.Options.MoveAtNs);
        Assert.Equal(GupsPattern.Prob, w.Options.Pattern);
    }

    [Fact]
    public void DefaultsApplyWhenNothingIsGiven()
    {
        var g = Assert.IsType<GupsWorkload>(WorkloadCatalog.Create("gups"));
        Assert.Equal(new GupsOptions().SizeBytes, g.Options.SizeBytes);
        var z = Assert.IsType<ZipfKvWorkload>(WorkloadCatalog.Create("zipf:keys=1000,theta=0.9,value=4K"));
        Assert.Equal(1000UL, z.Options.Keys);
        Assert.Equal(4096UL, z.Options.ValueBytes);
        Assert.Equal(0.9, z.Options.Theta);
    }

    [Fact]
    public void MasimSpecLoadsTheFileWithItsOptions()
    {
        string path = RepoPaths.SharedData("masim", "zigzag.cfg");
        var w = Assert.IsType<MasimWorkload>(WorkloadCatalog.Create($"masim:{path},rw=ro,repeat=2,accesses=1000"));
        Assert.Equal(13, w.Config.Phases.Count);
        Assert.Equal(2, w.Repeats);
        Assert.Equal(1000, w.AccessesPerPick);
    }

    [Fact]
    public void PartsJoinedByPlusRunAsProcessesInTheirMemcgs()
    {
        var w = Assert.IsType<MultiProcessWorkload>(WorkloadCatalog.Create("coldbulk:size=8M,memcg=3 + gups:size=4M,hot=1M,threads=2,memcg=5"));
        Assert.Equal(2, w.Parts.Count);
        Assert.IsType<ColdBulkWorkload>(w.Parts[0].Workload);
        Assert.Equal(3UL, w.Parts[0].MemcgId);
        Assert.Equal(5UL, w.Parts[1].MemcgId);
        var host = new FakeHost();
        w.Setup(host);
        Assert.Equal([("coldbulk", 3UL), ("gups", 5UL)], host.Processes);
        Assert.Equal(3, host.Threads.Count);
        var run = host.Run(w, 200_000);
        Assert.True(run.Finished[0]);
        Assert.Equal(2048, run.ByTid[0].Count);                // 8 MiB of cold pages, each once
        Assert.All(run.ByTid[1], a => Assert.True(host.IsMapped(1, a.Addr)));
        Assert.NotEmpty(run.ByTid[2]);
    }

    [Fact]
    public void MembindBindsThePartsMappingsAndOnlyThatParts()
    {
        var w = Assert.IsType<MultiProcessWorkload>(WorkloadCatalog.Create("gups:size=4M,hot=1M,membind=1+coldbulk:size=8M"));
        Assert.Equal([1, null], w.Parts.Select(p => p.MembindNode));
        var host = new FakeHost();
        w.Setup(host);
        var gups = Assert.Single(host.Mappings, m => m.Pid == 0);
        Assert.Equal(MemPolicyMode.Bind, gups.Policy!.Mode);
        Assert.Equal([1], gups.Policy.Nodes);
        Assert.All(host.Mappings.Where(m => m.Pid != 0), m => Assert.Null(m.Policy));
        // A single part bound to a node is a one-part composite, like a single part in a memcg.
        var one = Assert.IsType<MultiProcessWorkload>(WorkloadCatalog.Create("gups:size=4M,membind=0"));
        Assert.Equal(0, Assert.Single(one.Parts).MembindNode);
    }

    [Fact]
    public void MembindPagesAreFaultedInOnTheBoundNode()
    {
        var m = new SimMachine(MachineSpec.DefaultTwoTier());
        var w = WorkloadCatalog.Create("gups:size=4M,hot=1M,membind=1");
        w.Setup(m);
        var p = m.Processes.Single();
        ulong start = p.Vmas.Single(v => v.End - v.Start == 4UL << 20).Start;
        m.Populate(p.Pid, start);
        Assert.True(m.TryTranslate(p.Pid, start, out uint frame));
        Assert.Equal(1, m.NodeOfFrame(frame));
    }

    [Fact]
    public void FileWorkloadsOpenTheirFiles()
    {
        string lackey = Path.Combine(RepoPaths.Root(), "tests", "Damon.Sim.Tests", "Traces", "Fixtures", "mini.lackey");
        Assert.IsType<LackeyWorkload>(WorkloadCatalog.Create($"lackey:{lackey},fetches=true"));
        string trace = Path.Combine(Path.GetTempPath(), $"damon-cat-{Environment.ProcessId}.dtrace");
        try
        {
            LackeyConverter.Convert(lackey, trace);
            using var t = Assert.IsType<TraceReplayWorkload>(WorkloadCatalog.Create($"trace:{trace}"));
        }
        finally { File.Delete(trace); }
    }

    [Theory]
    [InlineData("nosuch:x=1", "unknown workload 'nosuch'")]
    [InlineData("gups:sise=1G", "unknown parameter 'sise'")]
    [InlineData("gups:size=big", "size=")]
    [InlineData("gups:size=1G,size=2G", "given twice")]
    [InlineData("gups:hot=150%", "percentage")]
    [InlineData("gups:size=4K,hot=8K", "hot set is larger")]
    [InlineData("gups:move=10", "duration with a unit")]
    [InlineData("gups:threads=0", "outside")]
    [InlineData("gups:cpus=a-b", "CPU list")]
    [InlineData("gups:size", "not key=value")]
    [InlineData("zipf:theta=1.5", "outside")]
    [InlineData("masim", "give a file")]
    [InlineData("masim:/nonexistent.cfg", "cannot read masim config")]
    [InlineData("lackey:/nonexistent.lackey", "lackey trace file not found")]
    [InlineData("trace:/nonexistent.dtrace", "cannot open trace")]
    [InlineData("gups + ", "empty workload part")]
    [InlineData("masim:/x.cfg,bogus=1", "unknown parameter 'bogus'")]
    public void BadSpecsGiveClearErrors(string spec, string reason)
    {
        var e = Assert.Throws<WorkloadFormatException>(() => WorkloadCatalog.Create(spec));
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData("4096", 4096UL)]
    [InlineData("64K", 65536UL)]
    [InlineData("1.5G", 1610612736UL)]
    [InlineData("2MiB", 2097152UL)]
    [InlineData("1T", 1099511627776UL)]
    public void SizesTakeBinarySuffixes(string text, ulong bytes) => Assert.Equal(bytes, WorkloadArgs.ParseSize(text));

    [Theory]
    [InlineData("500ms", 500_000_000UL)]
    [InlineData("10s", 10_000_000_000UL)]
    [InlineData("2m", 120_000_000_000UL)]
    [InlineData("250us", 250_000UL)]
    [InlineData("7ns", 7UL)]
    public void DurationsNeedAUnit(string text, ulong ns) => Assert.Equal(ns, WorkloadArgs.ParseDurationNs(text));

    [Theory]
    [InlineData("gups:size=16M,hot=1M,threads=2")]
    [InlineData("zipf:keys=10000,threads=2")]
    [InlineData("gauss:size=16M")]
    [InlineData("churn:size=16M,unit=64K")]
    [InlineData("coldbulk:size=1M + gups:size=4M,populate=false")]
    public void EveryGeneratorIsAFunctionOfTheSeed(string spec)
    {
        List<MemAccess> Run(ulong seed)
        {
            var host = new FakeHost(seed);
            var w = WorkloadCatalog.Create(spec);
            w.Setup(host);
            return host.Run(w, 60_000).All.ToList();
        }
        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }
}
