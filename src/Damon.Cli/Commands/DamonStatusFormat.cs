using System.CommandLine;
using Damon.Config.Io;
using Damon.Config.Report;
using Damon.Config.Schema;

namespace Damon.Cli.Commands;

/// <summary>The <c>--format json|yaml|report</c> of a kdamonds status tree (report damon, sim --report_damon).</summary>
internal static class DamonStatusFormat
{
    public static Option<string> CreateOption()
    {
        var format = new Option<string>("--format") { Description = "Status output format", DefaultValueFactory = _ => "report" };
        format.AcceptOnlyFromAmong("json", "yaml", "report");
        return format;
    }

    /// <summary><paramref name="paramsOnly"/>: damo's --damon_params, without state, pid, stats and tried regions.</summary>
    public static string Render(KdamondsSpec spec, string format, bool raw, bool paramsOnly)
    {
        if (paramsOnly)
            foreach (var k in spec.Kdamonds)
            {
                k.State = null;
                k.Pid = null;
            }
        return format switch
        {
            "report" => KdamondsReport.Render(spec, raw, status: !paramsOnly),
            "yaml" => KdamondsYaml.Write(spec, raw, paramsOnly: paramsOnly) + "\n",
            _ => KdamondsJson.Write(spec, raw, paramsOnly: paramsOnly) + "\n",
        };
    }
}
