using System.IO.MemoryMappedFiles;
using Damon.Core.Monitoring;
using Damon.Linux.Backend.UserMode;
using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;
using Xunit;

namespace Damon.Linux.Tests.Backend;

/// <summary>
/// User mode's paddr pageout counts what left memory, as damon_pa_pageout counts reclaim_pages()' reclaimed folios,
/// not what process_madvise advised: without swap (this machine kind, the test-bed guest) a cold anonymous page is
/// advised but stays. On this test's own process only.
/// </summary>
public sealed class PageoutAccountingTests
{
    private const int Pages = 32;
    private const ulong PageSize = PagemapReader.PageSize;

    private static ulong NotPresentBytes(ulong start, ulong end)
    {
        using var pagemap = new PagemapReader(PagemapReader.PathOf(Environment.ProcessId));
        return (ulong)pagemap.ReadRange(start, end).Count(e => !e.Present) * PageSize;
    }

    [Fact]
    public unsafe void Clean_file_pages_leave_memory_and_are_all_applied()
    {
        // Beside the test binaries, on the checkout's disk: a tmpfs file's pages are shmem and need swap to leave.
        string path = Path.Combine(AppContext.BaseDirectory, $"pageout-{Environment.ProcessId}.bin");
        try
        {
            using (var f = new FileStream(path, FileMode.Create, FileAccess.Write))
            {
                f.Write(new byte[Pages * PageSize]);
                f.Flush(flushToDisk: true); // clean: reclaim drops a clean page without writeback
            }
            using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            using var view = file.CreateViewAccessor(0, (long)(Pages * PageSize), MemoryMappedFileAccess.Read);
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            try
            {
                ulong start = (ulong)(p + view.PointerOffset);
                int sum = 0;
                for (ulong off = 0; off < Pages * PageSize; off += PageSize)
                    sum += ((byte*)start)[off];
                Assert.Equal(0, sum);
                Assert.Equal(0UL, NotPresentBytes(start, start + Pages * PageSize));

                ulong applied = new LinuxPageSyscalls().Pageout(Environment.ProcessId, [new AddrRange(start, start + Pages * PageSize)]);

                Assert.Equal(Pages * PageSize, applied);
                Assert.Equal(Pages * PageSize, NotPresentBytes(start, start + Pages * PageSize));
            }
            finally
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Anonymous_pages_count_only_as_far_as_they_left_memory()
    {
        using var m = new AnonymousMapping(Pages * 4096);
        m.Touch();

        ulong applied = new LinuxPageSyscalls().Pageout(Environment.ProcessId, [new AddrRange(m.Address, m.End)]);

        // With swap they may go; without any (this machine kind, the test-bed guest) every page stays and nothing
        // is applied, though process_madvise advised all of them.
        Assert.Equal(NotPresentBytes(m.Address, m.End), applied);
        bool noSwap = File.ReadAllLines("/proc/swaps").Length <= 1;
        if (noSwap)
            Assert.Equal(0UL, applied);
    }
}
