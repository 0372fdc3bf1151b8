using System.CommandLine;
using Damon.Cli.Values;
using Damon.Records.Reports;

namespace Damon.Cli.Commands;

/// <summary><c>damon report access</c>: damo's snapshot report, in its styles or the raw form.</summary>
public static class ReportAccessCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Record file to show", DefaultValueFactory = _ => RecordInput.DefaultPath };
        var style = new Option<string>("--style")
        {
            Description = "Output style: " + string.Join(", ", AccessReportOptions.Styles),
            DefaultValueFactory = _ => "detailed",
            HelpName = "style",
        };
        style.AcceptOnlyFromAmong([.. AccessReportOptions.Styles]);
        var rawForm = new Option<bool>("--raw_form") { Description = "Print every snapshot and region in raw form" };
        var rawNumber = new Option<bool>("--raw_number") { Description = "Use machine-friendly raw numbers" };
        var json = new Option<bool>("--json") { Description = "Print the records in JSON, as damo shows them" };
        var sortBy = new Option<string[]>("--sort_regions_by")
        {
            Description = "Fields to sort regions by (address, access_rate, age, size, temperature)",
            HelpName = "field",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
        };
        sortBy.AcceptOnlyFromAmong([.. AccessReportOptions.SortKeys]);
        var sortDsc = new Option<string[]>("--sort_regions_dsc")
        {
            Description = "Sort regions in descending order for these keys ('all' for every key)",
            HelpName = "field",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
        };
        sortDsc.AcceptOnlyFromAmong([.. AccessReportOptions.SortKeys, "all"]);
        var weights = OptionValues.Integers("--temperature_weights", "Temperature weights for size, access frequency and age",
            new ArgumentArity(3, 3), int.MinValue, int.MaxValue);
        var percentiles = OptionValues.Integers("--percentiles_range",
            "Percentiles to show: up to 3 values are range() arguments, more are the list", ArgumentArity.OneOrMore, int.MinValue, int.MaxValue);
        var histLog = new Option<bool>("--hist_logscale") { Description = "Draw histograms in log scale" };
        var histCumulate = new Option<bool>("--hist_cumulate") { Description = "Draw histograms cumulatively" };
        var heatmapWidth = OptionValues.Integer("--snapshot_heatmap_width", "Width of the snapshot heatmap", 1, AccessReportOptions.MaxSnapshotHeatmapWidth, 80);
        var heatmapColorset = new Option<string>("--snapshot_heatmap_colorset") { Description = "Snapshot heatmap colour set", DefaultValueFactory = _ => "gray" };
        heatmapColorset.AcceptOnlyFromAmong([.. AsciiColor.ColorsetNames]);
        var heatmapStatic = new Option<bool>("--snapshot_heatmap_static") { Description = "Draw monitoring gaps to scale in the snapshot heatmap" };
        var totalSzOnly = new Option<bool>("--total_sz_only") { Description = "Print only the total size of each snapshot" };
        var format = new Option<string[]>("--format")
        {
            Description = "Customize the content: <set|append> <record_head|snapshot_head|region|snapshot_tail|record_tail> <template>; repeatable",
            HelpName = "action area template",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var breakdown = new Option<string>("--breakdown")
        {
            Description = "Show each region's share of accesses by cpu, node (of the CPU), thread or rw (records made with --sample_primitives page_fault)",
            HelpName = "key",
        };
        breakdown.AcceptOnlyFromAmong([.. AccessBreakdowns.KindNames]);
        var accessOf = new AccessOfOption();
        var filters = new RecordFilterOptions();

        var command = new Command("access", "Show the recorded access pattern of snapshots")
        {
            input, style, rawForm, rawNumber, json, sortBy, sortDsc, weights, percentiles, histLog, histCumulate,
            heatmapWidth, heatmapColorset, heatmapStatic, totalSzOnly, format, breakdown, accessOf.Option,
        };
        filters.AddTo(command);
        command.SetAction(parseResult =>
        {
            // Command-line values are checked before the record is read: a bad value is exit 2 even without a record.
            if (parseResult.GetValue(format) is { Length: > 0 } fmt)
            {
                if (fmt.Length % 3 != 0)
                    throw new UserError("--format takes <set|append> <area> <template> triples", ExitCodes.UsageError);
                for (int i = 0; i < fmt.Length; i += 3)
                {
                    if (fmt[i] is not ("set" or "append"))
                        throw new UserError($"--format {fmt[i]}: not set or append", ExitCodes.UsageError);
                    if (!AccessReportOptions.FormatAreas.Contains(fmt[i + 1]))
                        throw new UserError($"--format {fmt[i]} {fmt[i + 1]}: not one of {string.Join(", ", AccessReportOptions.FormatAreas)}", ExitCodes.UsageError);
                }
            }
            if (parseResult.GetValue(percentiles) is { Length: > 0 and <= 3 } pr3)
            {
                int start = pr3.Length >= 2 ? pr3[0] : 0, stop = pr3.Length >= 2 ? pr3[1] : pr3[0], step = pr3.Length == 3 ? pr3[2] : 1;
                PercentileRange.Check(start, stop, step, $"--percentiles_range {string.Join(' ', pr3)}");
            }
            var breakdownKind = parseResult.GetValue(breakdown) is { } bk ? AccessBreakdowns.Parse(bk) : (BreakdownKind?)null;
            if (breakdownKind is { } kind)
            {
                if (parseResult.GetValue(json) || parseResult.GetValue(rawForm))
                    throw new UserError($"--breakdown {kind.Name()}: adds to the region lines of the styled report; it cannot be combined with --json or --raw_form", ExitCodes.UsageError);
                if (parseResult.GetValue(totalSzOnly) || parseResult.GetValue(style) is not ("detailed" or "simple-boxes" or "hot" or "cold"))
                    throw new UserError($"--breakdown {kind.Name()}: the {(parseResult.GetValue(totalSzOnly) ? "--total_sz_only" : parseResult.GetValue(style))} output has no region lines to add it to (use the detailed, simple-boxes, hot or cold style)", ExitCodes.UsageError);
            }
            var only = accessOf.Parse(parseResult);
            var filter = filters.Parse(parseResult,
                parseResult.GetValue(weights) is { Length: > 0 } fw ? fw.Select(v => (double)v).ToList() : null);
            string inputPath = parseResult.GetValue(input)!;
            // Before the filters: --access_rate and the others then see the key's accesses only.
            var records = AccessOfOption.Apply(only, RecordInput.Load(inputPath), inputPath);
            filter.Apply(records);

            var output = parseResult.InvocationConfiguration.Output;
            if (records.Count == 0)
            {
                output.Write(DamoOutput.AsPrinted($"No record in {parseResult.GetValue(input)}"));
                return ExitCodes.Ok;
            }
            bool raw = parseResult.GetValue(rawNumber);
            if (parseResult.GetValue(json))
            {
                output.Write(AccessJsonReport.Render(records, raw));
                return ExitCodes.Ok;
            }
            if (parseResult.GetValue(rawForm))
            {
                output.Write(AccessRawReport.Render(records, raw));
                return ExitCodes.Ok;
            }
            var options = new AccessReportOptions
            {
                Style = parseResult.GetValue(style)!,
                RawNumber = raw,
                SortRegionsBy = parseResult.GetValue(sortBy) is { Length: > 0 } by ? by : ["address"],
                SortRegionsDsc = parseResult.GetValue(sortDsc) ?? [],
                TemperatureWeights = parseResult.GetValue(weights) is { Length: > 0 } w ? w.Select(v => (double)v).ToList() : [0, 100, 100],
                PercentilesRange = parseResult.GetValue(percentiles) is { Length: > 0 } pr ? pr : null,
                HistLogscale = parseResult.GetValue(histLog),
                HistCumulate = parseResult.GetValue(histCumulate),
                SnapshotHeatmapWidth = parseResult.GetValue(heatmapWidth),
                SnapshotHeatmapColorset = parseResult.GetValue(heatmapColorset)!,
                SnapshotHeatmapStatic = parseResult.GetValue(heatmapStatic),
                TotalSzOnly = parseResult.GetValue(totalSzOnly),
                Breakdown = breakdownKind,
            };
            if (parseResult.GetValue(format) is { Length: > 0 } f)
            {
                var formats = new List<(string, string, string)>();
                for (int i = 0; i < f.Length; i += 3) formats.Add((f[i], f[i + 1], f[i + 2]));
                options.Formats = formats;
            }
            output.Write(RecordInput.Report(() => AccessReport.Render(records, options), parseResult.GetValue(input)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
