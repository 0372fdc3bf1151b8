using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Linux.Actions;
using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;
using Damon.Linux.Tests.Syscalls;
using Xunit;

namespace Damon.Linux.Tests.Actions;

public class LinuxDamosActionsTests
{
    private static readonly LinuxCapabilities Caps = LinuxCapabilities.Probe();
    private static readonly Target Self = new(Environment.ProcessId);

    private static Damos Scheme(DamosAction action, int targetNid = Damos.NumaNoNode, params DamosFilter[] filters)
    {
        var s = new Damos(DamosAccessPattern.Any, action, targetNid: targetNid);
        foreach (var f in filters) s.AddFilter(f);
        DamosCore.SetFiltersDefaultReject(s);
        return s;
    }

    [Fact]
    public void Migrating_to_the_node_the_pages_are_on_applies_nothing_and_counts_them_as_there()
    {
        using var m = new AnonymousMapping(64 * 4096);
        m.Touch();
        using var a = new LinuxDamosActions(Caps);
        ulong applied = a.ApplyScheme(Self, new Region(m.Address, m.End), Scheme(DamosAction.MigrateCold, 0), out ulong passed);
        Assert.Equal(0UL, applied);
        Assert.Equal(0UL, passed); // damos_va_migrate never reports filter-passed bytes
        Assert.Equal(64UL, a.LastMigration!.AlreadyOnTarget);
    }

    [Fact]
    public void Migrating_to_a_node_without_memory_applies_nothing_and_counts_ENODEV()
    {
        using var m = new AnonymousMapping(64 * 4096);
        m.Touch(0, 40 * 4096);
        using var a = new LinuxDamosActions(Caps);
        ulong applied = a.ApplyScheme(Self, new Region(m.Address, m.End), Scheme(DamosAction.MigrateHot, 5), out _);
        Assert.Equal(0UL, applied);
        // Only present pages are walked, as the kernel's page-table walk does.
        Assert.Equal(40UL, a.LastMigration!.FailedWith(LinuxErrno.ENODEV));
        Assert.Equal(40UL, a.LastMigration.Failed);
    }

    [Fact]
    public void No_target_node_means_no_migration()
    {
        using var m = new AnonymousMapping(4 * 4096);
        m.Touch();
        using var a = new LinuxDamosActions(Caps);
        Assert.Equal(0UL, a.ApplyScheme(Self, new Region(m.Address, m.End), Scheme(DamosAction.MigrateHot), out _));
        Assert.Null(a.LastMigration);
    }

    [Fact]
    public void A_rejecting_anon_filter_leaves_nothing_to_migrate()
    {
        using var m = new AnonymousMapping(16 * 4096);
        m.Touch();
        using var a = new LinuxDamosActions(Caps);
        var s = Scheme(DamosAction.MigrateCold, 5, new DamosFilter(DamosFilterType.Anon, matching: true, allow: false));
        Assert.Equal(0UL, a.ApplyScheme(Self, new Region(m.Address, m.End), s, out _));
        Assert.Equal(0UL, a.LastMigration!.Failed + a.LastMigration.AlreadyOnTarget);
    }

    [Fact]
    public void Cold_on_a_mapped_region_applies_its_page_aligned_length()
    {
        using var m = new AnonymousMapping(64 * 4096);
        m.Touch();
        using var a = new LinuxDamosActions(Caps);
        Assert.Equal(64UL * 4096, a.ApplyScheme(Self, new Region(m.Address, m.End), Scheme(DamosAction.Cold), out ulong passed));
        Assert.Equal(0UL, passed);
    }

    [Fact]
    public void Pageout_over_a_hole_applies_nothing_as_do_madvise_failing_does()
    {
        using var a = new LinuxDamosActions(Caps);
        Assert.Equal(0UL, a.ApplyScheme(Self, new Region(0x1000, 0x3000), Scheme(DamosAction.Pageout), out _));
    }

    [Fact]
    public void Stat_counts_the_bytes_the_ops_filters_pass_and_nothing_without_filters()
    {
        using var m = new AnonymousMapping(64 * 4096);
        m.Touch(0, 24 * 4096);
        using var a = new LinuxDamosActions(Caps);
        var r = new Region(m.Address, m.End);
        Assert.Equal(0UL, a.ApplyScheme(Self, r, Scheme(DamosAction.Stat, Damos.NumaNoNode, new DamosFilter(DamosFilterType.Anon, true, true)), out ulong anon));
        Assert.Equal(24UL * 4096, anon);
        a.ApplyScheme(Self, r, Scheme(DamosAction.Stat, Damos.NumaNoNode, new DamosFilter(DamosFilterType.Unmapped, true, true)), out ulong unmapped);
        Assert.Equal(0UL, unmapped);
        a.ApplyScheme(Self, r, Scheme(DamosAction.Stat), out ulong none);
        Assert.Equal(0UL, none);
    }

    [Fact]
    public void Stat_counts_a_folio_once_across_adjacent_regions()
    {
        using var m = new AnonymousMapping(8 * 4096);
        m.Touch();
        using var a = new LinuxDamosActions(Caps);
        var s = Scheme(DamosAction.Stat, Damos.NumaNoNode, new DamosFilter(DamosFilterType.Anon, true, true));
        // The second region starts at the page the first ended in (an unaligned boundary).
        a.ApplyScheme(Self, new Region(m.Address, m.Address + 4 * 4096 + 100), s, out ulong p1);
        a.ApplyScheme(Self, new Region(m.Address + 4 * 4096 + 100, m.End), s, out ulong p2);
        Assert.Equal(8UL * 4096, p1 + p2);
    }

    [Fact]
    public void What_user_space_cannot_do_is_refused_with_one_line()
    {
        using var a = new LinuxDamosActions(Caps);
        Assert.Equal(LinuxDamosActions.PaddrUnsupported, a.CheckScheme(Scheme(DamosAction.Pageout), OperationsId.Paddr));
        Assert.Equal("action hugepage: process_madvise does not accept MADV_HUGEPAGE for another process",
            a.CheckScheme(Scheme(DamosAction.Hugepage), OperationsId.Vaddr));
        Assert.Equal("action lru_prio: the vaddr operations set has no LRU actions (paddr only, kernel mode)",
            a.CheckScheme(Scheme(DamosAction.LruPrio), OperationsId.Vaddr));
        Assert.Null(a.CheckScheme(Scheme(DamosAction.MigrateHot, 0, new DamosFilter(DamosFilterType.Anon, true, true)), OperationsId.Vaddr));
        var young = Scheme(DamosAction.MigrateCold, 1, new DamosFilter(DamosFilterType.Young, true, false));
        Assert.Equal("the young filter needs page_idle: " + Caps.PageIdle, a.CheckScheme(young, OperationsId.Vaddr));
    }

    [Fact]
    public void A_target_that_exited_is_told_apart()
    {
        using var a = new LinuxDamosActions(Caps);
        var gone = new Target(ExitedChild.Pid());
        var e = Assert.Throws<SyscallException>(() => a.ApplyScheme(gone, new Region(0x10000, 0x20000), Scheme(DamosAction.Cold), out _));
        Assert.True(e.TargetGone);
        var e2 = Assert.Throws<SyscallException>(() => a.ApplyScheme(gone, new Region(0x10000, 0x20000), Scheme(DamosAction.MigrateCold, 0), out _));
        Assert.True(e2.TargetGone);
    }
}
