using Damon.Core.Monitoring;
using Damon.Linux.Syscalls;
using Xunit;

namespace Damon.Linux.Tests.Syscalls;

public class ProcessMadviseTests
{
    [Fact]
    public void Cold_advice_on_our_own_buffer_through_a_pidfd_advises_every_byte()
    {
        using var m = new AnonymousMapping(64 * 4096);
        m.Touch();
        using var fd = PidFd.Open(Environment.ProcessId);
        var r = ProcessMadvise.Advise(fd, [new AddrRange(m.Address, m.End)], MadviseAdvice.Cold);
        Assert.Equal(64UL * 4096, r.BytesAdvised);
        Assert.Empty(r.Failed);
        Assert.Equal(1, r.NrCalls);
    }

    [Fact]
    public void A_range_that_is_not_mapped_fails_alone_and_the_others_are_advised()
    {
        using var m = new AnonymousMapping(8 * 4096);
        m.Touch();
        using var fd = PidFd.Open(Environment.ProcessId);
        // Page 0x1000 is below mmap_min_addr: never mapped.
        AddrRange[] ranges = [new(m.Address, m.Address + 4 * 4096), new(0x1000, 0x2000), new(m.Address + 4 * 4096, m.End)];
        var r = ProcessMadvise.Advise(fd, ranges, MadviseAdvice.Pageout);
        Assert.Equal(8UL * 4096, r.BytesAdvised);
        Assert.Equal([(1, (int)LinuxErrno.ENOMEM)], r.Failed);
        Assert.True(r.RangeAdvised(0) && !r.RangeAdvised(1) && r.RangeAdvised(2));
        Assert.Equal(3, r.NrCalls); // partial (first range), the failing range alone, the rest
    }

    [Fact]
    public void A_pidfd_of_an_exited_child_is_ESRCH()
    {
        int pid = ExitedChild.Pid();
        var e = Assert.Throws<SyscallException>(() => PidFd.Open(pid));
        Assert.True(e.TargetGone);
        Assert.Equal($"pidfd_open: pid {pid}: ESRCH: no such process (the target exited)", e.Message);
    }
}
