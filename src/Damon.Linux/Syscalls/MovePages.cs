using System.Runtime.InteropServices;

namespace Damon.Linux.Syscalls;

/// <summary>
/// move_pages(2) (syscall 279) in batches of <see cref="BatchPages"/> pages: a query (nodes NULL:
/// status = the page's node or -errno) and a move with MPOL_MF_MOVE, optionally paced by a
/// <see cref="MigrationRateLimiter"/>. A target that is gone (ESRCH) throws
/// <see cref="SyscallException"/> with <see cref="SyscallException.TargetGone"/>, so the caller can
/// drop just that target.
/// </summary>
public sealed class MovePages(int batchPages = MovePages.DefaultBatchPages, MigrationRateLimiter? rateLimiter = null)
{
    public const int DefaultBatchPages = 1024;
    public const int MPOL_MF_MOVE = 1 << 1;
    public const int MPOL_MF_MOVE_ALL = 1 << 2;

    /// <summary>A status the kernel never writes: marks entries move_pages left untouched.</summary>
    private const int StatusUnset = int.MinValue;

    public int BatchPages { get; } = batchPages > 0 ? batchPages
        : throw new ArgumentOutOfRangeException(nameof(batchPages), "move_pages batch: must be at least one page");

    public MigrationRateLimiter? RateLimiter { get; } = rateLimiter;

    /// <summary>Number of move_pages calls made so far (queries and moves).</summary>
    public ulong NrCalls { get; private set; }

    /// <summary>The node of each page (status ≥ 0) or -errno (-ENOENT not present, -EFAULT unmapped).</summary>
    public unsafe void Query(int pid, ReadOnlySpan<ulong> addrs, Span<int> status)
    {
        if (status.Length < addrs.Length)
            throw new ArgumentException("move_pages query: the status span is shorter than the address list");
        for (int off = 0; off < addrs.Length; off += BatchPages)
        {
            int n = Math.Min(BatchPages, addrs.Length - off);
            fixed (ulong* pages = addrs.Slice(off, n))
            fixed (int* st = status.Slice(off, n))
            {
                long rc = Call(pid, n, pages, null, st, 0);
                if (rc < 0)
                    throw new SyscallException("move_pages", Marshal.GetLastPInvokeError(), $"query of {n} pages of pid {pid}");
            }
        }
    }

    /// <summary>
    /// Move the pages at <paramref name="addrs"/> to <paramref name="targetNode"/>. Each batch is
    /// queried first so pages already on the node are counted as such and not passed to the move
    /// (move_pages reports both cases as the node number).
    /// </summary>
    public unsafe MovePagesResult Move(int pid, ReadOnlySpan<ulong> addrs, int targetNode, int flags = MPOL_MF_MOVE)
    {
        var result = new MovePagesResult();
        int batch = Math.Min(BatchPages, Math.Max(addrs.Length, 1));
        var status = new int[batch];
        var moveAddrs = new ulong[batch];
        var nodes = new int[batch];
        Array.Fill(nodes, targetNode);
        for (int off = 0; off < addrs.Length; off += BatchPages)
        {
            int n = Math.Min(BatchPages, addrs.Length - off);
            var chunk = addrs.Slice(off, n);
            Query(pid, chunk, status);
            int m = 0;
            for (int i = 0; i < n; i++)
            {
                if (status[i] == targetNode) result.AlreadyOnTarget++;
                else if (status[i] < 0) result.Fail(-status[i]);
                else moveAddrs[m++] = chunk[i];
            }
            if (m == 0)
                continue;
            RateLimiter?.Acquire((ulong)m * MovePagesResult.PageSize);
            Array.Fill(status, StatusUnset, 0, m);
            long rc;
            fixed (ulong* pages = moveAddrs)
            fixed (int* nd = nodes)
            fixed (int* st = status)
                rc = Call(pid, m, pages, nd, st, flags);
            if (rc < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == (int)LinuxErrno.ESRCH)
                    throw new SyscallException("move_pages", errno, $"move of {m} pages of pid {pid} to node {targetNode}");
                // The whole call was refused (ENODEV: no such node, EPERM, ENOMEM, EACCES).
                result.Fail(errno, (ulong)m);
                continue;
            }
            if (rc > 0)
            {
                // rc pages could not be migrated and the kernel stopped writing statuses for the
                // chunk it was migrating: ask where the untold ones are now.
                RequeryUnset(pid, moveAddrs.AsSpan(0, m), status.AsSpan(0, m));
            }
            for (int i = 0; i < m; i++)
            {
                int st = status[i];
                if (st == targetNode) result.Moved++;
                else if (st == StatusUnset || st >= 0) result.NotMigrated++;
                else result.Fail(-st);
            }
        }
        return result;
    }

    private void RequeryUnset(int pid, ReadOnlySpan<ulong> addrs, Span<int> status)
    {
        var idx = new List<int>();
        for (int i = 0; i < status.Length; i++)
            if (status[i] == StatusUnset) idx.Add(i);
        if (idx.Count == 0) return;
        var a = new ulong[idx.Count];
        var s = new int[idx.Count];
        for (int j = 0; j < idx.Count; j++) a[j] = addrs[idx[j]];
        Query(pid, a, s);
        // A page now on the target moved; any other answer leaves it unset (not migrated).
        for (int j = 0; j < idx.Count; j++)
            status[idx[j]] = s[j] >= 0 ? s[j] : StatusUnset;
    }

    private unsafe long Call(int pid, int count, ulong* pages, int* nodes, int* status, int flags)
    {
        NrCalls++;
        return LibC.Syscall6(LibC.SYS_move_pages, pid, count, (long)pages, (long)nodes, (long)status, flags);
    }
}
