using System.CommandLine;
using Damon.Cli.Values;
using Damon.Records.IO;
using Damon.Records.Reports;
using Damon.Records.Text;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon report heatmap</c>: time x address access heatmap on the terminal, as raw
/// "time addr heat" lines, or as a PNG/SVG file drawn without external tools.
/// </summary>
public static class ReportHeatmapCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "'stdout', 'raw', or a .png/.svg file", DefaultValueFactory = _ => "stdout" };
        var input = new Option<string>("--input", "-i") { Description = "Record file", DefaultValueFactory = _ => RecordInput.DefaultPath };
        var kdamondIdx = OptionValues.OptionalInteger("--kdamond_idx", "kdamond index of the record to draw", 0, int.MaxValue);
        var contextIdx = OptionValues.OptionalInteger("--context_idx", "Context index of the record to draw", 0, int.MaxValue);
        var schemeIdx = OptionValues.OptionalInteger("--scheme_idx", "Scheme index of the record to draw", 0, int.MaxValue);
        var tid = OptionValues.OptionalInteger("--tid", "Target id of the record to draw", ulong.MinValue, ulong.MaxValue);
        var resol = OptionValues.Integers("--resol", "Resolution for the time and address axes", new ArgumentArity(2, 2), 1, 100_000);
        var timeRange = new Option<string[]>("--time_range")
        {
            Description = "<start> <end> of the time range (ns, absolute)",
            AllowMultipleArgumentsPerToken = true,
            Arity = new ArgumentArity(2, 2),
        };
        var addressRange = new Option<string[]>("--address_range")
        {
            Description = "<start> <end> of an address range; repeatable",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var drawRange = new Option<string>("--draw_range") { Description = "Draw the hottest contiguous range or all", DefaultValueFactory = _ => "hottest" };
        drawRange.AcceptOnlyFromAmong("hottest", "all");
        var absTime = new Option<bool>("--abs_time") { Description = "Display absolute time in output" };
        var absAddr = new Option<bool>("--abs_addr") { Description = "Display absolute address in output" };
        var guide = new Option<bool>("--guide") { Description = "Print the time span and address ranges of each target" };
        var guideHuman = new Option<bool>("--guide_human") { Description = "Print the guide in human-friendly numbers" };
        var colorset = new Option<string>("--stdout_colorset") { Description = "Colour theme for the terminal", DefaultValueFactory = _ => "gray" };
        colorset.AcceptOnlyFromAmong([.. AsciiColor.ColorsetNames]);
        var skipColorset = new Option<bool>("--stdout_skip_colorset_example") { Description = "Skip the colour legend" };
        var dfPassed = new Option<bool>("--df_passed") { Description = "Show only DAMOS filter-passed parts" };
        var sortTemperature = new Option<bool>("--sort_temperature") { Description = "Sort regions by temperature on the address axis" };
        var temperatureWeights = OptionValues.Numbers("--temperature_weights", "Temperature weights for <frequency> <age> (with --sort_temperature)",
            new ArgumentArity(2, 2));

        var json = new Option<bool>("--json") { Description = "Print the terminal map's grid (or the guide) as JSON for scripts" };
        var accessOf = new AccessOfOption();

        var command = new Command("heatmap", "Show when which address ranges were how frequently accessed")
        {
            output, input, kdamondIdx, contextIdx, schemeIdx, tid, resol, timeRange, addressRange, drawRange,
            absTime, absAddr, guide, guideHuman, colorset, skipColorset, dfPassed, sortTemperature, temperatureWeights, json, accessOf.Option,
        };
        // damo's old name for this report type; scripts written for it keep working.
        command.Aliases.Add("heats");
        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(resol) is { Length: > 0 } asked)
            {
                CheckResolution(asked[0], asked[1]);
                if (parseResult.GetValue(output)!.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) && (long)asked[0] * asked[1] > HeatmapImage.MaxSvgPixels)
                    throw new UserError($"--resol {asked[0]} {asked[1]}: an SVG holds at most {HeatmapImage.MaxSvgPixels} pixels (e.g. 1024 1024); use .png", ExitCodes.UsageError);
            }
            // An image goes to a file: its place is checked before the record is read and drawn.
            if (parseResult.GetValue(output) is { } imagePath && imagePath is not ("stdout" or "raw"))
            {
                if (Path.GetExtension(imagePath).ToLowerInvariant() is not (".png" or ".svg"))
                    throw new UserError($"--output {imagePath}: not 'stdout', 'raw' or a .png or .svg file", ExitCodes.UsageError);
                OutputFiles.CheckFileDirectory(imagePath);
            }
            var options = new HeatmapOptions
            {
                KdamondIdx = parseResult.GetValue(kdamondIdx),
                ContextIdx = parseResult.GetValue(contextIdx),
                SchemeIdx = parseResult.GetValue(schemeIdx),
                TargetId = parseResult.GetValue(tid),
                DrawRange = parseResult.GetValue(drawRange)!,
                AbsTime = parseResult.GetValue(absTime),
                AbsAddr = parseResult.GetValue(absAddr),
                Colorset = parseResult.GetValue(colorset)!,
                SkipColorsetExample = parseResult.GetValue(skipColorset),
                DfPassed = parseResult.GetValue(dfPassed),
                SortTemperature = parseResult.GetValue(sortTemperature),
            };
            if (parseResult.GetValue(temperatureWeights) is { Length: > 0 } tw) options.TemperatureWeights = (tw[0], tw[1]);
            if (parseResult.GetValue(resol) is { Length: > 0 } res) options.Resolution = (res[0], res[1]);
            if (parseResult.GetValue(timeRange) is { Length: > 0 } tr)
            {
                options.TimeRangeNs = (Ns(tr[0]), Ns(tr[1]));
                if (options.TimeRangeNs.Value.Start >= options.TimeRangeNs.Value.End)
                    throw new UserError($"--time_range {tr[0]} {tr[1]}: the end must be after the start", ExitCodes.UsageError);
            }
            if (parseResult.GetValue(addressRange) is { Length: > 0 } ar)
            {
                if (ar.Length % 2 != 0) throw new UserError("--address_range takes <start> <end> pairs", ExitCodes.UsageError);
                var ranges = new List<(long, long)>();
                for (int i = 0; i < ar.Length; i += 2)
                {
                    ranges.Add((Bytes(ar[i]), Bytes(ar[i + 1])));
                    if (ranges[^1].Item1 >= ranges[^1].Item2)
                        throw new UserError($"--address_range {ar[i]} {ar[i + 1]}: the end must be after the start", ExitCodes.UsageError);
                }
                options.AddressRanges = ranges;
            }
            var only = accessOf.Parse(parseResult);
            // --access_of rewrites every record first; otherwise the file is read as a stream, in passes.
            var records = only is null
                ? RecordInput.Stream(parseResult.GetValue(input)!)
                : RecordSource.Of(AccessOfOption.Apply(only, RecordInput.Load(parseResult.GetValue(input)!), parseResult.GetValue(input)!));
            var writer = parseResult.InvocationConfiguration.Output;
            bool asJson = parseResult.GetValue(json);
            if (parseResult.GetValue(guide) || parseResult.GetValue(guideHuman))
            {
                if (asJson)
                {
                    writer.Write(RecordInput.Report(() => HeatmapJsonReport.RenderGuide(records), parseResult.GetValue(input)));
                    return ExitCodes.Ok;
                }
                writer.Write(HeatmapGuide.Render(records, raw: !parseResult.GetValue(guideHuman)));
                return ExitCodes.Ok;
            }
            string target = parseResult.GetValue(output)!;
            if (asJson)
            {
                if (target != "stdout")
                    throw new UserError("--json prints the map to stdout; it cannot be combined with --output", ExitCodes.UsageError);
                writer.Write(RecordInput.Report(() => HeatmapJsonReport.Render(records, options), parseResult.GetValue(input)));
                return ExitCodes.Ok;
            }
            switch (target)
            {
                case "stdout":
                    writer.Write(RecordInput.Report(() => HeatmapReport.RenderTerminal(records, options), parseResult.GetValue(input)));
                    break;
                case "raw":
                    writer.Write(RecordInput.Report(() => HeatmapReport.RenderRaw(records, options), parseResult.GetValue(input)));
                    break;
                default:
                    try
                    {
                        RecordInput.Report(() => HeatmapReport.WriteImages(records, options, target), parseResult.GetValue(input));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw OutputFiles.CannotWrite(target, e);
                    }
                    break;
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Checked before the record is read: the grid is allocated up front, 8 bytes a pixel.</summary>
    private static void CheckResolution(int time, int addr)
    {
        if (time <= 0 || addr <= 0)
            throw new UserError($"--resol {time} {addr}: both must be positive", ExitCodes.UsageError);
        if ((long)time * addr > Heatmap.MaxPixels)
            throw new UserError($"--resol {time} {addr}: at most {Heatmap.MaxPixels} pixels (e.g. 2048 2048)", ExitCodes.UsageError);
    }

    private static long Ns(string text) =>
        DamoText.TryNs(DamoValueText.Checked(text, "--time_range"), out var v) && v <= long.MaxValue ? (long)v : throw new UserError($"--time_range {text}: not a time (a bare number is ns; e.g. 5 ms, 1 s)", ExitCodes.UsageError);

    private static long Bytes(string text) =>
        DamoText.TryBytes(DamoValueText.Checked(text, "--address_range"), out var v) && v <= long.MaxValue ? (long)v : throw new UserError($"--address_range {text}: not an address (e.g. 4096, 4K, 1G)", ExitCodes.UsageError);
}
