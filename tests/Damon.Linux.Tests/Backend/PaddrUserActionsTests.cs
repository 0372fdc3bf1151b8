using Damon.Core.Monitoring;
using Damon.Core.Schemes;
using Damon.Linux.Backend.UserMode;
using Xunit;

namespace Damon.Linux.Tests.Backend;

/// <summary>paddr in user mode: frames found through the processes mapping them, moved by (pid, vaddr).</summary>
public sealed class PaddrUserActionsTests
{
    private const ulong Page = 4096;

    private sealed class Source(params MappedPage[] pages) : IProcessPageSource
    {
        public int NrScans;
        public IEnumerable<int> Pids() => pages.Select(p => p.Pid).Distinct();
        public void AddPresentPages(int pid, List<MappedPage> into)
        {
            if (pid == pages[0].Pid) NrScans++;
            into.AddRange(pages.Where(p => p.Pid == pid));
        }
    }

    private sealed class Syscalls : IPageSyscalls
    {
        public readonly List<(int Pid, ulong[] Vaddrs, int Node)> Moves = [];
        public readonly Dictionary<int, string> FailPid = [];
        public MoveOutcome Move(int pid, ReadOnlySpan<ulong> vaddrs, int node)
        {
            Moves.Add((pid, vaddrs.ToArray(), node));
            return FailPid.TryGetValue(pid, out var errno)
                ? new MoveOutcome(0, new Dictionary<string, ulong> { [errno] = (ulong)vaddrs.Length })
                : new MoveOutcome((ulong)vaddrs.Length, new Dictionary<string, ulong>());
        }
        public ulong Pageout(int pid, IReadOnlyList<AddrRange> ranges) => ranges.Aggregate(0UL, (a, r) => a + r.End - r.Start);
    }

    private static Damos Migrate(int nid) => new(DamosAccessPattern.Any, DamosAction.MigrateHot, targetNid: nid);

    [Fact]
    public void A_physical_region_moves_the_pages_mapped_on_its_frames_by_process_and_address()
    {
        var source = new Source(
            new MappedPage(0x100, 10, 0x7000_0000, true),
            new MappedPage(0x101, 10, 0x7000_1000, true),
            new MappedPage(0x102, 20, 0x5000_0000, false),
            new MappedPage(0x102, 10, 0x7100_0000, false), // the same frame mapped twice: moved once, by the lower pid
            new MappedPage(0x200, 20, 0x5000_1000, true)); // outside the region
        var sys = new Syscalls();
        var problems = new UserModeProblems { Notices = TextWriter.Null };
        var a = new PaddrUserActions(source, sys, problems);
        var res = a.Apply(0x100 * Page, 0x103 * Page, Migrate(0));
        Assert.Equal(3 * Page, res.SzApplied);
        Assert.Equal(3 * Page, res.SzOpsFilterPassed);
        Assert.Equal(5, a.Index.NrPages);
        var move = Assert.Single(sys.Moves);
        Assert.Equal((10, 0), (move.Pid, move.Node));
        Assert.Equal(new ulong[] { 0x7000_0000, 0x7000_1000, 0x7100_0000 }, move.Vaddrs);
    }

    [Fact]
    public void The_anon_filter_is_evaluated_and_the_index_is_rebuilt_once_per_apply_round()
    {
        var source = new Source(new MappedPage(0x100, 10, 0x7000_0000, true), new MappedPage(0x101, 10, 0x7000_1000, false));
        var sys = new Syscalls();
        var a = new PaddrUserActions(source, sys, new UserModeProblems { Notices = TextWriter.Null });
        var s = Migrate(1);
        s.AddFilter(new DamosFilter(DamosFilterType.Anon, matching: true, allow: false));
        DamosCore.SetFiltersDefaultReject(s);
        var res = a.Apply(0x100 * Page, 0x102 * Page, s);
        a.Apply(0x100 * Page, 0x102 * Page, s);
        Assert.Equal((Page, Page), (res.SzApplied, res.SzOpsFilterPassed));
        Assert.All(sys.Moves, m => Assert.Equal(new ulong[] { 0x7000_1000 }, m.Vaddrs));
        Assert.Equal(1, source.NrScans);
        a.NewApplyRound();
        a.Apply(0x100 * Page, 0x102 * Page, s);
        Assert.Equal(2, source.NrScans);
    }

    [Fact]
    public void Failed_moves_are_counted_per_errno_and_not_applied()
    {
        var source = new Source(new MappedPage(0x100, 10, 0x7000_0000, true), new MappedPage(0x101, 20, 0x5000_0000, true));
        var sys = new Syscalls { FailPid = { [20] = "EPERM" } };
        var problems = new UserModeProblems { Notices = TextWriter.Null };
        var a = new PaddrUserActions(source, sys, problems);
        var res = a.Apply(0x100 * Page, 0x102 * Page, Migrate(0));
        Assert.Equal(Page, res.SzApplied);
        Assert.Equal(1UL, problems.PagesOf("move_pages EPERM"));
        Assert.Equal(["damon: move_pages EPERM: 1 pages in 1 calls (run continued)"], problems.SummaryLines());
    }

    [Fact]
    public void Only_the_anon_filter_is_accepted_for_paddr()
    {
        var s = Migrate(0);
        s.AddFilter(new DamosFilter(DamosFilterType.Memcg, matching: true, allow: true));
        Assert.Equal("filter 'allow memcg' cannot be evaluated: user mode's paddr actions evaluate only the anon filter (from pagemap)",
            PaddrUserActions.CheckFilters(s));
        Assert.Null(PaddrUserActions.CheckFilters(Migrate(0)));
    }
}
