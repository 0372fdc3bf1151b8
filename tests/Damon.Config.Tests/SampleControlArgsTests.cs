using Damon.Config.Args;
using Damon.Config.Io;
using Damon.Config.Numbers;
using Damon.Config.Schema;
using Xunit;

namespace Damon.Config.Tests;

/// <summary>
/// The access-sampling options and sample_control keys beyond what damo's goldens cover: the Y/N
/// words damo gets wrong, every refusal, and the thread-id grammar (cpulists are DamonCpumask's).
/// </summary>
public class SampleControlArgsTests
{
    private static SampleControlSpec Sample(string options, int ctx = 0) =>
        KdamondsBuilder.Build(options.Split(' ')).Kdamonds[0].Contexts[ctx].SampleControl;

    private static string Show(SampleControlSpec sc) =>
        $"{(sc.PageTable ? "page_table" : "")}{(sc.PageFault ? "page_fault" : "")}"
        + string.Concat(sc.SampleFilters.Select(f => $" {(f.Allow ? "allow" : "reject")}:{f.FilterType}:{f.Cpumask ?? f.TidArr ?? "-"}"));

    [Theory]
    // damo's Python truth test makes every one of these page_fault or a write filter (cases.txt
    // has the ones damo gets right); Damon reads the words.
    [InlineData("--exp_ops_use_reports N -r 1G-2G", "page_table")]
    [InlineData("--exp_ops_use_reports no -r 1G-2G", "page_table")]
    [InlineData("--sample_primitives page_table -r 1G-2G", "page_table")]
    [InlineData("--exp_ops_write_only N -r 1G-2G", "page_table")]
    [InlineData("--exp_ops_write_only FALSE --exp_ops_use_reports TRUE -r 1G-2G", "page_fault")]
    [InlineData("--exp_ops_tids 7 -r 1G-2G", "page_table allow:threads:7")]
    [InlineData("-r 1G-2G", "page_table")]
    public void WordsMeanWhatTheySay(string options, string expected) => Assert.Equal(expected, Show(Sample(options)));

    [Fact]
    public void EachOccurrenceBelongsToItsContext()
    {
        const string two = "--ops paddr --ops paddr -r 1G-2G -r 2G-3G --nr_targets 1 1 --sample_primitives page_fault --exp_ops_cpus all --exp_ops_cpus 3";
        Assert.Equal("page_fault", Show(Sample(two, 0)));
        Assert.Equal("page_table allow:cpumask:3", Show(Sample(two, 1)));
    }

    [Theory]
    [InlineData("--sample_primitives page_walk -r 1G-2G", "--sample_primitives: invalid choice: 'page_walk' (choose from page_table, page_fault)")]
    [InlineData("--sample_primitives page_table page_fault -r 1G-2G", "--sample_primitives page_table page_fault: exactly one primitive can be enabled (page_table or page_fault)")]
    [InlineData("--sample_primitives page_fault --exp_ops_use_reports Y -r 1G-2G", "--sample_primitives and --exp_ops_use_reports used together")]
    [InlineData("--exp_ops_use_reports maybe -r 1G-2G", "--exp_ops_use_reports maybe: expected Y or N (y/yes/true, n/no/false, any case)")]
    [InlineData("--exp_ops_write_only 1 -r 1G-2G", "--exp_ops_write_only 1: expected Y or N (y/yes/true, n/no/false, any case)")]
    [InlineData("--exp_ops_cpus 3-1 -r 1G-2G", "--exp_ops_cpus 3-1: '3-1': range start exceeds its end")]
    [InlineData("--exp_ops_cpus 0,x -r 1G-2G", "--exp_ops_cpus 0,x: 'x' is not a CPU number or a range like 0-3")]
    [InlineData("--exp_ops_cpus 8192 -r 1G-2G", "--exp_ops_cpus 8192: '8192': CPU numbers must be below 8192")]
    [InlineData("--exp_ops_cpus 0-7:2/4 -r 1G-2G", "--exp_ops_cpus 0-7:2/4: '0-7:2/4' is not a CPU number or a range like 0-3")]
    [InlineData("--exp_ops_tids 12,,13 -r 1G-2G", "--exp_ops_tids 12,,13: '' is not a thread id (a whole number above 0; ids are separated by commas)")]
    [InlineData("--exp_ops_tids 0 -r 1G-2G", "--exp_ops_tids 0: '0' is not a thread id (a whole number above 0; ids are separated by commas)")]
    [InlineData("--exp_ops_tids 1-3 -r 1G-2G", "--exp_ops_tids 1-3: '1-3' is not a thread id (a whole number above 0; ids are separated by commas)")]
    [InlineData("--exp_ops_cpus 1 --exp_ops_cpus 2 -r 1G-2G", "--exp_ops_cpus: given 2 times for 1 context(s) (one per context, in context order)")]
    public void BadValuesAreRefusedNamingTheOption(string options, string message)
    {
        var e = Assert.Throws<ConfigException>(() => KdamondsBuilder.Build(options.Split(' ')));
        Assert.Equal(message, e.Message);
        Assert.Null(e.File);
    }

    private const string Filter = """{"kdamonds": [{"contexts": [{"ops": "paddr", "sample_control": {"sample_filters": [FILTER]}}]}]}""";

    [Theory]
    [InlineData("""{"filter_type": "cpumask", "matching": true, "allow": true, "cpumask": null, "tid_arr": null}""", "sample_control.sample_filters[0].cpumask: a cpumask filter needs a cpumask (a CPU list, e.g. 0-3,8)")]
    [InlineData("""{"filter_type": "cpumask", "cpumask": "0-3,9-8"}""", "sample_control.sample_filters[0].cpumask: '9-8': range start exceeds its end")]
    [InlineData("""{"filter_type": "threads", "tid_arr": null}""", "sample_control.sample_filters[0].tid_arr: a threads filter needs tid_arr (thread ids, e.g. 1234,1235)")]
    [InlineData("""{"filter_type": "threads", "tid_arr": ""}""", "sample_control.sample_filters[0].tid_arr: no thread id given (e.g. 1234,1235)")]
    [InlineData("""{"filter_type": "pmu"}""", "sample_control.sample_filters[0].filter_type: \"pmu\" is not one of cpumask, threads, write")]
    [InlineData("""{"filter_type": "write", "allow": "sometimes"}""", "sample_control.sample_filters[0].allow: \"sometimes\" is not a boolean")]
    public void BadSampleFiltersInAFileNameTheKey(string filter, string message)
    {
        var e = Assert.Throws<ConfigException>(() => KdamondsJson.Read(Filter.Replace("FILTER", filter, StringComparison.Ordinal), "k.json"));
        Assert.StartsWith("k.json: kdamonds[0].contexts[0]." + message, e.Message);
    }

    [Fact]
    public void AWriteFilterKeepsWhatDamoWrote()
    {
        var spec = KdamondsJson.Read(Filter.Replace("FILTER", """{"filter_type": "write", "matching": false, "allow": false, "cpumask": null, "tid_arr": null}""", StringComparison.Ordinal), "k.json");
        Assert.Equal("page_table reject:write:-", Show(spec.Kdamonds[0].Contexts[0].SampleControl));
        Assert.False(spec.Kdamonds[0].Contexts[0].SampleControl.SampleFilters[0].Matching);
    }

    [Theory]
    [InlineData("1,2,3", "1 2 3")]
    [InlineData("4194304", "4194304")]
    public void TidListsReadInOrder(string text, string tids)
    {
        Assert.True(TidList.TryParse(text, out var list, out var why), why);
        Assert.Equal(tids, string.Join(' ', list));
    }
}
