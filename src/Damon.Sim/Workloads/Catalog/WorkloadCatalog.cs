using Damon.Sim.Traces;
using Damon.Sim.Traces.Lackey;
using Damon.Sim.Workloads.ColdBulk;
using Damon.Sim.Workloads.Churn;
using Damon.Sim.Workloads.Composite;
using Damon.Sim.Workloads.Gaussian;
using Damon.Sim.Workloads.Gups;
using Damon.Sim.Workloads.Masim;
using Damon.Sim.Workloads.Zipf;

namespace Damon.Sim.Workloads.Catalog;

/// <summary>
/// Builds workloads from one-line specs, for the CLI: <c>name:key=value,key=value</c>, or
/// <c>name:/path[,key=value...]</c> for file-based ones, and several parts joined by <c>+</c> to
/// run side by side as separate processes (each part may add <c>memcg=N</c> and <c>membind=N</c>). Every mistake is a
/// <see cref="WorkloadFormatException"/> naming the spec and what is wrong.
/// </summary>
public static class WorkloadCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["gups", "zipf", "gauss", "coldbulk", "churn", "masim", "lackey", "trace"];

    public static IWorkload Create(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Split('+', StringSplitOptions.TrimEntries);
        if (parts.Length == 1)
        {
            var only = CreatePart(spec, parts[0]);
            return only is { MemcgId: 0, MembindNode: null } ? only.Workload : new MultiProcessWorkload([only]);
        }
        return new MultiProcessWorkload(parts.Select(p => CreatePart(spec, p)).ToList());
    }

    private static WorkloadPart CreatePart(string spec, string part)
    {
        if (part.Length == 0) throw new WorkloadFormatException(spec, 0, "empty workload part (check the '+' separators)");
        int colon = part.IndexOf(':');
        string name = (colon < 0 ? part : part[..colon]).Trim().ToLowerInvariant();
        string argText = colon < 0 ? "" : part[(colon + 1)..];
        bool fileBased = name is "masim" or "lackey" or "trace";
        var a = WorkloadArgs.Parse(spec, argText, positionalFirst: fileBased);
        ulong memcg = (ulong)a.GetInt("memcg", 0, 0);
        // Node ids are checked against the machine when the part maps memory (SimulationException).
        int? membind = a.Has("membind") ? (int)a.GetInt("membind", 0, 0, 1023) : null;
        IWorkload w = name switch
        {
            "gups" => Checked(a, () => new GupsWorkload(GupsOptions.From(a))),
            "zipf" => Checked(a, () => new ZipfKvWorkload(ZipfKvOptions.From(a))),
            "gauss" => Checked(a, () => new GaussianWorkload(GaussianOptions.From(a))),
            "churn" => Checked(a, () => new ChurnWorkload(ChurnOptions.From(a))),
            "coldbulk" => Checked(a, () => ColdBulkWorkload.From(a)),
            "masim" => Masim(a),
            "lackey" => Lackey(a),
            "trace" => Trace(a),
            _ => throw new WorkloadFormatException(spec, 0, $"unknown workload '{name}' (known: {string.Join(", ", Names)})"),
        };
        return new WorkloadPart(w, memcg, membind);
    }

    // Option records validate their own values; constructors check combinations and throw
    // ArgumentException, which becomes a spec error here.
    private static T Checked<T>(WorkloadArgs a, Func<T> make)
    {
        try { return make(); }
        catch (ArgumentException e) { throw a.Error(e.Message); }
    }

    private static string PathOf(WorkloadArgs a, string name) =>
        a.Positional is { Length: > 0 } p ? p : throw a.Error($"{name}: give a file, e.g. {name}:/path/to/file");

    private static IWorkload Masim(WorkloadArgs a)
    {
        string path = PathOf(a, "masim");
        var rw = a.GetString("rw", "wo") switch
        {
            "ro" => MasimRwMode.ReadOnly,
            "wo" => MasimRwMode.WriteOnly,
            "rw" => MasimRwMode.ReadWrite,
            var x => throw a.Error($"masim: rw='{x}' is not ro, wo or rw"),
        };
        int perPick = (int)a.GetInt("accesses", 128 * 1024, 1, int.MaxValue);
        int repeat = (int)a.GetInt("repeat", 1, 1, 1_000_000);
        bool hugetlb = a.GetBool("hugetlb", false);
        int cpu = a.GetCpuList("cpus", [0])[0];
        double cpuNs = a.GetDouble("cpuns", 1.0, 0, 1e9);
        a.RejectUnknown("masim", ["rw", "accesses", "repeat", "hugetlb", "cpus", "cpuns", "memcg", "membind"]);
        var config = MasimConfigParser.Load(path, rw);
        return Checked(a, () => new MasimWorkload(config, perPick, repeat, hugetlb, cpu, cpuNs));
    }

    private static LackeyOptions LackeyOpts(WorkloadArgs a) => new()
    {
        Fetches = a.GetBool("fetches", false),
        NsPerInstr = a.GetDouble("nsperinstr", 0.5, 0, 1e6),
        Cpu = a.GetCpuList("cpus", [0])[0],
    };

    private static IWorkload Lackey(WorkloadArgs a)
    {
        string path = PathOf(a, "lackey");
        var o = LackeyOpts(a);
        a.RejectUnknown("lackey", ["fetches", "nsperinstr", "cpus", "memcg", "membind"]);
        // A missing file is an input error (exit 3), like masim's and trace's, not a spec mistake.
        if (!File.Exists(path)) throw new WorkloadFormatException(path, 0, "lackey trace file not found");
        return new LackeyWorkload(path, o);
    }

    private static IWorkload Trace(WorkloadArgs a)
    {
        string path = PathOf(a, "trace");
        a.RejectUnknown("trace", ["memcg", "membind"]);
        return new TraceReplayWorkload(path);
    }
}
