using System.CommandLine;
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
        var kdamondIdx = new Option<int?>("--kdamond_idx") { Description = "kdamond index of the record to draw" };
        var contextIdx = new Option<int?>("--context_idx") { Description = "Context index of the record to draw" };
        var schemeIdx = new Option<int?>("--scheme_idx") { Description = "Scheme index of the record to draw" };
        var tid = new Option<ulong?>("--tid") { Description = "Target id of the record to draw" };
        var resol = new Option<int[]>("--resol")
        {
            Description = "Resolution for the time and address axes",
            AllowMultipleArgumentsPerToken = true,
            Arity = new ArgumentArity(2, 2),
        };
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
        var temperatureWeights = new Option<double[]>("--temperature_weights")
        {
            Description = "Temperature weights for <frequency> <age> (with --sort_temperature)",
            AllowMultipleArgumentsPerToken = true,
            Arity = new ArgumentArity(2, 2),
        };

        var json = new Option<bool>("--json") { Description = "Print the terminal map's grid (or the guide) as JSON for scripts" };

        var command = new Command("heatmap", "Show when which address ranges were how frequently accessed")
        {
            output, input, kdamondIdx, contextIdx, schemeIdx, tid, resol, timeRange, addressRange, drawRange,
            absTime, absAddr, guide, guideHuman, colorset, skipColorset, dfPassed, sortTemperature, temperatureWeights, json,
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
            var records = RecordInput.Load(parseResult.GetValue(input)!);
            var writer = parseResult.InvocationConfiguration.Output;
            bool asJson = parseResult.GetValue(json);
            if (parseResult.GetValue(guide) || parseResult.GetValue(guideHuman))
            {
                if (asJson)
                {
                    writer.Write(RecordInput.Report(() => HeatmapJsonReport.RenderGuide(records)));
                    return ExitCodes.Ok;
                }
                writer.Write(HeatmapGuide.Render(records, raw: !parseResult.GetValue(guideHuman)));
                return ExitCodes.Ok;
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
            if (parseResult.GetValue(timeRange) is { Length: > 0 } tr) options.TimeRangeNs = (Ns(tr[0]), Ns(tr[1]));
            if (parseResult.GetValue(addressRange) is { Length: > 0 } ar)
            {
                if (ar.Length % 2 != 0) throw new UserError("--address_range takes <start> <end> pairs", ExitCodes.UsageError);
                var ranges = new List<(long, long)>();
                for (int i = 0; i < ar.Length; i += 2) ranges.Add((Bytes(ar[i]), Bytes(ar[i + 1])));
                options.AddressRanges = ranges;
            }
            string target = parseResult.GetValue(output)!;
            if (asJson)
            {
                if (target != "stdout")
                    throw new UserError("--json prints the map to stdout; it cannot be combined with --output", ExitCodes.UsageError);
                writer.Write(RecordInput.Report(() => HeatmapJsonReport.Render(records, options)));
                return ExitCodes.Ok;
            }
            switch (target)
            {
                case "stdout":
                    writer.Write(RecordInput.Report(() => HeatmapReport.RenderTerminal(records, options)));
                    break;
                case "raw":
                    writer.Write(RecordInput.Report(() => HeatmapReport.RenderRaw(records, options)));
                    break;
                default:
                    try
                    {
                        RecordInput.Report(() => HeatmapReport.WriteImages(records, options, target));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw new UserError($"{target}: cannot write ({e.Message})");
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
        DamoText.TryNs(text, out var v) && v <= long.MaxValue ? (long)v : throw new UserError($"wrong --time_range value '{text}'", ExitCodes.UsageError);

    private static long Bytes(string text) =>
        DamoText.TryBytes(text, out var v) && v <= long.MaxValue ? (long)v : throw new UserError($"wrong --address_range value '{text}'", ExitCodes.UsageError);
}
