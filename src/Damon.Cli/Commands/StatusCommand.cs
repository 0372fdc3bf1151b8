using System.CommandLine;
using Damon.Cli.Linux;
using Damon.Linux.Sysfs;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon status</c>: damo's <c>report damon</c> of the live kernel: the kdamonds tree with
/// state, pid, parameters, scheme stats and tried regions, refreshed first with
/// <c>update_schemes_stats</c> and <c>update_schemes_tried_regions</c> on each running kdamond.
/// The host's own tree outside the test-bed guest is only read: the files show the kernel's last
/// refresh then, and a notice says so.
/// </summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var linux = new LinuxOptions();
        var format = DamonStatusFormat.CreateOption();
        var damonParams = new Option<bool>("--damon_params") { Description = "Show the parameters only, without state, stats and tried regions" };
        var raw = new Option<bool>("--raw_number", "--raw") { Description = "Print numbers as plain integers in each field's unit" };
        var noTried = new Option<bool>("--no_tried_regions") { Description = "Refresh only the stats, not the tried regions" };
        var command = new Command("status", "Show the kernel's kdamonds with state, parameters, scheme stats and tried regions (damo report damon)")
        {
            format, damonParams, raw, noTried,
        };
        linux.AddRoots(command);
        command.SetAction(parse =>
        {
            var tree = linux.Read(parse).OpenAdmin("status", write: false);
            var spec = LinuxErrors.Run(() =>
            {
                var kernel = new KernelDamon(tree);
                if (tree is RealSysfsTree { ReadOnly: true })
                    parse.InvocationConfiguration.Error.Write(
                        "damon: status: the host's DAMON sysfs is only read outside the test-bed guest; stats and tried regions are as the kernel last refreshed them\n");
                // The refresh commands need every kdamond on, as the kernel's do.
                else if (kernel.NrKdamonds() is > 0 and var nr && KernelRun.RunningCount(kernel) == nr)
                {
                    kernel.UpdateSchemesStats();
                    if (!parse.GetValue(noTried))
                        kernel.UpdateSchemesTriedRegions();
                }
                return kernel.Status();
            });
            parse.InvocationConfiguration.Output.Write(DamonStatusFormat.Render(spec, parse.GetValue(format)!, parse.GetValue(raw), parse.GetValue(damonParams)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
