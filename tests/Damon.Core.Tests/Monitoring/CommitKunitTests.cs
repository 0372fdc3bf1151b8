using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Probes;
using Xunit;
using static Damon.Core.Tests.Monitoring.RegionTestHelpers;

namespace Damon.Core.Tests.Monitoring;

/// <summary>
/// core-kunit.h: the operations registry and online updates — damon_commit_ctx, probe and probe
/// filter commits, probe parameter validation (§1.6, §2.13, §2.14).
/// </summary>
public class CommitKunitTests
{
    [Fact]
    public void damon_test_ops_registration()
    {
        var engine = new DamonEngine();
        var registry = engine.Registry;
        var c = new DamonContext();
        var ops = new TestOperations(OperationsId.Vaddr);

        // DAMON_OPS_VADDR is registered only if the vaddr set is built in; a fresh engine has none.
        if (!registry.IsRegistered(OperationsId.Vaddr))
            registry.Register(new TestOperations(OperationsId.Vaddr));

        // DAMON_OPS_VADDR is ensured to be registered
        registry.Select(c, OperationsId.Vaddr);
        Assert.Equal(OperationsId.Vaddr, c.Ops!.Id);

        // Double-registration is prohibited
        AssertErrno(Errno.EINVAL, () => registry.Register(ops));

        // Unknown ops id cannot be selected (nor registered)
        AssertErrno(Errno.EINVAL, () => registry.Select(c, (OperationsId)OperationsIds.NrDamonOps));
        AssertErrno(Errno.EINVAL, () => registry.Register(new TestOperations((OperationsId)OperationsIds.NrDamonOps)));

        // Registration should succeed after unregistration
        var bak = registry.Get(OperationsId.Vaddr);
        registry.Unregister(OperationsId.Vaddr);
        registry.Register(ops);
        Assert.Same(ops, registry.Get(OperationsId.Vaddr));

        registry.Unregister(OperationsId.Vaddr);
        registry.Register(bak!);

        // Check double-registration failure again
        AssertErrno(Errno.EINVAL, () => registry.Register(ops));
        Assert.Same(bak, registry.Get(OperationsId.Vaddr));
    }

    [Fact]
    public void damon_test_commit_ctx()
    {
        var src = new DamonContext();
        var dst = new DamonContext();

        // Only power of two min_region_sz is allowed.
        src.MinRegionSz = 4096;
        DamonCore.CommitCtx(dst, src);
        Assert.Equal(4096ul, dst.MinRegionSz);

        src.MinRegionSz = 4095;
        AssertErrno(Errno.EINVAL, () => DamonCore.CommitCtx(dst, src));
        // The failed commit was tried on a copy: dst is intact and not marked corrupted.
        Assert.Equal(4096ul, dst.MinRegionSz);
        Assert.False(dst.MaybeCorrupted);

        src.MinRegionSz = 4096;
        src.Pause = true;
        DamonCore.CommitCtx(dst, src);
        Assert.True(dst.Pause);
    }

    /// <summary>damon_test_commit_filter_for: type, matching and allow follow src; memcg_id for memcg filters.</summary>
    private static void damon_test_commit_filter_for(DamonFilter dst, DamonFilter src)
    {
        DamonCore.CommitProbeFilter(dst, src);
        Assert.Equal(src.Type, dst.Type);
        Assert.Equal(src.Matching, dst.Matching);
        Assert.Equal(src.Allow, dst.Allow);
        if (src.Type == DamonFilterType.Memcg)
            Assert.Equal(src.MemcgId, dst.MemcgId);
    }

    /// <summary>The probe-filter damon_test_commit_filter of the newest KUnit file (§7.3).</summary>
    [Fact]
    public void damon_test_commit_filter()
    {
        var dst = new DamonFilter(DamonFilterType.Anon, matching: false, allow: false);

        damon_test_commit_filter_for(dst, new DamonFilter(DamonFilterType.Anon, matching: true, allow: true));
        damon_test_commit_filter_for(dst, new DamonFilter(DamonFilterType.Memcg, matching: false, allow: false, memcgId: 123));
        Assert.Equal(123ul, dst.MemcgId);
    }

    private static DamonContext damon_test_help_setup_probes(uint[] weights)
    {
        var ctx = new DamonContext();
        foreach (var w in weights)
            ctx.Probes.Add(new DamonProbe(w));
        return ctx;
    }

    /// <summary>
    /// damon_test_commit_probes_for. damon_commit_probes is private to the commit, as in the kernel
    /// (a static function there); it is reached through damon_commit_ctx, whose probe validation
    /// passes for these weights at the default 20 samples per aggregation.
    /// </summary>
    private static void damon_test_commit_probes_for(uint[] dstWeights, uint[] srcWeights)
    {
        var dst = damon_test_help_setup_probes(dstWeights);
        var src = damon_test_help_setup_probes(srcWeights);

        DamonCore.CommitCtx(dst, src);

        Assert.Equal(src.Probes.Count, dst.Probes.Count);
        for (int i = 0; i < dst.Probes.Count; i++)
            Assert.Equal(src.Probes[i].Weight, dst.Probes[i].Weight);
    }

    [Fact]
    public void damon_test_commit_probes()
    {
        damon_test_commit_probes_for([], []);
        damon_test_commit_probes_for([], [1]);
        damon_test_commit_probes_for([], [1, 2]);
        damon_test_commit_probes_for([1], [2]);
        damon_test_commit_probes_for([1], [2, 3]);
        damon_test_commit_probes_for([2, 3], [1]);
        damon_test_commit_probes_for([2, 3], []);
        damon_test_commit_probes_for([2], []);
    }

    [Fact]
    public void damon_test_valid_probe_params()
    {
        var ctx = new DamonContext();
        var probe = new DamonProbe();
        ctx.Probes.Add(probe);

        // Parameters are validated only if any probe weight is set.
        ctx.Attrs = ctx.Attrs with { SampleIntervalUs = 1, AggrIntervalUs = 1000000 };
        Assert.True(DamonCore.ValidProbeParams(ctx));

        // Up to U8_MAX samples per aggregation interval are allowed.
        probe.Weight = 100;
        ctx.Attrs = ctx.Attrs with { AggrIntervalUs = 255 };
        Assert.True(DamonCore.ValidProbeParams(ctx));

        // More samples could overflow the probe_hits counters.
        ctx.Attrs = ctx.Attrs with { AggrIntervalUs = 256 };
        Assert.False(DamonCore.ValidProbeParams(ctx));

        // The largest weight whose weighted hit count fits in unsigned int.
        ctx.Attrs = ctx.Attrs with { AggrIntervalUs = 255 };
        probe.Weight = uint.MaxValue / 255;
        Assert.True(DamonCore.ValidProbeParams(ctx));

        // Any larger weight could overflow its weighted hit count.
        probe.Weight = uint.MaxValue / 255 + 1;
        Assert.False(DamonCore.ValidProbeParams(ctx));

        // With one sample per aggregation, even the largest weight fits.
        ctx.Attrs = ctx.Attrs with { AggrIntervalUs = 1 };
        probe.Weight = uint.MaxValue;
        Assert.True(DamonCore.ValidProbeParams(ctx));

        // The sum of all probes' weighted hit counts could also overflow.
        ctx.Probes.Add(new DamonProbe(1));
        Assert.False(DamonCore.ValidProbeParams(ctx));
    }
}
