using Xunit;
using Damon.Core.Sampling;
using Damon.Linux.Procfs;
using Damon.Linux.Reports;

namespace Damon.Linux.Tests.Reports;

/// <summary>perf script sample text (Fixtures/perf/perf-mem.script, hand-made from perf's documented format) as reports.</summary>
public sealed class PerfScriptImportTests
{
    private static readonly string Sample = FixturePath.Of("perf", "perf-mem.script");

    private static (ulong, ulong, ulong, int, int, bool, int, ulong) Row(DamonAccessReport r) =>
        (r.Paddr, r.Vaddr, r.Size, r.Cpu, r.Tid, r.IsWrite, r.Pid, r.ReportTimeNs);

    [Fact]
    public void Loads_and_stores_of_pebs_and_ibs_become_reports_with_who_and_when()
    {
        var result = PerfScriptImport.Read(Sample, physAddrLast: true);
        Assert.Equal(
        [
            (0x12f4a3040UL, 0x7f1a2c001040UL, 1UL, 0, 4242, false, 4242, 1234_567890000UL),
            (0x12f4a4008UL, 0x7f1a2c002008UL, 1UL, 1, 4243, true, 4242, 1234_567912000UL),
            (0x20a115c0UL, 0x7f1a2c0030c0UL, 1UL, 1, 4243, false, 4242, 1234_568001000UL),
            (0x12f4a3048UL, 0x7f1a2c001048UL, 1UL, 3, 4244, true, 4242, 1234_568100000UL),
            (0x1c0ffe000UL, 0x55d0c0ffe000UL, 1UL, 2, 5151, false, 5151, 1234_569000000UL),
            (0x1c0fff010UL, 0x55d0c0fff010UL, 1UL, 2, 5152, true, 5151, 1234_569050000UL),
        ], result.Reports.Select(Row));
        Assert.Equal(1, result.NrNotLoadOrStore);
        Assert.Equal(0, result.NrOtherPid);
    }

    [Fact]
    public void A_pid_keeps_only_that_process_and_without_phys_addr_paddr_is_unknown()
    {
        var text = string.Join('\n', File.ReadAllLines(Sample).Select(l => l.StartsWith('#') ? l : l[..l.LastIndexOf("BLK  N/A", StringComparison.Ordinal)] + "BLK  N/A"));
        var result = PerfScriptImport.Read(new StringReader(text), "s", pid: 5151);
        Assert.Equal([(0UL, 0x55d0c0ffe000UL, false), (0UL, 0x55d0c0fff010UL, true)], result.Reports.Select(r => (r.Paddr, r.Vaddr, r.IsWrite)));
        Assert.Equal(4, result.NrOtherPid);
    }

    [Fact]
    public void Without_data_src_the_event_name_tells_loads_from_stores_and_ns_times_are_exact()
    {
        const string text = "            a.out  77 [005] 10.000000123: cpu_core/mem-stores/P:     7ffd00001000\n"
                          + "\t    55d0c0de1234 main+0x14 (/tmp/a.out)\n"
                          + "            a.out  78 [004] 10.000000200: cpu_core/mem-loads,ldlat=30/P:     7ffd00002000\n";
        var r = PerfScriptImport.Read(new StringReader(text), "t").Reports;
        Assert.Equal([(0x7ffd00001000UL, true, 77, 0, 5, 10_000000123UL), (0x7ffd00002000UL, false, 78, 0, 4, 10_000000200UL)],
            r.Select(x => (x.Vaddr, x.IsWrite, x.Tid, x.Pid, x.Cpu, x.ReportTimeNs)));
    }

    [Theory]
    [InlineData("a.out 77 [005] 10.5: ibs_op//:     7ffd00001000\n",
        "t:1: a data_src field (perf script -F ...,data_src) to tell a load from a store: event 'ibs_op//' is neither mem-loads nor mem-stores")]
    [InlineData("# header\nnot a sample line\n",
        "t:2: expected a sample line '[comm] [pid/]tid [cpu] seconds: event: addr ...' (perf script -F comm,pid,tid,cpu,time,event,addr,data_src,phys_addr)")]
    [InlineData("a.out 77 [005] 10.5: cpu/mem-loads/P: main+0x14\n",
        "t:1: the data address in hex after 'cpu/mem-loads/P:' (add addr to perf script -F), found 'main+0x14'")]
    [InlineData("a.out 77 [005] 10.5: cpu/mem-loads/P: 7ffd00001000 10068100142 |OP LOAD|LVL L1 hit\n",
        "t:1: data_src's decoded text to end with '|BLK <value>'")]
    public void A_line_that_does_not_parse_is_one_line_naming_file_and_line(string text, string message)
    {
        var e = Assert.Throws<LinuxSourceException>(() => PerfScriptImport.Read(new StringReader(text), "t"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Phys_addr_last_must_be_there()
    {
        var e = Assert.Throws<LinuxSourceException>(() =>
            PerfScriptImport.Read(new StringReader("a.out 77 [005] 10.5: cpu/mem-loads/P: 7ffd00001000\n"), "t", physAddrLast: true));
        Assert.Equal("t:1: the physical address in hex at the end of the line (phys_addr last in perf script -F)", e.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<LinuxSourceException>(() => PerfScriptImport.Read("/nonexistent/perf.script"));
        Assert.Equal("/nonexistent/perf.script: no such file (its directory is missing)", e.Message);
    }
}
