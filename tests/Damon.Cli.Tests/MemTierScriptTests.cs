using System.Text.Json;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary>
/// damo's scripts/mem_tier.sh run verbatim in <c>damon sim</c>, and the two ways a real 6.18
/// kernel leaves it doing nothing (../shared/reference/tiering.md §9), pinned exactly.
///
/// The machine is configs/testbed-guest.machine.json (node 0 fast with the CPUs, node 1 slow, 512
/// MiB each, as the QEMU guest where the kernel was measured). The workload is the guest run's:
/// 200 MiB of which a 20 MiB hot set takes 90 % of the accesses (GUPS, pattern=prob), bound to
/// node 1 from its first touch (membind=1), next to a never-touched 72 MiB on node 0 that makes
/// node 0 14 % used, as the guest's node 0 was.
/// </summary>
public class MemTierScriptTests
{
    /// <summary>The <c>damo start</c> options of scripts/mem_tier.sh (damo df6d55f), word for word.</summary>
    public static readonly string[] ScriptOptions =
    [
        "--numa_node", "0", "--monitoring_intervals_goal", "4%", "3", "5ms", "10s",
        "--damos_action", "migrate_cold", "1", "--damos_access_rate", "0%", "0%",
        "--damos_apply_interval", "1s",
        "--damos_quota_interval", "1s", "--damos_quota_space", "200MB",
        "--damos_quota_goal", "node_mem_free_bp", "0.5%", "0",
        "--damos_filter", "reject", "young",
        "--numa_node", "1", "--monitoring_intervals_goal", "4%", "3", "5ms", "10s",
        "--damos_action", "migrate_hot", "0", "--damos_access_rate", "5%", "max",
        "--damos_apply_interval", "1s",
        "--damos_quota_interval", "1s", "--damos_quota_space", "200MB",
        "--damos_quota_goal", "node_mem_used_bp", "99.7%", "0",
        "--damos_filter", "allow", "young",
        "--damos_nr_quota_goals", "1", "1", "--damos_nr_filters", "1", "1",
        "--nr_targets", "1", "1", "--nr_schemes", "1", "1", "--nr_ctxs", "1", "1",
    ];

    private const string Workload = "gups:size=200M,hot=10%,pattern=prob,hotprob=90%,membind=1+coldbulk:size=72M";
    private const ulong MiB = 1UL << 20;

    private static string Machine => Path.Combine(RepoPaths.Root(), "configs", "testbed-guest.machine.json");

    /// <summary>The same options with fixed intervals: both --monitoring_intervals_goal groups left out.</summary>
    private static string[] FixedIntervalOptions()
    {
        var list = new List<string>();
        for (int i = 0; i < ScriptOptions.Length; i++)
        {
            if (ScriptOptions[i] == "--monitoring_intervals_goal") { i += 4; continue; }
            list.Add(ScriptOptions[i]);
        }
        return [.. list];
    }

    private static async Task<JsonElement> RunJson(string duration, string[] damoOptions)
    {
        var r = await DamonCli.Run([
            "sim", "--machine", Machine, "--workload", Workload, "--duration", duration,
            "--snapshot_every", "1", "--stats_every", "1", .. damoOptions, "--json"]);
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.Clone();
    }

    /// <summary>The scheme of kdamond <paramref name="kdamond"/> at each --stats_every point, with the point's time and promoted bytes.</summary>
    private static List<(ulong TimeUs, ulong PromotedBytes, JsonElement Scheme)> SchemeSeries(JsonElement root, int kdamond) =>
        root.GetProperty("scheme_stats").EnumerateArray()
            .Select(p => (p.GetProperty("time_us").GetUInt64(), p.GetProperty("promoted_bytes").GetUInt64(),
                p.GetProperty("schemes").EnumerateArray().Single(s => s.GetProperty("kdamond_idx").GetInt32() == kdamond)))
            .ToList();

    [Fact]
    public async Task TheScriptRunsVerbatimAsTwoPaddrKdamondsOnTheirNodes()
    {
        var root = await RunJson("1", ScriptOptions);
        var contexts = root.GetProperty("contexts").EnumerateArray().ToList();
        Assert.Equal([(0, "paddr", "migrate_cold"), (1, "paddr", "migrate_hot")],
            contexts.Select(c => (c.GetProperty("kdamond_idx").GetInt32(), c.GetProperty("ops").GetString(),
                c.GetProperty("schemes")[0].GetProperty("action").GetString())));
        // damo's --numa_node region is the node's System RAM: node 0 [0, 512 MiB), node 1 after the machine's 512 MiB hole.
        foreach (var (kdamond, start, end) in new[] { (0, 0UL, 512 * MiB), (1, 1024 * MiB, 1536 * MiB) })
        {
            var regions = root.GetProperty("snapshots").EnumerateArray()
                .Last(s => s.GetProperty("kdamond_idx").GetInt32() == kdamond)
                .GetProperty("targets").EnumerateArray().Single().GetProperty("regions").EnumerateArray().ToList();
            Assert.Equal((start, end), (regions[0].GetProperty("start").GetUInt64(), regions[^1].GetProperty("end").GetUInt64()));
        }
        // membind=1 faulted every page of the 200 MiB in on node 1; the cold 72 MiB stayed on node 0.
        var used = root.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("used_bytes").GetUInt64()).ToList();
        Assert.Equal([72 * MiB, 200 * MiB], used);
    }

    /// <summary>
    /// Failure mode A. Interval tuning runs every intervals_goal.aggrs (3) aggregations, 60 sample
    /// intervals whatever their length (kdamond_fn: next_intervals_tune_sis += aggr_samples *
    /// aggrs), after the apply round, and each step's damon_set_attrs() sets every scheme's
    /// next_apply_sis to now + apply_interval / sample_interval. So a scheme of a 1 s apply
    /// interval is due before the next step only if floor(1 s / sample) ≤ 60, that is a sample
    /// interval of at least 16,394 µs. Node 1 holds the hot set, so its context's score keeps the
    /// sample interval near the 5 ms floor: the promotion scheme never gets an apply round, and
    /// damos_adjust_quota never runs for it, so not only nr_tried and nr_applied but also its
    /// effective quota (computed on its first round) and qt_exceeds stay 0. Node 0 is never
    /// accessed: its intervals double up to past that bound, so the demotion scheme does get
    /// rounds (qt_exceeds counts its windows; its 1-byte quota moves nothing).
    /// </summary>
    [Fact]
    public async Task WithIntervalTuningThePromotionSchemeNeverApplies()
    {
        var root = await RunJson("20", ScriptOptions);
        var promote = SchemeSeries(root, 1);
        Assert.Equal(20, promote.Count);
        foreach (var (timeUs, promotedBytes, s) in promote)
        {
            Assert.True(s.GetProperty("sample_us").GetUInt64() < 16_394, $"t={timeUs}: sample {s.GetProperty("sample_us")} us");
            Assert.Equal((0UL, 0UL, 0UL, 0UL, 0UL), (s.GetProperty("esz_bytes").GetUInt64(), s.GetProperty("nr_tried").GetUInt64(),
                s.GetProperty("nr_applied").GetUInt64(), s.GetProperty("qt_exceeds").GetUInt64(), promotedBytes));
        }
        var demote = SchemeSeries(root, 0);
        Assert.True(demote[^1].Scheme.GetProperty("sample_us").GetUInt64() >= 16_394);
        Assert.True(demote[^1].Scheme.GetProperty("qt_exceeds").GetUInt64() > 0);
        Assert.Equal(1UL, demote[^1].Scheme.GetProperty("esz_bytes").GetUInt64());
        Assert.Equal(0UL, demote[^1].Scheme.GetProperty("nr_tried").GetUInt64());
        Assert.Equal(0UL, root.GetProperty("demoted_bytes").GetUInt64());
    }

    /// <summary>
    /// Failure mode B, fixed 5 ms / 100 ms intervals. The consist tuner's feed loop
    /// (damos_goal_tune_esz_bp_consist: esz_bp = feed_loop_next_input(max(esz_bp, 10000), score))
    /// starts from 10,000 bp, 1 byte, and node 0's 72 of 512 MiB used is 1,406 bp, a score of
    /// 1,406 × 10,000 / 9,970 = 1,410 against the 99.7 % goal, so every quota interval (1 s, one
    /// per apply round) multiplies esz_bp by 1 + 8,590/10,000, truncated: esz (esz_bp / 10,000)
    /// runs 1, 3, 6, 11, 22, 41, 76, 142, 265, 492, 916, 1,703, 3,166, 5,886 bytes. A scheme whose
    /// esz minus what it charged is under one 4 KiB region is full (damos_quota_is_full), so nothing
    /// is even tried until esz passes 4,096: the first page moves in the 14th round, at 14 s (the
    /// real kernel: 14-15 s).
    /// </summary>
    [Fact]
    public async Task WithFixedIntervalsTheGoalTunedQuotaRampsFromOneByte()
    {
        var root = await RunJson("14", FixedIntervalOptions());
        var promote = SchemeSeries(root, 1);
        ulong[] esz = [1, 3, 6, 11, 22, 41, 76, 142, 265, 492, 916, 1703, 3166, 5886];
        Assert.Equal(esz, promote.Select(p => p.Scheme.GetProperty("esz_bytes").GetUInt64()));
        Assert.Equal(Enumerable.Range(1, 14).Select(k => (ulong)k * 1_000_000), promote.Select(p => p.TimeUs));
        for (int k = 0; k < 13; k++)
        {
            Assert.Equal((0UL, 0UL), (promote[k].Scheme.GetProperty("nr_tried").GetUInt64(), promote[k].PromotedBytes));
            // Every window from the second on opens with the previous one full.
            Assert.Equal((ulong)k, promote[k].Scheme.GetProperty("qt_exceeds").GetUInt64());
        }
        var first = promote[13];
        Assert.Equal((1UL, 4096UL, 4096UL), (first.Scheme.GetProperty("nr_applied").GetUInt64(),
            first.Scheme.GetProperty("sz_applied").GetUInt64(), first.PromotedBytes));
        Assert.Equal(5_000UL, first.Scheme.GetProperty("sample_us").GetUInt64());
    }

    [Fact]
    public async Task StatsEveryPrintsEachSchemeAndTheMigrationsSoFar()
    {
        var r = await DamonCli.Run([
            "sim", "--machine", Machine, "--workload", Workload, "--duration", "2", "--snapshot_every", "10",
            "--stats_every", "1", .. FixedIntervalOptions()]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(
            "t=2.00 s  scheme 0.0.0 migrate_cold  sample 5 ms  aggr 100 ms  esz 1 B  tried 0 (0 B)  applied 0 (0 B)  qt_exceeds 1\n"
            + "t=2.00 s  scheme 1.0.0 migrate_hot  sample 5 ms  aggr 100 ms  esz 3 B  tried 0 (0 B)  applied 0 (0 B)  qt_exceeds 1\n"
            + "t=2.00 s  promoted 0 B, demoted 0 B\n\n", r.Out);
    }

    [Theory]
    [InlineData("5", "damon: --numa_node 5: the machine has no node 5 with memory")]
    [InlineData("0 --ops vaddr --target_pid 1", "damon: --numa_node 0: only paddr targets take a node (this target's context is vaddr)")]
    [InlineData("0 -r 0-4096", "damon: --numa_node 0: the same target has -r/--regions, which damo would use instead")]
    public async Task ANumaNodeThatCannotApplyIsACommandLineError(string rest, string expected)
    {
        var r = await DamonCli.Run(["sim", "--machine", Machine, "--duration", "1", "--numa_node", .. rest.Split(' ')]);
        Assert.Equal((2, expected + "\n", ""), (r.ExitCode, r.Err, r.Out));
    }

    [Fact]
    public async Task MembindToAMissingNodeIsRejected()
    {
        var r = await DamonCli.Run("sim", "--machine", Machine, "--duration", "1", "--workload", "gups:size=8M,membind=2");
        Assert.Equal(4, r.ExitCode);
        Assert.Equal("damon: simulation: pid 1: memory policy names node 2, which does not exist\n", r.Err);
    }
}
