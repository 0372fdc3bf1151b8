using Damon.Records.IO;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary>
/// Output places are checked before any work: a path in a missing directory fails at once (no
/// simulation, no stdout) with one line naming the path, never the temporary file beside it.
/// </summary>
public class OutputPlaceTests
{
    private const string Missing = "/nonexistent-damon-dir/sub";

    [Theory]
    [InlineData("record --duration 1000 --out {0}/x.data", "{0}/x.data")]
    [InlineData("sim --duration 1000 --json {0}/x.json", "{0}/x.json")]
    [InlineData("numastat --duration 1000 --json {0}/x.json", "{0}/x.json")]
    [InlineData("topology --json {0}/x.json", "{0}/x.json")]
    [InlineData("bench tiering --json {0}/x.json", "{0}/x.json")]
    [InlineData("bench accuracy --json {0}/x.json", "{0}/x.json")]
    [InlineData("bench reports --json {0}/x.json", "{0}/x.json")]
    [InlineData("adjust --output {0}/x.data", "{0}/x.data")]
    [InlineData("convert_record_format --output_file {0}/x.data", "{0}/x.data")]
    [InlineData("report heatmap --output {0}/x.png", "{0}/x.png")]
    [InlineData("args --format json --out {0}/x.json", "{0}/x.json")]
    public async Task MissingDirectoriesFailBeforeWork(string commandLine, string target)
    {
        // Checked up front the verb returns at once; without the check a record would simulate 1000 s
        // and fail only at its end: the guard stops it (exit 130) long before, so the test fails.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var r = await DamonCli.Run(guard.Token, string.Format(commandLine, Missing).Split(' '));
        Assert.Equal($"damon: {string.Format(target, Missing)}: cannot write (directory {Missing} does not exist)\n", r.Err);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public async Task AnOutputThatIsADirectoryIsRefusedBeforeTheRun()
    {
        using var dir = new TempDir();
        var r = await DamonCli.Run("record", "--duration", "1000", "--out", dir.Path);
        Assert.Equal($"damon: {dir.Path}: cannot write (it is a directory)\n", r.Err);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void WriteFailuresNameTheTargetNotTheTemporaryFile()
    {
        var e = new IOException("Could not find a part of the path '/nonexist/.x.data.2797.0123456789abcdef0123456789abcdef.tmp'.");
        Assert.Equal("damon: /nonexist/x.data: cannot write (Could not find a part of the path)",
            "damon: " + OutputFiles.CannotWrite("/nonexist/x.data", e).Message);
        Assert.Equal("a directory on the path does not exist", OutputFiles.Reason(new DirectoryNotFoundException("'/a/.b.1.x.tmp'")));
    }

    [Fact]
    public async Task RecordKeepsTheExistingFileAsOld()
    {
        using var dir = new TempDir();
        string path = dir.File("damon.data");
        File.WriteAllText(path, "the previous record");
        var r = await DamonCli.Run("record", "--workload", "gups:size=64M", "--duration", "0.3", "--out", path);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("the previous record", File.ReadAllText(path + ".old"));
        Assert.NotEmpty(RecordFiles.Read(path)[0].Snapshots);

        // The next run moves this record to .old in turn.
        byte[] first = File.ReadAllBytes(path);
        Assert.Equal(0, (await DamonCli.Run("record", "--workload", "gups:size=64M", "--duration", "0.2", "--out", path)).ExitCode);
        Assert.Equal(first, File.ReadAllBytes(path + ".old"));
        Assert.Equal(new[] { path, path + ".old" }, Directory.GetFiles(dir.Path).Order());
    }

    [Fact]
    public async Task RecordWithoutAnEarlierFileMakesNoOld()
    {
        using var dir = new TempDir();
        string path = dir.File("damon.data");
        Assert.Equal(0, (await DamonCli.Run("record", "--workload", "gups:size=64M", "--duration", "0.2", "--out", path)).ExitCode);
        Assert.Equal(new[] { path }, Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task RecordRemovesTemporaryFilesOfDeadWritersOnly()
    {
        using var dir = new TempDir();
        string path = dir.File("damon.data");
        // No process can have a pid above the kernel's pid_max (at most 2^22), so this writer is gone.
        string stale = dir.File($".damon.data.{int.MaxValue - 1}.0123456789abcdef0123456789abcdef.tmp");
        string live = dir.File($".damon.data.{Environment.ProcessId}.0123456789abcdef0123456789abcdef.tmp");
        string other = dir.File($".other.data.{int.MaxValue - 1}.0123456789abcdef0123456789abcdef.tmp");
        foreach (var f in new[] { stale, live, other }) File.WriteAllText(f, "partial");

        var r = await DamonCli.Run("record", "--workload", "gups:size=64M", "--duration", "0.2", "--out", path);

        Assert.Equal(0, r.ExitCode);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(other));
    }

    [Fact]
    public void RemoveStaleTempsSkipsNamesItDidNotWrite()
    {
        using var dir = new TempDir();
        string path = dir.File("r.data");
        string notOurs = dir.File($".r.data.{int.MaxValue - 1}.notaguid.tmp");
        File.WriteAllText(notOurs, "x");
        Assert.Empty(AtomicFile.RemoveStaleTemps(path));
        Assert.True(File.Exists(notOurs));
    }
}
