using System.Text.Json;
using System.Text.Json.Nodes;
using Damon.Tiering.Harness;

namespace Damon.Tiering.Sweep;

/// <summary>A shard file that cannot be merged: the message names the file and the rule.</summary>
public sealed class TieringMergeException(string message) : Exception(message);

/// <summary>
/// Joins the shard files of one sweep (<c>damon bench tiering --shard I/N --json F</c>) into the
/// document one unsharded run writes. Every file must carry the same schema, seed, scenario list,
/// shard count and policy list, and every shard index 0..N-1 exactly once. The order is the
/// unsharded run's: rows by the scenario's place in <c>scenarios</c>, then by the policy's place in
/// the sweep's policy list; each scenario entry comes from a shard that ran it (they agree, the
/// runs being deterministic). The <c>shard</c> key is dropped.
/// </summary>
public static class TieringMerge
{
    public static JsonObject Merge(IReadOnlyList<(string File, string Text)> files)
    {
        string current = "";
        try { return Join(files, f => current = f); }
        catch (InvalidOperationException e)
        {
            // A value of the wrong JSON type (a string seed, a number as a name).
            throw Bad(current, $"malformed: {e.Message}");
        }
    }

    private static JsonObject Join(IReadOnlyList<(string File, string Text)> files, Action<string> reading)
    {
        if (files.Count == 0) throw new TieringMergeException("give at least one shard file");
        var docs = files.Select(f => { reading(f.File); return (f.File, Doc: Parse(f.File, f.Text)); }).ToList();
        var (firstFile, first) = docs[0];
        string schema = Str(first, "schema", firstFile);
        ulong seed = first["seed"]?.GetValue<ulong>() ?? throw Bad(firstFile, "has no seed");
        var scenarioNames = Names(first, firstFile);
        var (_, count, policies) = ShardOf(first, firstFile);
        var byIndex = new Dictionary<int, string>();
        var scenarioEntries = new JsonNode?[scenarioNames.Count];
        var rows = new SortedDictionary<(int Scenario, int Policy), (JsonNode Row, string File)>();
        foreach (var (file, doc) in docs)
        {
            reading(file);
            if (Str(doc, "schema", file) != schema)
                throw Bad(file, $"schema '{Str(doc, "schema", file)}' differs from {firstFile}'s '{schema}'");
            if (schema != TieringReport.Schema)
                throw Bad(file, $"schema '{schema}' is not {TieringReport.Schema}");
            if (doc["seed"]?.GetValue<ulong>() != seed)
                throw Bad(file, $"seed {doc["seed"]} differs from {firstFile}'s {seed} (merge one seed's shards at a time)");
            if (!Names(doc, file).SequenceEqual(scenarioNames))
                throw Bad(file, $"its scenarios differ from {firstFile}'s");
            var (index, n, pols) = ShardOf(doc, file);
            if (n != count || !pols.SequenceEqual(policies))
                throw Bad(file, $"shard {index}/{n} of policies [{string.Join(", ", pols)}] is not of {firstFile}'s sweep ({count} shards, [{string.Join(", ", policies)}])");
            if (!byIndex.TryAdd(index, file))
                throw Bad(file, $"shard {index}/{n} is also in {byIndex[index]}");
            var scen = doc["scenarios"]!.AsArray();
            for (int i = 0; i < scen.Count; i++)
                if (scen[i]!["all_fast_ns_per_access"] is not null && scenarioEntries[i] is null)
                    scenarioEntries[i] = scen[i]!.DeepClone();
            foreach (var row in doc["results"]?.AsArray() ?? throw Bad(file, "has no results"))
            {
                string sc = row!["scenario"]!.GetValue<string>(), pol = row["policy"]!.GetValue<string>();
                int si = scenarioNames.IndexOf(sc), pi = policies.IndexOf(pol);
                if (si < 0 || pi < 0) throw Bad(file, $"row ({sc}, {pol}) is not of the sweep's scenarios and policies");
                if (rows.TryGetValue((si, pi), out var prev))
                    throw Bad(file, $"row ({sc}, {pol}) is also in {prev.File}");
                rows[(si, pi)] = (row.DeepClone(), file);
            }
        }
        var missing = Enumerable.Range(0, count).Where(i => !byIndex.ContainsKey(i)).ToList();
        if (missing.Count > 0)
            throw new TieringMergeException($"shard{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(i => $"{i}/{count}"))} missing (give every shard's file)");
        for (int i = 0; i < scenarioEntries.Length; i++)
            scenarioEntries[i] ??= first["scenarios"]![i]!.DeepClone();
        var mergedScenarios = new JsonArray(scenarioEntries);
        var mergedRows = new JsonArray(rows.Values.Select(r => r.Row).ToArray());
        // Each shard's per-phase reference saw only its own static splits.
        Harness.PhaseRuntime.AddReference(mergedScenarios, mergedRows);
        return new JsonObject
        {
            ["schema"] = schema,
            ["seed"] = seed,
            ["scenarios"] = mergedScenarios,
            ["results"] = mergedRows,
        };
    }

    public static string MergeText(IReadOnlyList<(string File, string Text)> files) =>
        Merge(files).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static TieringMergeException Bad(string file, string rule) => new($"{file}: {rule}");

    private static JsonObject Parse(string file, string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw Bad(file, "is not a JSON object");
        }
        catch (JsonException e) { throw Bad(file, $"not valid JSON (line {e.LineNumber + 1}: {e.Message.Split('.')[0]})"); }
    }

    private static string Str(JsonObject doc, string key, string file) =>
        doc[key] is JsonValue v && v.TryGetValue(out string? s) ? s : throw Bad(file, $"has no {key}");

    private static List<string> Names(JsonObject doc, string file) =>
        (doc["scenarios"] as JsonArray ?? throw Bad(file, "has no scenarios"))
            .Select(s => s?["name"]?.GetValue<string>() ?? throw Bad(file, "a scenario has no name")).ToList();

    private static (int Index, int Count, List<string> Policies) ShardOf(JsonObject doc, string file)
    {
        if (doc["shard"] is not JsonObject sh)
            throw Bad(file, "is not a shard file (no 'shard'; write one with damon bench tiering --shard I/N --json FILE)");
        var bad = Bad(file, "its 'shard' needs index, count and policies");
        return (sh["index"]?.GetValue<int>() ?? throw bad, sh["count"]?.GetValue<int>() ?? throw bad,
            (sh["policies"] as JsonArray ?? throw bad).Select(p => p?.GetValue<string>() ?? throw bad).ToList());
    }
}
