using Damon.Linux.Sysfs;
using Xunit;

namespace Damon.Linux.Tests.Sysfs;

/// <summary>
/// Tried regions read back from real files in the kernel's layout (a tmpfs dir when /dev/shm
/// exists). How fast: bench/Damon.Bench Linux/TriedRegionsReadBench (docs/performance.md).
/// </summary>
public class TriedRegionsReadTests
{
    [Fact]
    public void Reads_1000_tried_regions_from_real_files_in_directory_order_by_number()
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
            var list = new List<TriedRegionValues>(1000);
            new KdamondsSysfsReader(SysfsRoot.Open(root)).ReadTriedRegions(dir, list, withFilterPassed: false);
            Assert.Equal(1000, list.Count);
            for (int i = 0; i < 1000; i++)
                Assert.Equal(((ulong)i * 4096, (ulong)(i + 1) * 4096, (ulong)(i % 21), (ulong)i), (list[i].Start, list[i].End, list[i].NrAccesses, list[i].Age));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
