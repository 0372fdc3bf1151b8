using BenchmarkDotNet.Attributes;
using Damon.Records.IO;
using Damon.Records.Reports;

namespace Damon.Bench.Records;

/// <summary>
/// Damon's side of the reports-on-long-records comparison (docs/performance.md): one read of
/// the record as a stream (inflate, parse, every snapshot handed out once), report wss (one pass)
/// and the terminal report heatmap (two passes), in process. The record is the file
/// <c>DAMON_BENCH_RECORD</c> names, e.g. the 300 s record bench/long-record-reports.sh makes;
/// without it setup fails with what to set.
/// </summary>
[MemoryDiagnoser]
public class LongRecordReportBench
{
    private string _path = null!;

    [GlobalSetup]
    public void Setup()
    {
        _path = Environment.GetEnvironmentVariable("DAMON_BENCH_RECORD") ?? "";
        if (!File.Exists(_path))
            throw new InvalidOperationException("damon: set DAMON_BENCH_RECORD to a record file (bench/long-record-reports.sh makes a 300 s one)");
    }

    [Benchmark]
    public long ReadEvents()
    {
        long regions = 0;
        foreach (var e in RecordFiles.ReadEvents(_path))
            if (e.Snapshot is { } s) regions += s.Regions.Count;
        return regions;
    }

    [Benchmark]
    public string Wss() => WssReport.Render(RecordSource.OfFile(_path), new WssReportOptions());

    [Benchmark]
    public string Heatmap() => HeatmapReport.RenderTerminal(RecordSource.OfFile(_path), new HeatmapOptions());
}
