using Damon.Linux.Sysfs;
using Xunit;

namespace Damon.Linux.Tests.Sysfs;

/// <summary>
/// The real tree's tried-regions fast path (one descriptor on tried_regions/, openat per file) reads what the fake
/// tree's full-path reads read, from real files in a temporary directory standing in for the admin root.
/// </summary>
public sealed class RealSysfsNumberedDirTests : IDisposable
{
    private const string Dir = "kdamonds/0/contexts/0/schemes/1/tried_regions";
    private readonly string _root = Directory.CreateTempSubdirectory("damon-numbered-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Region(int idx, ulong start, ulong end, ulong nrAccesses, ulong age, ulong? passed)
    {
        var d = Directory.CreateDirectory(Path.Combine(_root, Dir, idx.ToString())).FullName;
        File.WriteAllText(Path.Combine(d, "start"), $"{start}\n");
        File.WriteAllText(Path.Combine(d, "end"), $"{end}\n");
        File.WriteAllText(Path.Combine(d, "nr_accesses"), $"{nrAccesses}\n");
        File.WriteAllText(Path.Combine(d, "age"), $"{age}\n");
        if (passed is { } p)
            File.WriteAllText(Path.Combine(d, "sz_filter_passed"), $"{p}\n");
    }

    [Fact]
    public void Regions_come_in_numeric_order_of_the_names_whatever_the_gaps()
    {
        // 6.12 numbers the regions of all schemes with one counter: this scheme's may start at 7 and skip.
        Region(12, 8192, 12288, 3, 1, 4096);
        Region(7, 0, 4096, 20, 5, 0);
        Region(9, 4096, 8192, 0, 70, 4096);
        File.WriteAllText(Path.Combine(_root, Dir, "total_bytes"), "12288\n");
        var values = new List<TriedRegionValues>();
        new KdamondsSysfsReader(SysfsRoot.Open(_root)).ReadTriedRegions(Dir, values, withFilterPassed: true);
        Assert.Equal(
            [new(0, 4096, 20, 5, 0), new(4096, 8192, 0, 70, 4096), new(8192, 12288, 3, 1, 4096)],
            values);
        new KdamondsSysfsReader(SysfsRoot.Open(_root)).ReadTriedRegions(Dir, values, withFilterPassed: false);
        Assert.Equal([0UL, 0, 0], values.Select(v => v.SzFilterPassed));
    }

    [Fact]
    public void The_fake_tree_reads_the_same_files_in_the_same_order_as_before()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.V7_2);
        var regions = new List<Damon.Config.Schema.TriedRegionSpec>
        {
            new() { Start = 0, End = 4096, NrAccesses = 20, Age = 5, SzFilterPassed = 0 },
            new() { Start = 4096, End = 8192, NrAccesses = 0, Age = 70, SzFilterPassed = 4096 },
        };
        var damon = new KernelDamon(tree, _ => { });
        damon.Start(Damon.Config.Args.KdamondsBuilder.Build(["--ops", "vaddr", "--target_pid", "9", "--damos_action", "stat", "--damos_action", "stat"]));
        tree.SetKernelTriedRegions(0, 0, 1, regions);
        damon.UpdateSchemesTriedRegions();
        tree.Log.Clear();
        var values = new List<TriedRegionValues>();
        new KdamondsSysfsReader(tree).ReadTriedRegions(Dir, values, withFilterPassed: false);
        Assert.Equal([new(0, 4096, 20, 5, 0), new(4096, 8192, 0, 70, 0)], values);
        Assert.Equal(
            ["0/start", "0/end", "0/nr_accesses", "0/age", "1/start", "1/end", "1/nr_accesses", "1/age"],
            tree.Log.Select(a => a.Path[(Dir.Length + 1)..]));
    }

    [Fact]
    public void A_missing_directory_has_no_regions_and_a_bad_file_names_itself()
    {
        var values = new List<TriedRegionValues> { new(1, 2, 3, 4, 5) };
        var reader = new KdamondsSysfsReader(SysfsRoot.Open(_root));
        reader.ReadTriedRegions(Dir, values, withFilterPassed: true);
        Assert.Empty(values);
        Region(0, 0, 4096, 1, 1, null);
        File.WriteAllText(Path.Combine(_root, Dir, "0", "age"), "many\n");
        var e = Assert.Throws<SysfsException>(() => reader.ReadTriedRegions(Dir, values, withFilterPassed: true));
        Assert.Equal($"damon: {Dir}/0/age: \"many\" is not a number", e.Message);
        File.Delete(Path.Combine(_root, Dir, "0", "end"));
        e = Assert.Throws<SysfsException>(() => reader.ReadTriedRegions(Dir, values, withFilterPassed: true));
        Assert.Equal($"damon: {_root}/{Dir}/0/end: read failed: No such file or directory", e.Message);
    }
}
