using System.Globalization;
using Damon.Config;
using Damon.Config.Args;
using Damon.Config.Schema;
using Damon.Linux.Backend;
using Damon.Linux.Sysfs;

namespace Damon.Cli.Linux;

/// <summary>
/// damo's DAMON-parameter options (or --kdamonds FILE) as the kdamonds to run on the real machine:
/// damo's own parser and builder, paddr regions defaulting to /proc/iomem's biggest System RAM, and
/// the checks the kernel would make later with a vaguer errno told now, in one line.
/// </summary>
internal static class LinuxSpecs
{
    public static KdamondsSpec Build(IReadOnlyList<string> tokens, LinuxMachine machine)
    {
        KdamondsSpec spec;
        try
        {
            spec = KdamondsBuilder.Build(DamoArgs.Parse(tokens), machine.Layout);
        }
        catch (ConfigException e)
        {
            throw new UserError(e.Message, e.File is null ? ExitCodes.UsageError : ExitCodes.InputError);
        }
        if (spec.Kdamonds.Count == 0 || spec.Kdamonds.All(k => k.Contexts.Count == 0))
            throw new UserError("no DAMON context to run (give --ops/--target_pid, a kdamonds file or a module)", ExitCodes.UsageError);
        foreach (var ctx in spec.Kdamonds.SelectMany(k => k.Contexts))
            foreach (var t in ctx.Targets)
            {
                if (ctx.Ops is "vaddr" or "fvaddr" && t.Pid is null)
                    throw new UserError($"{ctx.Ops} needs a process: give --target_pid PID", ExitCodes.UsageError);
                if (t.Pid is int pid && ctx.Ops is "vaddr" or "fvaddr" && !ProcessExists(machine, pid))
                    throw new UserError($"--target_pid {pid}: no such process", ExitCodes.UsageError);
            }
        return spec;
    }

    public static bool ProcessExists(LinuxMachine machine, int pid) =>
        Directory.Exists(Path.Combine(machine.ProcRoot, pid.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Kernel mode: what the running kernel lacks for <paramref name="spec"/>, refused in one line before anything is written.</summary>
    public static void RefuseMissing(ISysfsTree tree, KdamondsSpec spec)
    {
        var missing = DamonSysfsFeatures.Detect(tree).Missing(spec);
        if (missing.Count == 0)
            return;
        bool goals = missing.Any(m => m.Contains("quota goal", StringComparison.Ordinal));
        throw new UserError(string.Join("; ", missing) + (goals ? " (--mode user runs such schemes in Damon on this kernel)" : ""),
            ExitCodes.ConfigRejected);
    }
}
