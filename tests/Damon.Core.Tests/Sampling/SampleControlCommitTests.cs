using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Sampling;
using Xunit;

namespace Damon.Core.Tests.Sampling;

/// <summary>damon_commit_ctx and damon_set_attrs on the sample control: exactly one primitive.</summary>
public class SampleControlCommitTests
{
    private static DamonContext Src(bool pageTable, bool pageFault)
    {
        var src = new DamonContext { Ops = new TestOperations(OperationsId.Paddr) };
        // Built past the validation, as a config reader would hand it over.
        src.Attrs = src.Attrs with { SampleControl = new DamonSampleControl { PrimitivesEnabled = new(pageTable, pageFault) } };
        return src;
    }

    [Theory]
    [InlineData(true, true, "sample.primitives: exactly one of page_table and page_fault must be enabled (both are)")]
    [InlineData(false, false, "sample.primitives: exactly one of page_table and page_fault must be enabled (neither is)")]
    public void commit_rejects_both_and_neither_primitive(bool pageTable, bool pageFault, string message)
    {
        var dst = new DamonContext { Ops = new TestOperations(OperationsId.Paddr) };
        var before = dst.Attrs;
        var e = Assert.Throws<DamonException>(() => DamonCore.CommitCtx(dst, Src(pageTable, pageFault)));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Equal(message, e.Message);
        Assert.Same(before, dst.Attrs);
        Assert.False(dst.MaybeCorrupted);

        var ctx = new DamonContext();
        var attrs = MonitoringAttrs.Default with { SampleControl = new DamonSampleControl { PrimitivesEnabled = new(pageTable, pageFault) } };
        Assert.Equal(message, Assert.Throws<DamonException>(() => DamonCore.SetAttrs(ctx, attrs)).Message);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void commit_takes_exactly_one_primitive_without_restarting_the_window(bool pageTable, bool pageFault)
    {
        var dst = new DamonContext { Ops = new TestOperations(OperationsId.Paddr) };
        DamonCore.SetAttrs(dst, MonitoringAttrs.Default);
        var filters = new[] { new DamonSampleFilter(DamonSampleFilterType.Threads, true, true) { TidArr = [3, 4] } };
        var src = Src(pageTable, pageFault);
        src.Attrs = dst.Attrs with { SampleControl = src.Attrs.SampleControl with { SampleFilters = filters } };
        dst.PassedSampleIntervals = 7;
        dst.NextAggregationSis = 20;
        DamonCore.CommitCtx(dst, src);
        Assert.Equal(new DamonSamplePrimitives(pageTable, pageFault), dst.Attrs.SampleControl.PrimitivesEnabled);
        Assert.Equal(filters, dst.Attrs.SampleControl.SampleFilters);
        Assert.Equal(pageFault, dst.Attrs.SampleControl.UsesReports);
        // Only the sample control changed: the running window keeps its schedule.
        Assert.Equal(20ul, dst.NextAggregationSis);
    }

    [Fact]
    public void sample_controls_compare_by_value()
    {
        DamonSampleControl Make() => new()
        {
            PrimitivesEnabled = new(false, true),
            SampleFilters =
            [
                new(DamonSampleFilterType.Cpumask, true, false) { Cpumask = DamonCpumask.Of(0, 3) },
                new(DamonSampleFilterType.Threads, false, true) { TidArr = [1, 2] },
            ],
        };
        Assert.Equal(Make(), Make());
        Assert.NotEqual(Make(), Make() with { SampleFilters = [.. Make().SampleFilters.Take(1)] });
        Assert.NotEqual(Make(), Make() with { PrimitivesEnabled = DamonSamplePrimitives.Default });
        Assert.Equal(DamonSamplePrimitives.Default, new DamonSampleControl().PrimitivesEnabled);
        Assert.True(DamonSamplePrimitives.Default.PageTable);
        Assert.False(DamonSamplePrimitives.Default.PageFault);
    }

    [Theory]
    [InlineData("0-3,8", "0-3,8", new[] { 0, 1, 2, 3, 8 })]
    [InlineData("5,1,2", "1-2,5", new[] { 1, 2, 5 })]
    [InlineData("70", "70", new[] { 70 })]
    [InlineData("", "", new int[0])]
    public void cpulists_parse_and_print_as_the_kernel_does(string text, string printed, int[] cpus)
    {
        Assert.True(DamonCpumask.TryParseList(text, out var mask, out _));
        Assert.Equal(printed, mask.ToString());
        Assert.Equal(cpus, mask.Cpus().ToArray());
        Assert.Equal(cpus.Length == 0, mask.IsEmpty);
    }

    [Theory]
    [InlineData("a", "'a' is not a CPU number or a range like 0-3")]
    [InlineData("3-1", "'3-1': range start exceeds its end")]
    [InlineData("9000", "'9000': CPU numbers must be below 8192")]
    [InlineData("1,,2", "'' is not a CPU number or a range like 0-3")]
    public void bad_cpulists_name_the_bad_part(string text, string error)
    {
        Assert.False(DamonCpumask.TryParseList(text, out _, out string got));
        Assert.Equal(error, got);
    }
}
