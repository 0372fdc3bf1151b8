using Damon.Core.Sampling;
using Xunit;

namespace Damon.Core.Tests.Sampling;

/// <summary>
/// Sample filter semantics, as tables. The report under test runs on CPU 2, thread 200, and is a
/// write or a read; filters name CPUs {1, 2} or threads {100, 200} (the report has the property)
/// or CPU {5} / thread {500} (it has not).
/// </summary>
public class SampleFilterTableTests
{
    private static DamonAccessReport Report(bool write) => new(Paddr: 0, Vaddr: 0, Size: 1, Cpu: 2, Tid: 200, IsWrite: write);

    private static DamonSampleFilter Filter(DamonSampleFilterType type, bool reportHasIt, bool matching, bool allow) => type switch
    {
        DamonSampleFilterType.Cpumask => new(type, matching, allow) { Cpumask = reportHasIt ? DamonCpumask.Of(1, 2) : DamonCpumask.Of(5) },
        DamonSampleFilterType.Threads => new(type, matching, allow) { TidArr = reportHasIt ? [100, 200] : [500] },
        _ => new(type, matching, allow),
    };

    /// <summary>
    /// One filter: every type × whether the report has the property × matching × allow. "kept" is
    /// the DAMOS rule; the RFC revision keeps every report under one allow filter and drops every
    /// report under one reject filter (its "rfc kept" column, for reference: differs on the rows
    /// marked ≠).
    /// </summary>
    [Theory]
    //          type       has    matching allow  kept        rfc kept
    [InlineData("cpumask", true,  true,  true,  true)]     // true
    [InlineData("cpumask", true,  true,  false, false)]    // false
    [InlineData("cpumask", true,  false, true,  false)]    // true  ≠
    [InlineData("cpumask", true,  false, false, true)]     // false ≠
    [InlineData("cpumask", false, true,  true,  false)]    // true  ≠
    [InlineData("cpumask", false, true,  false, true)]     // false ≠
    [InlineData("cpumask", false, false, true,  true)]     // true
    [InlineData("cpumask", false, false, false, false)]    // false
    [InlineData("threads", true,  true,  true,  true)]
    [InlineData("threads", true,  true,  false, false)]
    [InlineData("threads", true,  false, true,  false)]
    [InlineData("threads", true,  false, false, true)]
    [InlineData("threads", false, true,  true,  false)]
    [InlineData("threads", false, true,  false, true)]
    [InlineData("threads", false, false, true,  true)]
    [InlineData("threads", false, false, false, false)]
    [InlineData("write",   true,  true,  true,  true)]
    [InlineData("write",   true,  true,  false, false)]
    [InlineData("write",   true,  false, true,  false)]
    [InlineData("write",   true,  false, false, true)]
    [InlineData("write",   false, true,  true,  false)]
    [InlineData("write",   false, true,  false, true)]
    [InlineData("write",   false, false, true,  true)]
    [InlineData("write",   false, false, false, false)]
    public void one_filter(string typeName, bool reportHasIt, bool matching, bool allow, bool kept)
    {
        Assert.True(DamonSampleFilterTypes.TryParse(typeName, out var type));
        // A write filter's property is the report's own: a read report lacks it.
        var report = Report(write: type != DamonSampleFilterType.Write || reportHasIt);
        var f = Filter(type, reportHasIt, matching, allow);
        Assert.Equal(reportHasIt, f.HasProperty(report));
        Assert.Equal(!kept, SampleFilters.FilterOut([f], report));
    }

    /// <summary>
    /// Two filters, by whether each matches the report and allows: the first matching one decides;
    /// none matching gives the opposite of the second (last) filter's allow.
    /// </summary>
    private static readonly Dictionary<(bool M1, bool A1, bool M2, bool A2), bool> TwoFiltersKept = new()
    {
        // first matches: it decides
        [(true, true, true, true)] = true,
        [(true, true, true, false)] = true,
        [(true, true, false, true)] = true,
        [(true, true, false, false)] = true,
        [(true, false, true, true)] = false,
        [(true, false, true, false)] = false,
        [(true, false, false, true)] = false,
        [(true, false, false, false)] = false,
        // only the second matches: it decides
        [(false, true, true, true)] = true,
        [(false, false, true, true)] = true,
        [(false, true, true, false)] = false,
        [(false, false, true, false)] = false,
        // none matches: the opposite of the last filter's allow. The RFC revision keeps the
        // first two (its last filter allows) and drops the last two: all-reject drops everything.
        [(false, true, false, true)] = false,
        [(false, false, false, true)] = false,
        [(false, true, false, false)] = true,
        [(false, false, false, false)] = true,
    };

    public static TheoryData<int, int> FilterPairs()
    {
        var d = new TheoryData<int, int>();
        for (int a = 0; a < 12; a++)
            for (int b = 0; b < 12; b++)
                d.Add(a, b);
        return d;
    }

    // Index → (type, matching, allow): 3 types × 2 × 2.
    private static (DamonSampleFilterType Type, bool Matching, bool Allow) Spec(int i) =>
        ((DamonSampleFilterType)(i / 4), (i & 2) != 0, (i & 1) != 0);

    /// <summary>
    /// Every type/matching/allow for the first and second filter, each against reports that have
    /// and lack each filter's property: the outcome is the two-filter table's row for how the two
    /// filters matched (a filter matches when having the property equals `matching`).
    /// </summary>
    [Theory]
    [MemberData(nameof(FilterPairs))]
    public void two_filters(int first, int second)
    {
        var (t1, m1, a1) = Spec(first);
        var (t2, m2, a2) = Spec(second);
        foreach (bool has1 in new[] { true, false })
        foreach (bool has2 in new[] { true, false })
        {
            bool write = t1 == DamonSampleFilterType.Write ? has1 : t2 == DamonSampleFilterType.Write ? has2 : true;
            // Two write filters test the same property: skip the contradictory combinations.
            if (t1 == t2 && t1 == DamonSampleFilterType.Write && has1 != has2)
                continue;
            var report = Report(write);
            var f1 = Filter(t1, has1, m1, a1);
            var f2 = Filter(t2, has2, m2, a2);
            bool kept = TwoFiltersKept[(has1 == m1, a1, has2 == m2, a2)];
            Assert.True(!kept == SampleFilters.FilterOut([f1, f2], report),
                $"[{f1}] [{f2}] on cpu 2 tid 200 {(write ? "write" : "read")}: expected {(kept ? "kept" : "dropped")}");
        }
    }

    [Fact]
    public void no_filters_keep_every_report()
    {
        Assert.False(SampleFilters.FilterOut([], Report(write: true)));
        Assert.False(SampleFilters.FilterOut([], Report(write: false)));
    }

    [Fact]
    public void the_rfc_and_damos_rules_part_on_an_all_reject_list()
    {
        // damo's --exp_ops_cpus style exclusion: reject CPUs 0-1, reject thread 9. Under the RFC
        // revision every report is dropped; under the DAMOS rule only the matching ones.
        DamonSampleFilter[] rejects =
        [
            new(DamonSampleFilterType.Cpumask, Matching: true, Allow: false) { Cpumask = DamonCpumask.Of(0, 1) },
            new(DamonSampleFilterType.Threads, Matching: true, Allow: false) { TidArr = [9] },
        ];
        Assert.True(SampleFilters.FilterOut(rejects, new DamonAccessReport(0, 0, 1, Cpu: 1, Tid: 5, IsWrite: false)));
        Assert.True(SampleFilters.FilterOut(rejects, new DamonAccessReport(0, 0, 1, Cpu: 3, Tid: 9, IsWrite: false)));
        Assert.False(SampleFilters.FilterOut(rejects, new DamonAccessReport(0, 0, 1, Cpu: 3, Tid: 5, IsWrite: false)));
    }
}
