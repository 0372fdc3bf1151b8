using System.Globalization;
using System.Text;
using Damon.Config.Engine;
using Damon.Config.Schema;
using Damon.Host;
using Damon.Linux.Sysfs;

namespace Damon.Cli.Linux;

/// <summary>
/// Kernel mode's verbs on the admin tree, as damo's start, tune and stop drive it: the kernel runs
/// the kdamonds, and the command exits leaving them as it set them.
/// </summary>
internal static class KernelRun
{
    /// <summary>The kdamonds tree for a staged module context: one kdamond, one context.</summary>
    public static KdamondsSpec SpecOf(ContextRequest staged) => new()
    {
        Kdamonds = [new KdamondSpec { Contexts = [ContextMapping.FromEngine(staged.Built.Context, staged.Built.OpsId, new MemcgPathTable())] }],
    };

    public static int RunningCount(KernelDamon kernel)
    {
        int on = 0;
        for (int k = 0; k < kernel.NrKdamonds(); k++)
            if (kernel.IsOn(k))
                on++;
        return on;
    }

    /// <summary>damo start: write and turn on, unless a kdamond runs already (the kernel would answer EBUSY).</summary>
    public static string Start(ISysfsTree tree, KdamondsSpec spec)
    {
        var kernel = new KernelDamon(tree);
        if (RunningCount(kernel) > 0)
            throw new UserError("start: a kdamond is already running; change it with `damon tune` or end it with `damon stop`", ExitCodes.ConfigRejected);
        LinuxSpecs.RefuseMissing(tree, spec);
        kernel.Start(spec);
        return Started(kernel.Status(), "started", "the kernel runs it until `damon stop`");
    }

    /// <summary>damo tune: stage the new parameters and `commit` them to the running kdamonds.</summary>
    public static string Tune(ISysfsTree tree, KdamondsSpec spec)
    {
        var kernel = new KernelDamon(tree);
        int nr = kernel.NrKdamonds();
        if (RunningCount(kernel) == 0)
            throw new UserError("tune: no kdamond is running (start one with `damon start`)", ExitCodes.ConfigRejected);
        if (spec.Kdamonds.Count != nr)
            throw new UserError(string.Create(CultureInfo.InvariantCulture,
                $"tune: {spec.Kdamonds.Count} kdamond(s) given, {nr} running; tune changes the parameters of the running ones, not their number"), ExitCodes.ConfigRejected);
        LinuxSpecs.RefuseMissing(tree, spec);
        kernel.Commit(spec);
        return Started(kernel.Status(), "committed to", "running");
    }

    /// <summary>damo stop: every running kdamond off.</summary>
    public static string Stop(ISysfsTree tree)
    {
        var kernel = new KernelDamon(tree);
        int on = RunningCount(kernel);
        if (on == 0)
            return "no kdamond was running\n";
        kernel.Stop();
        return string.Create(CultureInfo.InvariantCulture, $"stopped {on} kdamond(s)\n");
    }

    /// <summary>One line per kdamond: its kernel thread and what its contexts watch.</summary>
    private static string Started(KdamondsSpec status, string verb, string tail)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        for (int k = 0; k < status.Kdamonds.Count; k++)
        {
            var kd = status.Kdamonds[k];
            sb.Append(inv, $"{verb} kdamond {k} (pid {kd.Pid?.ToString(inv) ?? "?"}, state {kd.State ?? "?"}):");
            foreach (var c in kd.Contexts)
            {
                var pids = c.Targets.Where(t => t.Pid is not null).Select(t => t.Pid!.Value.ToString(inv)).ToList();
                sb.Append(inv, $" {c.Ops}");
                if (pids.Count > 0)
                    sb.Append(inv, $" pid {string.Join(",", pids)}");
                sb.Append(inv, $", {c.Schemes.Count} scheme(s)");
            }
            sb.Append(inv, $"; {tail}\n");
        }
        return sb.ToString();
    }
}
