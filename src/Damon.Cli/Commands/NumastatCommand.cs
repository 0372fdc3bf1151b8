using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Damon.Cli.Linux;
using Damon.Cli.Simulation;
using Damon.Host.Metrics;
using Damon.Sim.Memory;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon numastat</c>: per-node memory usage of the simulated machine after running a
/// workload (and any DAMON contexts and schemes damo's options describe), laid out like
/// numastat: nodes as columns plus a total, MB by default.
/// </summary>
public static class NumastatCommand
{
    public static Command Create()
    {
        var run = new SimRunOptions();
        var pages = new Option<bool>("--pages") { Description = "Show pages instead of MB" };
        var meminfo = new Option<bool>("-m") { Description = "Show meminfo-like system-wide rows per node" };
        var process = new Option<string?>("-p")
        {
            Description = "Show per-node memory of the workload's processes (all, or the given pid)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = new JsonOption();
        var linux = new LinuxOptions();
        var command = new Command("numastat",
            "Show per-node memory usage (numastat layout) of the simulated machine after running a workload, or with --backend linux "
            + "of this machine now (numa_hit... counters; -m meminfo rows; -p PID from numa_maps)");
        run.AddTo(command);
        command.Options.Add(linux.Backend);
        linux.AddRoots(command);
        command.Options.Add(pages);
        command.Options.Add(meminfo);
        command.Options.Add(process);
        command.Options.Add(json.Option);
        // Off the invocation thread, so that Ctrl+C reaches the token while the engine runs.
        command.SetAction((parse, cancel) => Task.Run(() =>
        {
            var request = run.Read(parse);
            bool inPages = parse.GetValue(pages);
            bool perProcess = parse.GetResult(process) is not null;
            int? pidFilter = perProcess && parse.GetValue(process) is { } pidText ? ParsePid(pidText) : null;
            json.CheckFile(parse);
            var stdout = parse.InvocationConfiguration.Output;
            if (linux.ExplicitLinux(parse) == true)
            {
                if (parse.GetResult(run.Machine) is not null || parse.GetResult(run.Workload) is { Implicit: false } || request.DamoTokens.Count > 0)
                    throw new UserError("--machine, --workload and DAMON options describe a simulated run; numastat of this machine takes none", ExitCodes.UsageError);
                var machine = linux.Read(parse);
                var (ids, real) = perProcess
                    ? LinuxNumastat.Process(machine, pidFilter ?? throw new UserError("-p: give a PID on the real machine (-p PID)", ExitCodes.UsageError))
                    : LinuxNumastat.System(machine, parse.GetValue(meminfo));
                var realTable = new UsageTable(real.Title, real.Rows);
                if (!json.Given(parse) || json.File(parse) is not null)
                    Write(stdout, realTable, ids, inPages);
                if (json.Given(parse))
                    json.Emit(parse, stdout, s => WriteJson(s, realTable, ids.Count, null));
                return ExitCodes.Ok;
            }
            var session = SimSetup.Create(request, withContexts: request.DamoTokens.Count > 0);
            // A pid the workload does not have is a command-line mistake, told before the run, not after.
            if (pidFilter is int wanted && session.Sim.Machine.TryGetProcess(wanted) is null)
                throw NoSuchProcess(session.Sim.Machine, wanted);
            RunProgress.Run(stdout, "simulating", request.DurationUs, (_, progress) => session.Run(cancel, slice => progress(slice.NowUs)));

            var m = session.Sim.Machine;
            var table = perProcess
                ? ProcessTable(session, pidFilter)
                : SystemTable(session.Backend.Nodes().Nodes, parse.GetValue(meminfo));
            if (!json.Given(parse) || json.File(parse) is not null)
            {
                if (WorkloadEnd.Line(session) is { } ended)
                    stdout.Write(ended + "\n");
                Write(stdout, table, [.. Enumerable.Range(0, m.NrNodes)], inPages);
            }
            if (json.Given(parse))
                json.Emit(parse, stdout, s => WriteJson(s, table, m.NrNodes, session.WorkloadFinishedUs));
            if (session.Interrupted)
            {
                // The table above is the usage at the moment of the interrupt.
                parse.InvocationConfiguration.Error.Write($"damon: interrupted at t={TextFormat.Seconds(session.Backend.NowUs)} of simulated time\n");
                return ExitCodes.Interrupted;
            }
            return ExitCodes.Ok;
        }, CancellationToken.None));
        return command;
    }

    /// <summary>Rows of per-node byte counts under a title.</summary>
    private sealed record UsageTable(string Title, List<(string Label, ulong[] Bytes)> Rows);

    private static UsageTable SystemTable(IReadOnlyList<NodeUsage> nodes, bool meminfo)
    {
        ulong[] Col(Func<NodeUsage, ulong> f) => nodes.Select(f).ToArray();
        var rows = new List<(string, ulong[])>
        {
            ("MemTotal", Col(n => n.TotalBytes)),
            ("MemFree", Col(n => n.FreeBytes)),
            ("MemUsed", Col(n => n.UsedBytes)),
        };
        if (meminfo)
        {
            rows.Add(("Active", Col(n => n.ActiveBytes)));
            rows.Add(("Inactive", Col(n => n.UsedBytes - Math.Min(n.ActiveBytes, n.UsedBytes))));
        }
        rows.Add(("MigratedIn", Col(n => n.MigratedInBytes)));
        rows.Add(("MigratedOut", Col(n => n.MigratedOutBytes)));
        return new UsageTable("Per-node system memory usage", rows);
    }

    private static UsageTable ProcessTable(SimSession session, int? pid)
    {
        var m = session.Sim.Machine;
        var procs = m.Processes.Where(p => pid is null || p.Pid == pid).ToList();
        if (procs.Count == 0)
            throw NoSuchProcess(m, pid);
        var rows = procs
            .Select(p => session.Backend.ProcessUsage(p.Pid)!)
            .Select(u => ($"{u.Pid} ({u.Name})", u.PagesPerNode.Select(n => n << PageSizes.PageShift).ToArray()))
            .ToList();
        if (rows.Count > 1)
        {
            var total = new ulong[m.NrNodes];
            foreach (var (_, bytes) in rows)
                for (int n = 0; n < total.Length; n++) total[n] += bytes[n];
            rows.Add(("Total", total));
        }
        return new UsageTable("Per-node process memory usage", rows);
    }

    private static UserError NoSuchProcess(Damon.Sim.Machine.SimMachine m, int? pid) =>
        new($"-p {pid}: the simulated workload has no such process (its pids: {string.Join(", ", m.Processes.Select(p => p.Pid))})", ExitCodes.UsageError);

    private static void Write(TextWriter o, UsageTable t, IReadOnlyList<int> nodeIds, bool inPages)
    {
        var inv = CultureInfo.InvariantCulture;
        string Cell(ulong bytes) => inPages ? (bytes >> PageSizes.PageShift).ToString(inv) : TextFormat.Mb(bytes);
        o.Write($"{t.Title} (in {(inPages ? "pages" : "MBs")}):\n");
        var header = new List<string> { "" };
        foreach (int n in nodeIds) header.Add(string.Create(inv, $"Node {n}"));
        header.Add("Total");
        var rows = new List<string[]> { header.ToArray(), header.Select(h => h.Length == 0 ? "" : new string('-', 15)).ToArray() };
        foreach (var (label, bytes) in t.Rows)
        {
            var cells = new List<string> { label };
            ulong sum = 0;
            foreach (var b in bytes)
            {
                cells.Add(Cell(b));
                sum += b;
            }
            cells.Add(Cell(sum));
            rows.Add(cells.ToArray());
        }
        TextFormat.Table(o, rows, leftAligned: 1);
    }

    private static void WriteJson(Stream output, UsageTable t, int nrNodes, ulong? workloadFinishedUs)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("title", t.Title);
        w.WriteNumber("nr_nodes", nrNodes);
        if (workloadFinishedUs is ulong doneUs) w.WriteNumber("workload_finished_us", doneUs);
        else w.WriteNull("workload_finished_us");
        w.WriteStartArray("rows");
        foreach (var (label, bytes) in t.Rows)
        {
            w.WriteStartObject();
            w.WriteString("name", label);
            w.WriteStartArray("bytes_per_node");
            foreach (var b in bytes) w.WriteNumberValue(b);
            w.WriteEndArray();
            w.WriteNumber("total_bytes", bytes.Aggregate(0UL, (a, b) => a + b));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static int ParsePid(string text) =>
        Damon.Core.Util.NumberText.TryParseInteger(text, 0, int.MaxValue, out int pid, out _)
            ? pid
            : throw new UserError($"-p {text}: not a pid", ExitCodes.UsageError);
}
