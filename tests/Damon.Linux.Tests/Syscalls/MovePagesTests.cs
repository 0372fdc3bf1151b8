using Damon.Core.Monitoring;
using Damon.Linux.Syscalls;
using Xunit;

namespace Damon.Linux.Tests.Syscalls;

public class MovePagesTests
{
    private static readonly int Self = Environment.ProcessId;

    [Fact]
    public void Query_of_our_touched_buffer_says_node_0_and_untouched_pages_are_not_present()
    {
        using var m = new AnonymousMapping(64 * 4096);
        m.Touch(0, 32 * 4096);
        var mp = new MovePages(batchPages: 16);
        var status = new int[64];
        mp.Query(Self, m.PageAddresses(), status);
        Assert.All(status[..32], s => Assert.Equal(0, s));
        Assert.All(status[32..], s => Assert.Equal(-(int)LinuxErrno.ENOENT, s));
        Assert.Equal(4UL, mp.NrCalls); // 64 pages in batches of 16
    }

    [Fact]
    public void A_move_to_node_0_counts_every_page_as_already_there()
    {
        using var m = new AnonymousMapping(64 * 4096);
        m.Touch();
        var mp = new MovePages(batchPages: 16);
        var r = mp.Move(Self, m.PageAddresses(), 0);
        Assert.Equal(64UL, r.AlreadyOnTarget);
        Assert.Equal(0UL, r.Moved);
        Assert.Equal(0UL, r.Failed);
        Assert.Equal(4UL, mp.NrCalls); // the queries only: nothing was left to move
    }

    [Fact]
    public void A_move_to_a_node_without_memory_fails_every_page_with_ENODEV()
    {
        using var m = new AnonymousMapping(64 * 4096);
        m.Touch(0, 48 * 4096);
        var r = new MovePages(batchPages: 16).Move(Self, m.PageAddresses(), 5);
        Assert.Equal(48UL, r.FailedWith(LinuxErrno.ENODEV));
        Assert.Equal(16UL, r.FailedWith(LinuxErrno.ENOENT)); // the untouched quarter is not present
        Assert.Equal(0UL, r.Moved + r.AlreadyOnTarget + r.NotMigrated);
        Assert.Equal("moved 0, already on target 0, not migrated 0, failed [ENOENT 16, ENODEV 48] (pages)", r.ToString());
    }

    [Fact]
    public void The_rate_limit_paces_batches_on_the_injected_clock()
    {
        using var m = new AnonymousMapping(64 * 4096);
        m.Touch();
        var clock = new ManualClock();
        var sleeps = new List<ulong>();
        var limiter = new MigrationRateLimiter(16 * 4096, clock, ns => { sleeps.Add(ns); clock.NowNs += ns; });
        // 4 batches of 16 pages at 16 pages/s: the first starts at once, each next one a second later.
        new MovePages(16, limiter).Move(Self, m.PageAddresses(), 5);
        Assert.Equal([1_000_000_000UL, 1_000_000_000UL, 1_000_000_000UL], sleeps);
        Assert.Equal(3_000_000_000UL, limiter.SleptNs);
    }

    [Fact]
    public void Time_already_spent_counts_toward_the_rate()
    {
        var clock = new ManualClock();
        var limiter = new MigrationRateLimiter(1 << 20, clock, ns => clock.NowNs += ns);
        limiter.Acquire(1 << 20);
        clock.NowNs += 400_000_000;           // work took 0.4 s
        limiter.Acquire(1 << 20);             // so only 0.6 s more of waiting
        Assert.Equal(600_000_000UL, limiter.SleptNs);
    }

    [Fact]
    public void An_exited_target_is_told_apart()
    {
        int pid = ExitedChild.Pid();
        var e = Assert.Throws<SyscallException>(() => new MovePages().Query(pid, [0x10000], new int[1]));
        Assert.True(e.TargetGone);
        Assert.Equal($"move_pages: query of 1 pages of pid {pid}: ESRCH: no such process (the target exited)", e.Message);
    }
}
