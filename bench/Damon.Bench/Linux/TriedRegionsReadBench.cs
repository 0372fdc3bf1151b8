using BenchmarkDotNet.Attributes;
using Damon.Config.Args;
using Damon.Config.Schema;
using Damon.Linux.Sysfs;

namespace Damon.Bench.Linux;

/// <summary>
/// The read side of update_schemes_tried_regions, as user mode does it every aggregation:
/// <see cref="KdamondsSysfsReader.ReadTriedRegions"/> of kdamond 0, context 0, scheme 0 (one
/// listing of tried_regions/, then five files per region). Sources: <c>fake</c>, 1,000 regions in
/// the in-memory <see cref="FakeSysfsTree"/> (the parsing and bookkeeping alone); <c>files</c>,
/// the same 1,000 as real files in the kernel's layout under /dev/shm (the system calls); and
/// <c>root</c>, only when <see cref="RootVariable"/> names an admin root (a kernel's
/// /sys/kernel/mm/damon/admin with a kdamond whose scheme has tried regions, or a copy of one),
/// whatever that scheme holds. A given root is opened read-only outside the test-bed guest and
/// only read in any case.
/// </summary>
[MemoryDiagnoser]
public class TriedRegionsReadBench
{
    public const int NrRegions = 1000;
    public const string RootVariable = "DAMON_BENCH_SYSFS_ROOT";

    private static readonly string Dir = KdamondsSysfsReader.TriedRegionsDir(0, 0, 0);
    private readonly List<TriedRegionValues> _into = new(NrRegions);
    private FakeSysfsTree? _fake;
    private string? _filesRoot;
    private KdamondsSysfsReader _reader = null!;

    public static IEnumerable<string> Sources()
    {
        yield return "fake";
        yield return "files";
        if (Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 })
            yield return "root";
    }

    [ParamsSource(nameof(Sources))]
    public string Source { get; set; } = "fake";

    private static TriedRegionSpec Region(int i) => new()
    {
        Start = (ulong)i * 4096, End = (ulong)(i + 1) * 4096, NrAccesses = (ulong)(i % 21), Age = (ulong)i, SzFilterPassed = 0,
    };

    [GlobalSetup]
    public void Setup()
    {
        ISysfsTree tree = Source switch
        {
            "fake" => Fake(),
            "files" => Files(),
            _ => SysfsRoot.Open(null, defaultRoot: Environment.GetEnvironmentVariable(RootVariable)!),
        };
        _reader = new KdamondsSysfsReader(tree);
        _reader.ReadTriedRegions(Dir, _into, withFilterPassed: false);
        if (_into.Count == 0)
            throw new InvalidOperationException($"damon: {Dir}: no tried regions under the {Source} source");
    }

    private FakeSysfsTree Fake()
    {
        _fake = new FakeSysfsTree(SysfsKernelLevel.V6_12);
        new KernelDamon(_fake, _ => { }).Start(KdamondsBuilder.Build(["--ops", "paddr", "--regions", "0-4096000", "--damos_action", "stat"]));
        _fake.SetKernelTriedRegions(0, 0, 0, [.. Enumerable.Range(0, NrRegions).Select(Region)]);
        _fake.Write("kdamonds/0/state", "update_schemes_tried_regions");
        return _fake;
    }

    private ISysfsTree Files()
    {
        string baseDir = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _filesRoot = Directory.CreateDirectory(Path.Combine(baseDir, "damon-bench-tried-" + Guid.NewGuid().ToString("N"))).FullName;
        for (int i = 0; i < NrRegions; i++)
        {
            var r = Region(i);
            string d = Directory.CreateDirectory(Path.Combine(_filesRoot, Dir, i.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
            File.WriteAllText(Path.Combine(d, "start"), $"{r.Start}\n");
            File.WriteAllText(Path.Combine(d, "end"), $"{r.End}\n");
            File.WriteAllText(Path.Combine(d, "nr_accesses"), $"{r.NrAccesses}\n");
            File.WriteAllText(Path.Combine(d, "age"), $"{r.Age}\n");
            File.WriteAllText(Path.Combine(d, "sz_filter_passed"), "0\n");
        }
        return SysfsRoot.Open(_filesRoot);
    }

    /// <summary>The fake tree logs every read; forgetting them keeps an iteration from paying for the last one's.</summary>
    [IterationSetup]
    public void ForgetLog() => _fake?.Log.Clear();

    [Benchmark]
    public int ReadTriedRegions()
    {
        _reader.ReadTriedRegions(Dir, _into, withFilterPassed: false);
        return _into.Count;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_filesRoot is not null)
            Directory.Delete(_filesRoot, recursive: true);
    }
}
