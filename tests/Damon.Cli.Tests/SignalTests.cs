using System.Diagnostics;
using System.Runtime.InteropServices;
using Damon.Records.IO;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary>
/// Real signals to a child <c>damon</c> process: SIGINT and SIGTERM end a run whose intervals are
/// zero (the engine busy in one slice) with exit 130 and, for record, a saved readable file. The
/// signal goes after the run is known to be under way (its first output line, its first flush);
/// waits are bounded by generous timeouts, never polled.
/// </summary>
public class SignalTests
{
    private const int SIGINT = 2, SIGTERM = 15;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    /// <summary>
    /// The built CLI beside the tests, through env so that SIGINT is not ignored in the child even
    /// when the test runner itself was started in the background (a shell ignores SIGINT there, and
    /// .NET keeps an inherited SIG_IGN).
    /// </summary>
    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--default-signal=INT,TERM");
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "damon"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    [Theory]
    [InlineData(SIGINT)]
    [InlineData(SIGTERM)]
    public async Task SimStopsOnASignalAndPrintsWhatItHas(int signal)
    {
        using var p = Start("sim", "--workload", "gups:size=64M", "--duration", "100000", "--monitoring_intervals", "0", "0", "0");
        var stderr = p.StandardError.ReadToEndAsync();
        string? first = await p.StandardOutput.ReadLineAsync().WaitAsync(Generous);
        Assert.StartsWith("Simulating 'gups:size=64M'", first);

        Assert.Equal(0, kill(p.Id, signal));
        string rest = await p.StandardOutput.ReadToEndAsync().WaitAsync(Generous);
        await p.WaitForExitAsync().WaitAsync(Generous);

        Assert.Equal(130, p.ExitCode);
        Assert.Matches(@"\nInterrupted at t=\d+\.\d\d s; what follows is up to then\.\n", rest);
        Assert.Matches(@"^damon: interrupted at t=\d+\.\d\d s of simulated time\n$", await stderr);
    }

    [Fact]
    public async Task RecordSavesEverythingOnSigint()
    {
        using var dir = new TempDir();
        string path = dir.File("damon.data");
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(dir.Path) { EnableRaisingEvents = true };
        // The first flush creates the journal (FILE.journal); FILE itself is written at the end.
        void OnEvent(object _, FileSystemEventArgs e) { if (e.FullPath == RecordJournal.PathFor(path)) flushed.TrySetResult(); }
        watcher.Created += OnEvent;
        watcher.Renamed += (s, e) => OnEvent(s, e);

        // Short intervals (the JSON reader refuses zero ones), a flush after every 50 ms slice.
        using var p = Start("record", "--workload", "gups:size=64M", "--duration", "100000", "--monitoring_intervals", "100", "1000", "1000",
            "--flush_interval", "0.000001", "--out", path);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await flushed.Task.WaitAsync(Generous);

        Assert.Equal(0, kill(p.Id, SIGINT));
        await p.WaitForExitAsync().WaitAsync(Generous);

        Assert.Equal(130, p.ExitCode);
        string journal = RecordJournal.PathFor(path);
        // The forced exit abandoned the conversion just as it renamed FILE into place (the note
        // then went to stderr): FILE is complete and the journal whole or gone; nothing is lost.
        if (File.Exists(path) && (await stderr).Length > 0)
        {
            var n = System.Text.RegularExpressions.Regex.Match(await stderr, @"^damon: interrupted; (\d+) snapshots of 1 context\(s\) .* saved to .*\.journal .*\n$");
            Assert.True(n.Success, await stderr);
            Assert.Equal(int.Parse(n.Groups[1].Value), Assert.Single(RecordFiles.Read(path)).Snapshots.Count);
            Assert.Contains(path, Directory.GetFiles(dir.Path));
        }
        else if (File.Exists(path))
        {
            // The conversion into FILE finished within the forced-exit window.
            Assert.Equal("", await stderr);
            var m = System.Text.RegularExpressions.Regex.Match(await stdout,
                @"^damon: interrupted; (\d+) snapshots of 1 context\(s\) over \d+\.\d\d s of simulated time saved to .* \(json_compressed\)\n$");
            Assert.True(m.Success, await stdout);
            var record = Assert.Single(RecordFiles.Read(path));
            Assert.Equal(int.Parse(m.Groups[1].Value), record.Snapshots.Count);
            Assert.Equal(new[] { path }, Directory.GetFiles(dir.Path));
        }
        else
        {
            // It did not (a loaded machine): abandoned, the whole journal kept, and one line, from
            // the command (stdout) or the forced exit (stderr), says where the record is.
            string said = await stdout + await stderr;
            var m = System.Text.RegularExpressions.Regex.Match(said,
                @"^damon: interrupted; (\d+) snapshots of 1 context\(s\) over \d+\.\d\d s of simulated time saved to (.*) \(the record's journal, which damon report reads as (.*)\); "
                + @"make (.*) of it with 'damon convert_record_format --record_file (.*) --format json_compressed --output_file (.*)'\n$");
            Assert.True(m.Success, said);
            Assert.Equal([journal, path, path, journal, path], m.Groups.Values.Skip(2).Select(g => g.Value));
            var record = Assert.Single(RecordFiles.Read(path));
            Assert.Equal(int.Parse(m.Groups[1].Value), record.Snapshots.Count);
            Assert.Equal(new[] { journal }, Directory.GetFiles(dir.Path));
        }
    }
}
