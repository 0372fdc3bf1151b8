using System.Text.Json;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary>
/// <c>damon sim --module a --module b</c>: several modules in one shared context (DAMON-X) or, with
/// --separate_kdamonds, side by side; per-module values name their module when several run.
/// </summary>
public class SimModulesTests
{
    private static readonly string[] Run = ["sim", "--workload", "gups:size=256M", "--duration", "2", "--snapshot_every", "10"];

    /// <summary>free_mem_rate 0..1000 ‰: the machine is mostly free, so the defaults would keep both modules waiting.</summary>
    private const string Open = "wmarks_high: 1000\nwmarks_mid: 999\nwmarks_low: 0\n";

    private static string[] Both(TempDir dir)
    {
        string open = dir.File("open.yaml");
        File.WriteAllText(open, Open);
        return ["--module", "damon_reclaim", "--module", "damon_tier", "--module_params", $"reclaim={open}", "--module_params", $"damon_tier={open}",
            "--module_param", "reclaim.min_age=1000000"];
    }

    [Fact]
    public async Task Two_modules_share_one_context_their_schemes_in_the_conflict_rules_order_and_each_reports_its_own_stats()
    {
        using var dir = new TempDir();
        string later = dir.File("later.yaml"), json = dir.File("run.json");
        File.WriteAllText(later, "quota_sz: 41943040\n");
        var r = await DamonCli.Run([.. Run, .. Both(dir), "--module_commit", $"1:tier={later}", "--json", json]);

        Assert.Equal((0, ""), (r.ExitCode, r.Err));
        var text = r.Out.ReplaceLineEndings("\n");
        // RECLAIM watches all of System RAM (96 GiB), TIER the biggest range (node 1, 64 GiB): one
        // target each side of TIER's edge, and TIER's 10 regions over 64 GiB are 15 over the union.
        Assert.Contains("DAMON damon_x (paddr): 2 target(s), sample 5 ms, aggr 100 ms, regions 15..1000, 3 scheme(s)\n"
            + "damon_x: damon_reclaim, damon_tier in one context; their schemes run promotion, then pageout, then demotion, then the rest\n", text);
        Assert.Matches(@"\nt=1\.\d\d s  damon_tier: commit_inputs with " + System.Text.RegularExpressions.Regex.Escape(later) + "\n", text);
        Assert.Contains("\ndamon_reclaim stats:\n  nr_reclaim_tried_regions ", text);
        Assert.Contains("\ndamon_tier stats:\n  nr_promote_tried_regions ", text);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal("shared", root.GetProperty("module_kdamonds").GetString());
        Assert.False(root.TryGetProperty("module", out _));
        var ctx = Assert.Single(root.GetProperty("contexts").EnumerateArray());
        var schemes = ctx.GetProperty("schemes").EnumerateArray().ToList();
        Assert.Equal(["migrate_hot", "pageout", "migrate_cold"], schemes.Select(s => s.GetProperty("action").GetString()));
        var modules = root.GetProperty("modules").EnumerateArray().ToList();
        Assert.Equal(["damon_reclaim", "damon_tier"], modules.Select(m => m.GetProperty("name").GetString()));
        // Each module's stats parameters are its own schemes' stats in the shared context.
        var reclaim = modules[0].GetProperty("stats");
        Assert.Equal(schemes[1].GetProperty("sz_tried").GetUInt64(), reclaim.GetProperty("bytes_reclaim_tried_regions").GetUInt64());
        Assert.Equal(schemes[1].GetProperty("nr_tried").GetUInt64(), reclaim.GetProperty("nr_reclaim_tried_regions").GetUInt64());
        Assert.True(reclaim.GetProperty("nr_reclaim_tried_regions").GetUInt64() > 0);
        var tier = modules[1].GetProperty("stats");
        Assert.Equal(schemes[0].GetProperty("qt_exceeds").GetUInt64(), tier.GetProperty("nr_promote_quota_exceeds").GetUInt64());
        Assert.Equal(schemes[2].GetProperty("qt_exceeds").GetUInt64(), tier.GetProperty("nr_demote_quota_exceeds").GetUInt64());
        Assert.Empty(modules[0].GetProperty("commits").EnumerateArray());
        var commit = Assert.Single(modules[1].GetProperty("commits").EnumerateArray());
        Assert.Equal(later, commit.GetProperty("file").GetString());
    }

    [Fact]
    public async Task Separate_kdamonds_run_each_module_in_its_own_context_in_module_order()
    {
        using var dir = new TempDir();
        var r = await DamonCli.Run([.. Run, .. Both(dir), "--separate_kdamonds", "--json"]);

        Assert.Equal((0, ""), (r.ExitCode, r.Err));
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal("separate", root.GetProperty("module_kdamonds").GetString());
        var contexts = root.GetProperty("contexts").EnumerateArray().ToList();
        Assert.Equal([0, 1], contexts.Select(c => c.GetProperty("kdamond_idx").GetInt32()));
        Assert.Equal([["pageout"], ["migrate_hot", "migrate_cold"]],
            contexts.Select(c => c.GetProperty("schemes").EnumerateArray().Select(s => s.GetProperty("action").GetString()).ToArray()));
        var reclaim = root.GetProperty("modules")[0].GetProperty("stats");
        Assert.Equal(contexts[0].GetProperty("schemes")[0].GetProperty("sz_tried").GetUInt64(), reclaim.GetProperty("bytes_reclaim_tried_regions").GetUInt64());
    }

    [Theory]
    [InlineData(new[] { "--module_param", "min_age=5" }, 2,
        "damon: --module_param min_age=5: several modules run (damon_reclaim, damon_tier); name the module it is for, e.g. --module_param reclaim.min_age=5\n")]
    [InlineData(new[] { "--module_param", "lru.min_age=5" }, 2,
        "damon: --module_param lru.min_age=5: 'lru' is not a module (known: damon_reclaim, damon_lru_sort, damon_tier, damon_stat, damon_hugepage)\n")]
    [InlineData(new[] { "--module_param", "lru_sort.hot_thres_access_freq=5" }, 2,
        "damon: --module_param lru_sort.hot_thres_access_freq=5: damon_lru_sort is not among the --module given (damon_reclaim, damon_tier)\n")]
    [InlineData(new[] { "--module_param", "tier.min_age=5" }, 2, "damon: --module_param: min_age: is not a damon_tier parameter (known: ")]
    [InlineData(new[] { "--module_params", "p.yaml" }, 2,
        "damon: --module_params p.yaml: several modules run (damon_reclaim, damon_tier); name the module it is for, e.g. --module_params reclaim=p.yaml\n")]
    [InlineData(new[] { "--module_params", "tier=/nonexistent.yaml" }, 3, "damon: /nonexistent.yaml: file not found\n")]
    [InlineData(new[] { "--module_params", "tier=a.yaml", "--module_params", "damon_tier=b.yaml" }, 2,
        "damon: --module_params damon_tier=b.yaml: a second file for damon_tier; give one per module\n")]
    [InlineData(new[] { "--module_commit", "1:x.yaml" }, 2,
        "damon: --module_commit 1:x.yaml: several modules run (damon_reclaim, damon_tier); name the module it is for, e.g. --module_commit 1:reclaim=x.yaml\n")]
    [InlineData(new[] { "--module_commit", "1:tier=" }, 2, "damon: --module_commit 1:tier=: must be SECONDS:FILE\n")]
    [InlineData(new[] { "--module", "damon_tier" }, 2, "damon: --module damon_tier: given twice; a module is installed once\n")]
    [InlineData(new[] { "--module_param", "reclaim.addr_unit=2" }, 4,
        "damon: damon_x: addr_unit: modules sharing a context must agree (damon_reclaim: 2, damon_tier: 1)\n")]
    public async Task Bad_per_module_values_say_which_and_why(string[] args, int exitCode, string message)
    {
        var r = await DamonCli.Run([.. Run, "--module", "damon_reclaim", "--module", "damon_tier", .. args]);
        Assert.Equal(exitCode, r.ExitCode);
        // One line; the known-parameter list is cut off the expectation.
        Assert.StartsWith(message, r.Err);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", r.Out);
    }

    [Fact]
    public async Task One_module_takes_bare_or_prefixed_values_and_refuses_separate_kdamonds()
    {
        var prefixed = await DamonCli.Run([.. Run, "--module", "damon_reclaim", "--module_param", "reclaim.min_age=1000000", "--json"]);
        var bare = await DamonCli.Run([.. Run, "--module", "damon_reclaim", "--module_param", "min_age=1000000", "--json"]);
        Assert.Equal((0, 0), (prefixed.ExitCode, bare.ExitCode));
        Assert.Equal(bare.Out, prefixed.Out);
        using var doc = JsonDocument.Parse(bare.Out);
        Assert.Equal("damon_reclaim", doc.RootElement.GetProperty("module").GetProperty("name").GetString());
        Assert.False(doc.RootElement.TryGetProperty("modules", out _));

        var separate = await DamonCli.Run([.. Run, "--module", "damon_reclaim", "--separate_kdamonds"]);
        Assert.Equal((2, "damon: --separate_kdamonds needs two or more --module\n"), (separate.ExitCode, separate.Err));
    }

    [Fact]
    public async Task Stat_joins_the_shared_context_and_reports_its_read_only_parameters()
    {
        using var dir = new TempDir();
        string open = dir.File("open.yaml"), json = dir.File("run.json");
        File.WriteAllText(open, Open);
        var r = await DamonCli.Run([.. Run, "--module", "damon_reclaim", "--module", "damon_stat", "--module_params", $"reclaim={open}", "--json", json]);

        Assert.Equal((0, ""), (r.ExitCode, r.Err));
        var text = r.Out.ReplaceLineEndings("\n");
        Assert.Contains("damon_x: damon_reclaim, damon_stat in one context", text);
        // 2 s is before stat.c's first 5 s refresh: its parameters still hold their initial zeros.
        Assert.Contains("\ndamon_stat stats:\n  estimated_memory_bandwidth   0\n  aggr_interval_us             0\n  memory_idle_ms_p0            0\n", text);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var stat = doc.RootElement.GetProperty("modules")[1];
        Assert.Equal("damon_stat", stat.GetProperty("name").GetString());
        Assert.Equal(["estimated_memory_bandwidth", "aggr_interval_us", "memory_idle_ms_p0", "memory_idle_ms_p25", "memory_idle_ms_p50",
            "memory_idle_ms_p75", "memory_idle_ms_p90", "memory_idle_ms_p99", "memory_idle_ms_p100"],
            stat.GetProperty("stats").EnumerateObject().Select(p => p.Name));
        // STAT installs no scheme: the shared context holds RECLAIM's pageout only.
        var ctx = Assert.Single(doc.RootElement.GetProperty("contexts").EnumerateArray());
        Assert.Equal(["pageout"], ctx.GetProperty("schemes").EnumerateArray().Select(x => x.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Stat_has_no_commit_inputs()
    {
        using var dir = new TempDir();
        string later = dir.File("later.yaml");
        File.WriteAllText(later, "enabled: Y\n");
        var r = await DamonCli.Run([.. Run, "--module", "damon_stat", "--module_commit", $"1:{later}"]);
        Assert.Equal((2, $"damon: --module_commit {later}: damon_stat has no commit_inputs (stat.c's only writable parameter is enabled)\n"), (r.ExitCode, r.Err));
    }
}
