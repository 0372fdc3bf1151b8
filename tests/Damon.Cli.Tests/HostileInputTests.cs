using System.Runtime.InteropServices;
using Damon.Tests;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary>
/// What a fresh-eyes hostile run found after the hardening work: each case broke one of
/// docs/cli.md's rules (a device replaced by a regular file, a crash, a non-record read as an
/// empty record, a command-line mistake reported as a file error).
/// </summary>
public class HostileInputTests
{
    [DllImport("libc", EntryPoint = "mkfifo")]
    private static extern int MkFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [Fact]
    public async Task RecordRefusesToReplaceAFifoAndLeavesIt()
    {
        using var dir = new TempDir();
        string fifo = dir.File("pipe");
        Assert.Equal(0, MkFifo(fifo, Convert.ToUInt32("600", 8)));

        var r = await DamonCli.Run("record", "--duration", "0.1", "--out", fifo);

        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"damon: {fifo}: cannot write (not a regular file: a device, FIFO or socket, which the rename of a temporary file would replace)\n", r.Err);
        Assert.Equal("", r.Out);
        // Still the FIFO, and no FILE.old made of it.
        Assert.Equal([fifo], Directory.GetFileSystemEntries(dir.Path));
        Assert.True(Damon.Records.IO.FileKind.IsSpecial(fifo));
    }

    [Fact]
    public void ARegularFileAndAMissingOneAreNotSpecial()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a"), "x");
        Assert.False(Damon.Records.IO.FileKind.IsSpecial(dir.File("a")));
        Assert.False(Damon.Records.IO.FileKind.IsSpecial(dir.File("missing")));
        Assert.True(Damon.Records.IO.FileKind.IsSpecial("/dev/null"));
    }

    [Fact]
    public async Task RecordWhoseOldNameIsADirectoryFailsBeforeTheRun()
    {
        using var dir = new TempDir();
        string path = dir.File("r.data");
        Directory.CreateDirectory(path + ".old");

        var r = await DamonCli.Run("record", "--duration", "100000", "--out", path);

        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"damon: {path}.old: cannot keep the existing record there (it is a directory)\n", r.Err);
        Assert.Equal("", r.Out);
    }

    [Theory]
    [InlineData("42\n")]
    [InlineData("null")]
    [InlineData("hello world, this is not a record\n")]
    public async Task TextThatHoldsNoDamonEventIsNotAnEmptyRecord(string content)
    {
        using var dir = new TempDir();
        string path = dir.File("x.data");
        File.WriteAllText(path, content);

        var r = await DamonCli.Run("report", "record_info", "--input", path);

        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"damon: {path}: at line 1: expected a damo record: zlib-compressed JSON, a JSON list of records, or perf script text with damon:damon_aggregated lines, but no line is a DAMON event\n", r.Err);
    }

    [Fact]
    public async Task DemoWithAnEmptyOutputDirectoryIsAUsageError()
    {
        var r = await DamonCli.Run("demo", "--out", "");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("damon: '': cannot create the directory (an empty name)\n", r.Err);
    }

    [Theory]
    [InlineData("--time_range", "5", "1", "damon: --time_range 5 1: the end must be after the start\n")]
    [InlineData("--address_range", "8192", "4096", "damon: --address_range 8192 4096: the end must be after the start\n")]
    public async Task ReversedHeatmapRangesAreCommandLineMistakes(string option, string start, string end, string err)
    {
        var r = await DamonCli.Run("report", "heatmap", "--input", RepoPaths.SharedData("damo-report", "damon.data.snapshot.active"), option, start, end);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(err, r.Err);
    }

    [Fact]
    public async Task AMissingLackeyFileIsAnInputError()
    {
        var r = await DamonCli.Run("sim", "--duration", "0.1", "--workload", "lackey:/nonexistent/trace.lackey");
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("damon: --workload: /nonexistent/trace.lackey: lackey trace file not found\n", r.Err);
    }

    [Theory]
    [InlineData(new[] { "report", "record_info", "--input" }, "is a directory, not a record file")]
    [InlineData(new[] { "topology", "--machine" }, "is a directory, not a machine file")]
    public async Task ADirectoryGivenAsAnInputFileIsNamedAsSuch(string[] verbAndOption, string rule)
    {
        using var dir = new TempDir();
        var r = await DamonCli.Run([.. verbAndOption, dir.Path]);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"damon: {dir.Path}: {rule}\n", r.Err);
    }
}
