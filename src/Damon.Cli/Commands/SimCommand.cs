using System.CommandLine;
using System.Globalization;
using Damon.Cli.Simulation;
using Damon.Cli.Values;
using Damon.Host.Snapshots;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon sim</c>: a simulated machine runs a workload under DAMON; prints what DAMON sees every
/// few seconds and the per-node usage at the end. Needs no root and no kernel.
/// </summary>
public static class SimCommand
{
    public static Command Create()
    {
        var run = new SimRunOptions();
        var every = OptionValues.Seconds("--snapshot_every", "Print the regions every this much simulated time (a bare number is seconds)", "2.5");
        var allRegions = new Option<bool>("--all_regions") { Description = "Print every region instead of grouping adjacent regions of similar access rate" };
        var statsEvery = OptionValues.Seconds("--stats_every",
            "Print every scheme's effective quota (esz), stats and its context's intervals every this much simulated time (a bare number is seconds); the JSON gets them as scheme_stats", null);
        var json = new JsonOption();
        var reportDamon = new Option<bool>("--report_damon") { Description = "At the end, print the kdamonds status tree (damo's report damon)" };
        var statusFormat = DamonStatusFormat.CreateOption();
        var module = new ModuleOptions();
        var command = new Command("sim", "Run a workload on the simulated tiered machine under DAMON and show what DAMON sees");
        run.AddTo(command);
        command.Options.Add(every);
        command.Options.Add(allRegions);
        command.Options.Add(statsEvery);
        command.Options.Add(json.Option);
        command.Options.Add(reportDamon);
        command.Options.Add(statusFormat);
        module.AddTo(command);
        // Off the invocation thread, so that Ctrl+C reaches the token while the engine runs.
        command.SetAction((parse, cancel) => Task.Run(() =>
        {
            var request = run.Read(parse);
            ulong everyUs = parse.GetValue(every).Us;
            var stdout = parse.InvocationConfiguration.Output;
            bool status = parse.GetValue(reportDamon);
            string statusFmt = parse.GetValue(statusFormat)!;
            if (!status && parse.GetResult(statusFormat) is { Implicit: false })
                throw new UserError("--format applies to the --report_damon status; add --report_damon", ExitCodes.UsageError);
            // A JSON or YAML status is a document of its own on stdout.
            bool text = (!json.Given(parse) || json.File(parse) is not null) && !(status && statusFmt != "report");
            json.CheckFile(parse);
            var mod = module.Read(parse, request);
            var session = SimSetup.Create(request, mod);
            var hot = session.Sim.HotRanges;
            var snapshots = new PeriodicSnapshots(session.Contexts, everyUs);
            var stats = parse.GetResult(statsEvery) is null ? null : new SchemeStatsSeries(session, parse.GetValue(statsEvery).Us);
            var made = new List<ModuleCommit>();
            Damon.Config.Schema.KdamondsSpec? statusTree = null;

            RunProgress.Run(text ? stdout : TextWriter.Null, "simulating", request.DurationUs, (o, progress) =>
            {
                if (text) WriteHeader(o, session, hot, mod);
                session.Backend.Aggregated += s =>
                {
                    if (snapshots.Aggregated(s) is { } snap && text)
                        SnapshotText.Write(o, snap, hot, parse.GetValue(allRegions));
                };
                var commits = new Queue<ModuleCommit>(mod?.Commits ?? []);
                session.Run(cancel, slice =>
                {
                    ulong nowUs = slice.NowUs;
                    progress(nowUs);
                    if (stats?.SliceEnded(nowUs) is { } point && text)
                        SchemeStatsSeries.WriteText(o, point);
                    while (commits.TryPeek(out var c) && nowUs >= c.AtUs)
                    {
                        commits.Dequeue();
                        mod!.Of(c.Module).Commit(c.File);
                        made.Add(c with { AtUs = nowUs });
                        if (text) o.Write($"t={TextFormat.Seconds(nowUs)}  {c.Module}: commit_inputs with {c.File}\n\n");
                    }
                    // The kdamonds stop (and drop their targets) when the run ends: read the status while they run.
                    // Reading it runs them on until the tried-regions walks end, past the requested duration.
                    if (slice.Last)
                    {
                        // The end of the run: DAMON's last view, before reading the status moves time on.
                        foreach (var snap in snapshots.End())
                            if (text) SnapshotText.Write(o, snap, hot, parse.GetValue(allRegions));
                        if (status)
                            statusTree = session.Backend.Status(triedRegions: true, cancel);
                    }
                });
                // A run stopped before its end (interrupted) shows its last view too.
                foreach (var snap in snapshots.End())
                    if (text) SnapshotText.Write(o, snap, hot, parse.GetValue(allRegions));
                if (text && WorkloadEnd.Line(session) is { } ended)
                    o.Write(ended + "\n");
                if (text && session.Interrupted)
                    o.Write($"Interrupted at t={TextFormat.Seconds(session.Backend.NowUs)}; what follows is up to then.\n\n");
                if (text && mod is not null)
                    foreach (var m in mod.Modules)
                    {
                        o.Write($"{m.Name} stats:\n");
                        foreach (var (k, v) in m.Stats)
                            o.Write($"  {k,-28} {v}\n");
                        foreach (var (k, v) in m.SignedStats)
                            o.Write($"  {k,-28} {v}\n");
                        o.Write('\n');
                    }
                if (text) RunSummary.Write(o, session);
                return 0;
            });
            if (json.Given(parse))
                json.Emit(parse, stdout, s => SimJson.Write(s, session, snapshots.Printed, mod, made, stats?.Points));
            if (status)
                stdout.Write(DamonStatusFormat.Render(statusTree ?? session.Backend.Status(triedRegions: false, CancellationToken.None), statusFmt, raw: false, paramsOnly: false));
            if (session.Interrupted)
            {
                parse.InvocationConfiguration.Error.Write($"damon: interrupted at t={TextFormat.Seconds(session.Backend.NowUs)} of simulated time\n");
                return ExitCodes.Interrupted;
            }
            return ExitCodes.Ok;
        }, CancellationToken.None));
        return command;
    }

    private static void WriteHeader(TextWriter o, SimSession session, IReadOnlyList<(ulong Start, ulong End)> hot, ModuleRun? mod)
    {
        var inv = CultureInfo.InvariantCulture;
        var m = session.Sim.Machine;
        var r = session.Request;
        o.Write(string.Create(inv,
            $"Simulating '{r.WorkloadSpec}' on {m.Spec.Name} ({m.NrNodes} nodes) for {TextFormat.Seconds(r.DurationUs)} of simulated time, seed {r.Seed}\n"));
        var status = session.Backend.Status(triedRegions: false, CancellationToken.None);
        foreach (var sc in session.Contexts)
        {
            var c = session.StatusOf(status, sc);
            o.Write(string.Create(inv,
                $"DAMON {sc.Label}: {c.Targets.Count} target(s), sample {TextFormat.Time(c.Intervals.SampleUs)}, aggr {TextFormat.Time(c.Intervals.AggrUs)}, regions {c.NrRegions.Min}..{c.NrRegions.Max}, {c.Schemes.Count} scheme(s)\n"));
        }
        if (mod is { Shared: true })
            o.Write($"{Damon.Modules.Shared.SharedContext.KdamondName}: {string.Join(", ", mod.Modules.Select(m => m.Name))} in one context; "
                + "their schemes run promotion, then pageout, then demotion, then the rest\n");
        foreach (var (s, e) in hot)
            o.Write($"The workload's hot set: {TextFormat.Hex(s)}-{TextFormat.Hex(e)} ({Units.FormatBytes(e - s)})\n");
        o.Write('\n');
    }
}
