using System.Text.Json;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary>
/// <c>--duration</c> governs a run's workload unless the workload's spec ends it earlier, and a
/// run cut short by its workload says so, in the same words, on sim, record and numastat.
/// </summary>
public class RunDurationTests
{
    private const string Finished = "The workload finished at t=0.55 s, before --duration 2.00 s; the run stops there.\n";

    [Fact]
    public async Task GupsWithoutDurationRunsTheWholeRun()
    {
        // Past the 10 s the generators used to stop at on their own.
        var r = await DamonCli.Run("sim", "--workload", "gups:size=16M", "--duration", "11", "--snapshot_every", "11", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(11_000_000UL, doc.RootElement.GetProperty("end_us").GetUInt64());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("workload_finished_us").ValueKind);
    }

    [Fact]
    public async Task SimSaysWhenTheWorkloadEndsFirst()
    {
        var r = await DamonCli.Run("sim", "--workload", "gups:size=16M,duration=500ms", "--duration", "2", "--snapshot_every", "2");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("\n\n" + Finished + "\nPer-node usage after 0.55 s", r.Out.ReplaceLineEndings("\n"));

        var j = await DamonCli.Run("sim", "--workload", "gups:size=16M,duration=500ms", "--duration", "2", "--snapshot_every", "2", "--json");
        using var doc = JsonDocument.Parse(j.Out);
        Assert.Equal(550_000UL, doc.RootElement.GetProperty("workload_finished_us").GetUInt64());
        Assert.Equal(550_000UL, doc.RootElement.GetProperty("end_us").GetUInt64());
    }

    [Fact]
    public async Task RecordSaysWhenTheWorkloadEndsFirst()
    {
        using var dir = new TempDir();
        var r = await DamonCli.Run("record", "--workload", "gups:size=16M,duration=500ms", "--duration", "2", "--out", dir.File("damon.data"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.StartsWith(Finished + "5 snapshots of 1 context(s) over 0.55 s of simulated time saved to ", r.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task NumastatSaysWhenTheWorkloadEndsFirst()
    {
        var r = await DamonCli.Run("numastat", "--workload", "gups:size=16M,duration=500ms", "--duration", "2");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.StartsWith(Finished + "\nPer-node system memory usage", r.Out.ReplaceLineEndings("\n"));

        var j = await DamonCli.Run("numastat", "--workload", "gups:size=16M,duration=500ms", "--duration", "2", "--json");
        using var doc = JsonDocument.Parse(j.Out);
        Assert.Equal(550_000UL, doc.RootElement.GetProperty("workload_finished_us").GetUInt64());
    }

    [Fact]
    public async Task AWorkloadThatRunsToTheEndPrintsNoSuchLine()
    {
        var r = await DamonCli.Run("numastat", "--workload", "gups:size=16M", "--duration", "1");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.DoesNotContain("The workload finished", r.Out);
        var j = await DamonCli.Run("numastat", "--workload", "gups:size=16M", "--duration", "1", "--json");
        using var doc = JsonDocument.Parse(j.Out);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("workload_finished_us").ValueKind);
    }
}
