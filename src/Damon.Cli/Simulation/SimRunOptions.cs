using System.CommandLine;
using Damon.Cli.Values;
using Damon.Core.Util;

namespace Damon.Cli.Simulation;

/// <summary>
/// The options every simulated-run verb shares (machine, workload, duration, seed) plus damo's
/// DAMON-parameter options, which are passed through untouched to Damon.Config's parser.
/// </summary>
internal sealed class SimRunOptions
{
    /// <summary>
    /// GUPS as HeMem runs it, 1 GiB with a 10 % hot set: DAMON should single out the hot 100 MiB
    /// within a few aggregation intervals, and the run takes a few seconds of wall time.
    /// </summary>
    public const string DefaultWorkload = "gups:size=1G,hot=10%";
    public const ulong DefaultSeed = 42;

    public Option<string?> Machine { get; } = new("--machine")
    {
        Description = "Machine description file (JSON, see docs/simulator.md); default: the built-in two-tier DRAM + CXL machine",
    };

    public Option<string> Workload { get; } = new("--workload")
    {
        Description = "Workload spec (see docs/workloads.md), e.g. 'gups:size=1G,hot=10%', 'zipf:keys=1M', 'masim:/path/to/config'",
        DefaultValueFactory = _ => DefaultWorkload,
    };

    /// <summary>Simulated time, in microseconds once parsed; "10", "10s", "500ms" and "1m" are all understood.</summary>
    public Option<DurationUs> Duration { get; } = OptionValues.Seconds("--duration",
        $"Simulated time to run (a bare number is seconds; {DurationText.SecondsExamples})", "10");

    public Option<ulong> Seed { get; } = OptionValues.Integer("--seed",
        "Seed of the machine, the workload and the DAMON contexts (runs are reproducible)", ulong.MinValue, ulong.MaxValue, DefaultSeed);

    public Argument<string[]> DamoOptions { get; } = new("damo-options")
    {
        Description = "damo's DAMON parameter options (--ops paddr, --monitoring_intervals, --monitoring_nr_regions_range, --damos_action, ...); see docs/config.md",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Adds the shared options; damo's options arrive as unmatched tokens.</summary>
    public void AddTo(Command command, bool withDamoOptions = true)
    {
        command.Options.Add(Machine);
        command.Options.Add(Workload);
        command.Options.Add(Duration);
        command.Options.Add(Seed);
        if (withDamoOptions)
        {
            command.Arguments.Add(DamoOptions);
            command.TreatUnmatchedTokensAsErrors = false;
        }
    }

    public SimRunRequest Read(ParseResult parse)
    {
        var tokens = new List<string>(parse.GetResult(DamoOptions) is null ? [] : parse.GetValue(DamoOptions) ?? []);
        tokens.AddRange(parse.UnmatchedTokens);
        return new SimRunRequest(
            parse.GetValue(Machine),
            parse.GetValue(Workload) ?? DefaultWorkload,
            parse.GetValue(Duration).Us,
            parse.GetValue(Seed),
            tokens);
    }
}

/// <summary>What to simulate: machine file (null: the default two-tier machine), workload, time, seed, damo options.</summary>
internal sealed record SimRunRequest(string? MachinePath, string WorkloadSpec, ulong DurationUs, ulong Seed, IReadOnlyList<string> DamoTokens);
