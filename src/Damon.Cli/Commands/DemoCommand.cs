using System.CommandLine;
using System.Globalization;
using Damon.Cli.Demo;
using Damon.Core.Drivers;
using Damon.Core.Monitoring;

namespace Damon.Cli.Commands;

/// <summary>
/// `damon demo`: the engine on a built-in synthetic address space whose hot set moves halfway,
/// printing DAMON's regions once per interval of virtual time. Needs no root and no kernel.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var duration = new Option<double>("--duration") { Description = "Virtual seconds to run.", DefaultValueFactory = _ => 20 };
        var every = new Option<double>("--every") { Description = "Print a snapshot every this many virtual seconds.", DefaultValueFactory = _ => 5 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the context's and the workload's random generators.", DefaultValueFactory = _ => 1 };
        var cmd = new Command("demo", "Monitor a built-in synthetic workload in virtual time and print region snapshots.")
        {
            duration, every, seed,
        };
        cmd.SetAction(parse =>
        {
            double durationSec = parse.GetValue(duration);
            double everySec = parse.GetValue(every);
            if (durationSec <= 0 || everySec <= 0)
                throw new UserError("--duration and --every must be positive seconds", ExitCodes.UsageError);
            Run(parse.InvocationConfiguration.Output, durationSec, everySec, parse.GetValue(seed));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    public static void Run(TextWriter output, double durationSec, double everySec, ulong seed)
    {
        var workload = new SyntheticWorkload(seed) { PhaseChangeSec = durationSec / 2 };
        var driver = new VirtualTimeDriver();
        var ctx = new DamonContext(seed);
        var ops = workload.CreateOperations(() => driver.NowUs);
        ctx.Ops = ops;
        ctx.AddTarget(new Target(pid: 4242));

        ulong everyUs = (ulong)(everySec * 1_000_000);
        ulong nextPrintUs = everyUs;
        ctx.Aggregated = c =>
        {
            if (driver.NowUs < nextPrintUs)
                return;
            nextPrintUs += everyUs;
            SnapshotPrinter.Print(output, c, driver.NowUs, workload.HotRange(driver.NowUs));
        };

        driver.Add(new Kdamond(ctx));
        driver.RunFor((ulong)(durationSec * 1_000_000));
        driver.StopAll();
    }
}

/// <summary>Prints one aggregated snapshot: a row per region with a bar for its access rate.</summary>
internal static class SnapshotPrinter
{
    public static void Print(TextWriter o, DamonContext ctx, ulong nowUs, AddrRange hot)
    {
        var inv = CultureInfo.InvariantCulture;
        uint samples = DamonCore.NrSamplesPerAggr(ctx.Attrs);
        o.WriteLine(string.Format(inv, "# t={0:F1}s  nr_regions={1}  sample {2} ms  aggr {3} ms  (true hot set: {4:x}-{5:x})",
            nowUs / 1e6, ctx.NrRegions(), ctx.Attrs.SampleIntervalUs / 1000.0, ctx.Attrs.AggrIntervalUs / 1000.0, hot.Start, hot.End));
        o.WriteLine("  start            end              size       access  age   heat");
        foreach (var t in ctx.Targets)
        {
            foreach (var r in t.Regions)
            {
                int bar = (int)(r.NrAccesses * 20 / Math.Max(samples, 1));
                o.WriteLine(string.Format(inv, "  {0,-16:x} {1,-16:x} {2,9}  {3,5}%  {4,4}  {5}",
                    r.Start, r.End, Units.FormatBytes(r.Size), r.NrAccesses * 100 / Math.Max(samples, 1), r.Age, new string('#', bar)));
            }
        }
        o.WriteLine();
    }
}
