using System.Globalization;
using System.Text;
using Damon.Modules.Common;
using Damon.Modules.Config;
using Damon.Modules.Tier;
using Damon.Shared;
using Damon.Sim.Machine;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Catalog;
using Damon.Sim.Workloads.Composite;
using Damon.Tiering.Harness;
using Damon.Tiering.Thp;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Damon.Tiering.Scenarios;

/// <summary>
/// Reads a scenario file (YAML, snake_case keys; docs/scenarios.md): the machine (a machine file
/// relative to the scenario file, or one inline in the machine file's schema), the workloads (the
/// workload catalog's names and parameters), where their pages start, phases, duration and the
/// policies to run. Unknown keys are errors; every error is one <see cref="ScenarioFileException"/>
/// naming file, line, field and rule.
/// </summary>
public static class ScenarioFile
{
    private static readonly string[] TopKeys =
        ["name", "group", "description", "machine", "duration", "phases", "prefill", "workloads", "policies"];
    private static readonly string[] WorkloadKeys = ["workload", "file", "params", "memcg", "membind", "migrate", "thp"];

    public static TieringScenario Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioFileException(path, 0, "(file)", e.Message);
        }
        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
    }

    /// <param name="baseDir">Where relative paths (machine file, masim/trace files, tier_params) are resolved.</param>
    public static TieringScenario Parse(string text, string file, string baseDir)
    {
        if (YamlDepthCheck.FirstTooDeepLine(text) is int deep)
            throw new ScenarioFileException(file, deep, "(document)", $"nested more than {YamlDepthCheck.MaxDepth} levels deep");
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e)
        {
            throw new ScenarioFileException(file, e.Start.Line, "(document)", $"not valid YAML ({e.Message.ReplaceLineEndings(" ")})");
        }
        if (stream.Documents.Count == 0)
            throw new ScenarioFileException(file, 0, "(document)", "empty file");
        return new Reader(file, baseDir).Read(stream.Documents[0].RootNode);
    }

    private sealed class Reader(string file, string baseDir)
    {
        private ScenarioFileException Error(YamlNode at, string field, string rule) => new(file, at.Start.Line, field, rule);

        private YamlMappingNode Mapping(YamlNode n, string field, string[] allowed)
        {
            if (n is not YamlMappingNode m) throw Error(n, field, "must be a mapping");
            foreach (var (k, _) in m.Children)
                if (k is not YamlScalarNode { Value: { } key } || Array.IndexOf(allowed, key) < 0)
                    throw Error(k, Join(field, (k as YamlScalarNode)?.Value ?? "?"), $"unknown key (expected one of: {string.Join(", ", allowed)})");
            return m;
        }

        private static YamlNode? Get(YamlMappingNode m, string key) =>
            m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

        private YamlNode Required(YamlMappingNode m, string key, string parent) =>
            Get(m, key) ?? throw Error(m, Join(parent, key), "is required");

        private static string Join(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

        private string Scalar(YamlNode n, string field) =>
            n is YamlScalarNode { Value: { } v } ? v : throw Error(n, field, "must be a scalar value");

        private string Str(YamlNode n, string field)
        {
            string s = Scalar(n, field);
            return s.Length > 0 ? s : throw Error(n, field, "must not be empty");
        }

        private ulong DurationUs(YamlNode n, string field)
        {
            string s = Scalar(n, field);
            ulong ns = WorkloadArgs.ParseDurationNs(s) ?? throw Error(n, field, $"'{s}' is not a duration with a unit (e.g. 500ms, 16s)");
            if (ns % 1000 != 0) throw Error(n, field, $"'{s}' is not a whole number of microseconds");
            return ns / 1000;
        }

        private ulong Size(YamlNode n, string field)
        {
            string s = Scalar(n, field);
            return WorkloadArgs.ParseSize(s) ?? throw Error(n, field, $"'{s}' is not a size (e.g. 4096, 64MiB, 1G)");
        }

        private long Int(YamlNode n, string field, long min, long max)
        {
            string s = Scalar(n, field);
            if (!long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
                throw Error(n, field, $"'{s}' is not an integer");
            return v >= min && v <= max ? v : throw Error(n, field, $"{v} is outside [{min}, {max}]");
        }

        private YamlSequenceNode Sequence(YamlNode n, string field) =>
            n as YamlSequenceNode ?? throw Error(n, field, "must be a list");

        private string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDir, path));

        public TieringScenario Read(YamlNode rootNode)
        {
            var root = Mapping(rootNode, "", TopKeys);
            string name = Str(Required(root, "name", ""), "name");
            string group = Get(root, "group") is { } g ? Str(g, "group") : name;
            string description = Get(root, "description") is { } d ? Scalar(d, "description") : "";
            var machine = Machine(Required(root, "machine", ""));
            var durNode = Required(root, "duration", "");
            ulong durationUs = DurationUs(durNode, "duration");
            if (durationUs == 0) throw Error(durNode, "duration", "must be positive");
            var phases = Get(root, "phases") is { } ph ? Phases(ph, durationUs) : [];
            ulong prefill = Get(root, "prefill") is { } pf ? Size(pf, "prefill") : 0;
            var parts = Workloads(Required(root, "workloads", ""), machine, durationUs, out var memcgs);
            var (policies, tierParams) = Get(root, "policies") is { } pn ? Policies(pn, machine) : (null, null);

            IWorkload Make()
            {
                var built = parts.Select(p => p()).ToList();
                IWorkload app = built.Count == 1 && memcgs[0] == 0 ? built[0]
                    : new MultiProcessWorkload(built.Select((p, i) => new WorkloadPart(p, memcgs[i])).ToList());
                if (prefill > 0) app = new PrefilledWorkload(app, prefill);
                return new ScenarioWorkload(app, built);
            }
            // Building once here puts the catalog's parameter errors at load time, not at the first run.
            Make();
            return new TieringScenario(name, group, description, machine, Make, durationUs, phases)
            {
                Policies = policies,
                TierParams = tierParams,
                SourceFile = file,
            };
        }

        private MachineSpec Machine(YamlNode n)
        {
            try
            {
                if (n is YamlScalarNode)
                {
                    string path = Resolve(Str(n, "machine"));
                    try { return MachineFile.Load(path); }
                    catch (MachineFileException e) when (e.Line == 0 && e.Field == "(file)")
                    {
                        throw Error(n, "machine", $"cannot read machine file {path}: {e.Rule}");
                    }
                    catch (MachineFileException e)
                    {
                        throw new ScenarioFileException(e.File, e.Line, e.Field, e.Rule);
                    }
                }
                if (n is YamlMappingNode)
                    return MachineFile.Parse(LinePreservingJson(n), file);
            }
            catch (MachineFileException e) when (e.File == file)
            {
                throw new ScenarioFileException(file, e.Line, "machine." + e.Field, e.Rule);
            }
            throw Error(n, "machine", "must be a machine file path or a mapping in the machine file's schema");
        }

        private List<ulong> Phases(YamlNode n, ulong durationUs)
        {
            var list = new List<ulong>();
            var seq = Sequence(n, "phases");
            for (int i = 0; i < seq.Children.Count; i++)
            {
                string f = $"phases[{i}]";
                var item = seq.Children[i];
                YamlNode at = item is YamlMappingNode m ? Required(Mapping(m, f, ["name", "at"]), "at", f) : item;
                ulong us = DurationUs(at, f + (item is YamlMappingNode ? ".at" : ""));
                if (us >= durationUs) throw Error(at, f, "must start before the scenario's duration ends");
                if (list.Count > 0 && us <= list[^1]) throw Error(at, f, "phases must be in ascending time order");
                list.Add(us);
            }
            return list;
        }

        private List<Func<ScenarioPart>> Workloads(YamlNode n, MachineSpec machine, ulong durationUs, out List<ulong> memcgs)
        {
            var seq = Sequence(n, "workloads");
            if (seq.Children.Count == 0) throw Error(n, "workloads", "needs at least one workload");
            var makers = new List<Func<ScenarioPart>>();
            memcgs = [];
            for (int i = 0; i < seq.Children.Count; i++)
            {
                string f = $"workloads[{i}]";
                var m = Mapping(seq.Children[i], f, WorkloadKeys);
                var wNode = Required(m, "workload", f);
                string wname = Str(wNode, f + ".workload");
                var spec = new StringBuilder(wname).Append(':');
                var args = new List<string>();
                if (Get(m, "file") is { } fileNode) args.Add(Resolve(Str(fileNode, f + ".file")));
                if (Get(m, "params") is { } pNode)
                {
                    var pm = pNode as YamlMappingNode ?? throw Error(pNode, f + ".params", "must be a mapping of the workload's parameters");
                    foreach (var (k, v) in pm.Children)
                    {
                        string key = Scalar(k, f + ".params"), pf = $"{f}.params.{key}";
                        string value = Scalar(v, pf);
                        if (key == "memcg") throw Error(k, pf, $"give memcg as {f}.memcg, not as a parameter");
                        if (value.IndexOfAny([',', '+', '=']) >= 0 || key.IndexOfAny([',', '+', '=', ':']) >= 0)
                            throw Error(v, pf, "may not contain ',', '+' or '=' (use ';' in CPU lists)");
                        args.Add($"{key}={value}");
                    }
                }
                spec.AppendJoin(',', args);
                ulong memcg = Get(m, "memcg") is { } mc ? (ulong)Int(mc, f + ".memcg", 0, long.MaxValue) : 0;
                int? membind = Get(m, "membind") is { } mb ? Node(mb, f + ".membind", machine) : null;
                var thp = ThpMode.Madvise;
                if (Get(m, "thp") is { } tn)
                {
                    string t = Scalar(tn, f + ".thp");
                    thp = ThpModes.Parse(t) ?? throw Error(tn, f + ".thp", $"'{t}' is not one of {string.Join(", ", ThpModes.Names)}");
                }
                var moves = new List<PageMove>();
                if (Get(m, "migrate") is { } mg)
                {
                    var ms = Sequence(mg, f + ".migrate");
                    for (int k = 0; k < ms.Children.Count; k++)
                    {
                        string mf = $"{f}.migrate[{k}]";
                        var mm = Mapping(ms.Children[k], mf, ["at", "node"]);
                        var atNode = Required(mm, "at", mf);
                        ulong at = DurationUs(atNode, mf + ".at");
                        if (at >= durationUs) throw Error(atNode, mf + ".at", "must be before the scenario's duration ends");
                        if (moves.Count > 0 && at <= moves[^1].AtUs) throw Error(atNode, mf + ".at", "moves must be in ascending time order");
                        moves.Add(new PageMove(at, Node(Required(mm, "node", mf), mf + ".node", machine)));
                    }
                }
                string specText = spec.ToString();
                IWorkload Build()
                {
                    try
                    {
                        return wname switch
                        {
                            SocketSplitSpec.Name => SocketSplitSpec.Create(specText, specText[(wname.Length + 1)..], machine),
                            ThpReaderSpec.Name => ThpReaderSpec.Create(specText, specText[(wname.Length + 1)..]),
                            _ => WorkloadCatalog.Create(specText),
                        };
                    }
                    catch (WorkloadFormatException e) when (e.Input == specText)
                    {
                        throw Error(wNode, f, e.Reason);
                    }
                    catch (WorkloadFormatException e)
                    {
                        throw Error(wNode, f, $"{e.Input}{(e.Line > 0 ? $":{e.Line}" : "")}: {e.Reason}");
                    }
                }
                Build();
                memcgs.Add(memcg);
                makers.Add(() => new ScenarioPart(Build(), membind, moves, thp));
            }
            return makers;
        }

        private int Node(YamlNode n, string field, MachineSpec machine) =>
            (int)Int(n, field, 0, machine.Nodes.Count - 1);

        private (IReadOnlyList<string>, TierParams?) Policies(YamlNode n, MachineSpec machine)
        {
            var seq = Sequence(n, "policies");
            var names = new List<string>();
            TierParams? tp = null;
            for (int i = 0; i < seq.Children.Count; i++)
            {
                string f = $"policies[{i}]";
                var item = seq.Children[i];
                YamlNode nameNode = item;
                if (item is YamlMappingNode pm)
                {
                    Mapping(pm, f, ["name", "tier_params"]);
                    nameNode = Required(pm, "name", f);
                    if (Get(pm, "tier_params") is { } tpn)
                    {
                        if (Str(nameNode, f + ".name") != "damon-tier")
                            throw Error(tpn, f + ".tier_params", "only damon-tier takes tier_params");
                        string path = Resolve(Str(tpn, f + ".tier_params"));
                        try { tp = ModuleParamsFile.Read<TierParams>(path); }
                        catch (ModuleParamException e) { throw Error(tpn, f + ".tier_params", e.Message); }
                    }
                }
                string name = Str(nameNode, item is YamlMappingNode ? f + ".name" : f);
                if (!PolicyCatalog.IsKnown(name))
                    throw Error(nameNode, f, $"unknown policy '{name}' (known: {string.Join(", ", PolicyCatalog.Known)})");
                if (names.Contains(name)) throw Error(nameNode, f, $"policy '{name}' is listed twice");
                if (NumaTpp.NumaTppCatalog.CannotRunOn(name, machine) is { } why) throw Error(nameNode, f, why);
                names.Add(name);
            }
            if (names.Count == 0) throw Error(n, "policies", "needs at least one policy when given");
            return (names, tp);
        }

        /// <summary>
        /// The YAML subtree as JSON text whose every value sits on the line it has in the scenario
        /// file, so the machine file reader's line numbers are the scenario file's.
        /// </summary>
        private static string LinePreservingJson(YamlNode n)
        {
            var sb = new StringBuilder();
            int line = 1;
            void To(YamlNode at)
            {
                for (; line < at.Start.Line; line++) sb.Append('\n');
            }
            void Write(YamlNode node)
            {
                To(node);
                switch (node)
                {
                    case YamlMappingNode m:
                        sb.Append('{');
                        bool first = true;
                        foreach (var (k, v) in m.Children)
                        {
                            if (!first) sb.Append(',');
                            first = false;
                            To(k);
                            sb.Append(System.Text.Json.JsonSerializer.Serialize((k as YamlScalarNode)?.Value ?? "")).Append(':');
                            Write(v);
                        }
                        sb.Append('}');
                        break;
                    case YamlSequenceNode s:
                        sb.Append('[');
                        for (int i = 0; i < s.Children.Count; i++)
                        {
                            if (i > 0) sb.Append(',');
                            Write(s.Children[i]);
                        }
                        sb.Append(']');
                        break;
                    case YamlScalarNode sc:
                        string v2 = sc.Value ?? "";
                        bool plain = sc.Style is ScalarStyle.Plain or ScalarStyle.Any;
                        bool number = plain && double.TryParse(v2, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
                        bool literal = plain && v2 is "true" or "false" or "null";
                        sb.Append(number || literal ? v2 : System.Text.Json.JsonSerializer.Serialize(v2));
                        break;
                    default:
                        sb.Append("null");
                        break;
                }
            }
            Write(n);
            return sb.ToString();
        }
    }
}
