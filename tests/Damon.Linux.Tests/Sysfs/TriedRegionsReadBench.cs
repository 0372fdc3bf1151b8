using System.Diagnostics;
using Damon.Linux.Sysfs;
using Xunit;
using Xunit.Abstractions;

namespace Damon.Linux.Tests.Sysfs;

/// <summary>Reads 1000 tried regions from real files (a tmpfs dir when /dev/shm exists) and reports µs per region.</summary>
public class TriedRegionsReadBench(ITestOutputHelper output)
{
    [Fact]
    public void Reads_1000_tried_regions_from_real_files()
    {
        var baseDir = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        var root = Directory.CreateDirectory(Path.Combine(baseDir, "damon-tried-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var dir = KdamondsSysfsReader.TriedRegionsDir(0, 0, 0);
            for (int i = 0; i < 1000; i++)
            {
                var r = Path.Combine(root, dir, i.ToString());
                Directory.CreateDirectory(r);
                File.WriteAllText(Path.Combine(r, "start"), $"{i * 4096}\n");
                File.WriteAllText(Path.Combine(r, "end"), $"{(i + 1) * 4096}\n");
                File.WriteAllText(Path.Combine(r, "nr_accesses"), $"{i % 21}\n");
                File.WriteAllText(Path.Combine(r, "age"), $"{i}\n");
                File.WriteAllText(Path.Combine(r, "sz_filter_passed"), "0\n");
            }
            var reader = new KdamondsSysfsReader(SysfsRoot.Open(root));
            var list = new List<TriedRegionValues>(1000);
            reader.ReadTriedRegions(dir, list, withFilterPassed: false);
            var sw = Stopwatch.StartNew();
            const int rounds = 5;
            for (int k = 0; k < rounds; k++)
                reader.ReadTriedRegions(dir, list, withFilterPassed: false);
            sw.Stop();
            Assert.Equal(1000, list.Count);
            Assert.Equal((999UL * 4096, 1000UL * 4096, 999UL % 21, 999UL), (list[999].Start, list[999].End, list[999].NrAccesses, list[999].Age));
            output.WriteLine($"tried regions: {sw.Elapsed.TotalMicroseconds / (rounds * 1000):F1} us/region ({baseDir})");
            var tree = SysfsRoot.Open(root);
            var names = new[] { "start", "end", "nr_accesses", "age", "sz_filter_passed" };
            var sw2 = Stopwatch.StartNew();
            for (int i = 0; i < 1000; i++) foreach (var n in names) tree.ReadUInt64($"{dir}/{i}/{n}");
            output.WriteLine($"ReadUInt64 only: {sw2.Elapsed.TotalMicroseconds / 1000:F1} us/region");
            sw2.Restart();
            for (int i = 0; i < 1000; i++) foreach (var n in names) File.ReadAllBytes(Path.Combine(root, dir, i.ToString(), n));
            output.WriteLine($"File.ReadAllBytes: {sw2.Elapsed.TotalMicroseconds / 1000:F1} us/region");
            sw2.Restart();
            tree.ChildDirs(dir);
            output.WriteLine($"ChildDirs: {sw2.Elapsed.TotalMicroseconds:F1} us");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
