using Damon.Sim.Traces;
using Damon.Sim.Workloads;
using Damon.Tests;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary>
/// A trace is read lazily while the simulation runs, so damage past the setup blocks is found
/// mid-run; it must end the run as a bad input file (exit 3), not escape as a crash.
/// </summary>
public class SimTraceInputTests
{
    private const int NrBatches = 40;
    private const int AccessesPerBatch = 2000;

    /// <summary>One thread touching 8 MiB; 40 batches of 1 ms compute, so 40 thread blocks.</summary>
    private static byte[] WriteTrace(string path)
    {
        using (var w = new TraceWriter(path))
        {
            int p = w.AddProcess("p");
            w.Mmap(p, 0x10000000, 8 << 20);
            int t = w.AddThread(p, 0);
            for (int b = 0; b < NrBatches; b++)
            {
                w.BeginBatch(t, (ulong)b * 1_000_000);
                for (int i = 0; i < AccessesPerBatch; i++)
                    w.Append(new MemAccess(0x10000000 + (ulong)((b * AccessesPerBatch + i) * 4096 % (8 << 20)), i % 4 == 0));
                w.EndBatch(1_000_000);
            }
            w.Complete();
        }
        return File.ReadAllBytes(path);
    }

    [Fact]
    public async Task Intact_trace_replays()
    {
        using var dir = new TempDir();
        var path = dir.File("ok.dtrace");
        WriteTrace(path);
        var r = await DamonCli.Run("sim", "--workload", "trace:" + path, "--duration", "1");
        Assert.Equal("", r.Err);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public async Task Truncation_found_mid_run_is_an_input_error_naming_the_offset()
    {
        using var dir = new TempDir();
        var path = dir.File("cut.dtrace");
        var bytes = WriteTrace(path);
        int cut = bytes.Length * 2 / 3;
        File.WriteAllBytes(path, bytes[..cut]);
        // The setup blocks are intact: the workload is built, and the cut is met while running.
        using (var replay = new TraceReplayWorkload(path)) { }
        var r = await DamonCli.Run("sim", "--workload", "trace:" + path, "--duration", "1");
        Assert.Equal(ExitCodes.InputError, r.ExitCode);
        Assert.Matches($@"^damon: --workload: {System.Text.RegularExpressions.Regex.Escape(path)}: truncated .*\(record \d+, byte offset \d+\)\n$", r.Err);
    }

    [Fact]
    public async Task Corrupt_block_tag_found_mid_run_is_an_input_error()
    {
        using var dir = new TempDir();
        var path = dir.File("bad.dtrace");
        var bytes = WriteTrace(path);
        var blocks = TraceFile.ReadAll(path).Blocks;
        long at = blocks[^3].FileOffset;
        bytes[at] = 0xee;
        File.WriteAllBytes(path, bytes);
        var r = await DamonCli.Run("sim", "--workload", "trace:" + path, "--duration", "1");
        Assert.Equal(ExitCodes.InputError, r.ExitCode);
        Assert.Equal($"damon: --workload: {path}: corrupt: block {blocks[^3].Index} starts with byte 0xee, not a block tag (record {blocks[^3].FirstRecord}, byte offset {at})\n", r.Err);
    }

    [Fact]
    public async Task Overlong_varint_in_a_later_block_is_an_input_error()
    {
        using var dir = new TempDir();
        var path = dir.File("varint.dtrace");
        var bytes = WriteTrace(path);
        var block = TraceFile.ReadAll(path).Blocks[^2];
        // Well inside the payload (block headers are at most 50 bytes): eleven continuation bytes.
        for (long i = block.FileOffset + 64; i < block.FileOffset + 75; i++) bytes[i] = 0xff;
        File.WriteAllBytes(path, bytes);
        var r = await DamonCli.Run("sim", "--workload", "trace:" + path, "--duration", "1");
        Assert.Equal(ExitCodes.InputError, r.ExitCode);
        Assert.Matches($@"^damon: --workload: {System.Text.RegularExpressions.Regex.Escape(path)}: corrupt record in block {block.Index}: varint (longer than 10 bytes|overflows 64 bits) \(record \d+, byte offset {block.FileOffset}\)\n$", r.Err);
    }

    [Fact]
    public async Task Garbage_after_valid_lackey_lines_is_an_input_error_naming_the_line()
    {
        using var dir = new TempDir();
        var path = dir.File("prog.lackey");
        File.WriteAllText(path, string.Concat(Enumerable.Range(0, 5000).Select(i => $" L {0x10000000 + i * 64:x},8\n")) + "garbage\n");
        var r = await DamonCli.Run("sim", "--workload", "lackey:" + path, "--duration", "1");
        Assert.Equal(ExitCodes.InputError, r.ExitCode);
        Assert.Equal($"damon: --workload: {path}:5001: not a lackey line (expected 'I  addr,size' or ' L|S|M addr,size'): 'garbage'\n", r.Err);
    }
}
