using System.Runtime.InteropServices;

namespace Damon.Linux.Reports;

/// <summary>The PAGEMAP_SCAN ioctl of /proc/PID/pagemap (include/uapi/linux/fs.h, Linux 6.7+).</summary>
public static class PagemapScanApi
{
    public const ulong PAGEMAP_SCAN = 0xC0606610; // _IOWR('f', 16, struct pm_scan_arg), sizeof = 96

    public const ulong PAGE_IS_WPALLOWED = 1UL << 0;
    public const ulong PAGE_IS_WRITTEN = 1UL << 1;
    public const ulong PAGE_IS_SOFT_DIRTY = 1UL << 7;

    public const ulong PM_SCAN_WP_MATCHING = 1UL << 0;
    public const ulong PM_SCAN_CHECK_WPASYNC = 1UL << 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct page_region
    {
        public ulong start, end, categories;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct pm_scan_arg
    {
        public ulong size, flags, start, end, walk_end, vec, vec_len, max_pages,
            category_inverted, category_mask, category_anyof_mask, return_mask;
    }
}
